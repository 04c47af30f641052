#pragma once
// Structured logging: every log line is one JSON object. Loggers are passed in, never global.
// Never put a secret, token, code, password or cookie in a log field.

#include <spdlog/logger.h>

#include <chrono>
#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace latchkey {

using Logger = spdlog::logger;
using LogLevel = spdlog::level::level_enum;

/// One member of a log line: a name and a string, integer, floating-point, boolean or JSON value,
/// written as nlohmann::json would write it. It only views its name and value: make it in the
/// log_event call (a braced {"name", value}), so that both outlive it.
class LogField {
 public:
  using Value = std::variant<std::string_view, bool, std::int64_t, std::uint64_t, double,
                             const nlohmann::json*>;

  template <class Text>
  requires(std::is_convertible_v<const Text&, std::string_view> &&
           !std::is_same_v<Text, nlohmann::json>) LogField(std::string_view name, const Text& text)
      : name_(name), value_(std::string_view(text)) {}
  LogField(std::string_view name, bool flag) : name_(name), value_(flag) {}
  template <std::integral Number>
  requires(!std::is_same_v<Number, bool>) LogField(std::string_view name, Number number)
      : name_(name), value_(widen(number)) {}
  template <std::floating_point Number>
  LogField(std::string_view name, Number number)
      : name_(name), value_(static_cast<double>(number)) {}
  LogField(std::string_view name, const nlohmann::json& json) : name_(name), value_(&json) {}

  [[nodiscard]] std::string_view name() const { return name_; }
  [[nodiscard]] const Value& value() const { return value_; }

 private:
  template <std::integral Number>
  static Value widen(Number number) {
    if constexpr (std::is_signed_v<Number>)
      return static_cast<std::int64_t>(number);
    else
      return static_cast<std::uint64_t>(number);
  }

  std::string_view name_;
  Value value_;
};

/// Writes one JSON line: {"ts":…,"level":…, then msg and the fields with their names in sorted
/// order (as a nlohmann::json object orders them); a field named "msg" replaces msg, and of two
/// fields with one name the first is kept. The logger must use use_json_lines() (the make_*
/// loggers do). The text is built directly, without a JSON object: this is the fast path.
void log_event(Logger& logger, LogLevel level, std::string_view msg,
               std::initializer_list<LogField> fields = {});

/// The same, for fields held in a JSON object (anything else is ignored).
void log_event(Logger& logger, LogLevel level, std::string_view msg, const nlohmann::json& fields);

/// Sets the logger's formatter so each line is one JSON object with ts (UTC, milliseconds) and
/// level, followed by what log_event wrote.
void use_json_lines(Logger& logger);

/// A logger that writes JSON lines to stderr at the given level, through a BufferedFileSink:
/// warn and worse at once, other lines within 100 ms, everything by the time it is destroyed.
[[nodiscard]] std::shared_ptr<Logger> make_stderr_logger(const std::string& name, LogLevel level);

/// A logger that discards everything; for tests and quiet CLI commands.
[[nodiscard]] std::shared_ptr<Logger> make_null_logger();

/// Parses "trace|debug|info|warn|error|critical|off"; nullopt for anything else.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view name);

}  // namespace latchkey
