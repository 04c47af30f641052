#include "core/log.hpp"

#include <spdlog/details/os.h>
#include <spdlog/formatter.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#include "core/buffered_sink.hpp"
#include "core/json_text.hpp"

namespace latchkey {
namespace {

constexpr std::string_view kMsgName = "msg";

void append_raw(TextBuffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

void append_field_value(TextBuffer& out, const LogField::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value))
    return append_json_string(out, *text);
  if (const auto* flag = std::get_if<bool>(&value))
    return append_raw(out, *flag ? "true" : "false");
  if (const auto* i = std::get_if<std::int64_t>(&value)) return append_json_number(out, *i);
  if (const auto* u = std::get_if<std::uint64_t>(&value)) return append_json_number(out, *u);
  if (const auto* d = std::get_if<double>(&value)) return append_json_number(out, *d);
  append_json_value(out, *std::get<const nlohmann::json*>(value));
}

// The fields in a nlohmann::json object's order: by name, the first of equal names kept. Few
// fields (rarely more than six), so an insertion sort into a fixed array.
struct SortedFields {
  std::array<const LogField*, 16> small{};
  std::vector<const LogField*> large;
  std::size_t size = 0;

  [[nodiscard]] const LogField* const* begin() const {
    return large.empty() ? small.data() : large.data();
  }
  [[nodiscard]] const LogField* const* end() const { return begin() + size; }
};

SortedFields sort_fields(std::initializer_list<LogField> fields) {
  SortedFields sorted;
  if (fields.size() > sorted.small.size()) sorted.large.resize(fields.size());
  const LogField** slots = sorted.large.empty() ? sorted.small.data() : sorted.large.data();
  for (const LogField& field : fields) {
    std::size_t at = sorted.size++;
    // Stable: a field moves only past names strictly greater than its own.
    for (; at > 0 && slots[at - 1]->name() > field.name(); --at) slots[at] = slots[at - 1];
    slots[at] = &field;
  }
  return sorted;
}

// The members after ts and level: msg and the fields, by name; a field named "msg" wins.
void append_members(TextBuffer& out, std::string_view msg, const SortedFields& fields) {
  bool first = true;
  bool msg_written = false;
  std::optional<std::string_view> previous;
  for (const LogField* field : fields) {
    if (previous == field->name()) continue;
    previous = field->name();
    if (!msg_written && field->name() >= kMsgName) {
      msg_written = true;
      if (field->name() != kMsgName) {
        append_json_member_name(out, kMsgName, first);
        append_json_string(out, msg);
        first = false;
      }
    }
    append_json_member_name(out, field->name(), first);
    append_field_value(out, field->value());
    first = false;
  }
  if (msg_written) return;
  append_json_member_name(out, kMsgName, first);
  append_json_string(out, msg);
}

void append_members(TextBuffer& out, std::string_view msg, const nlohmann::json& fields) {
  bool first = true;
  bool msg_written = false;
  for (const auto& [name, value] : fields.items()) {
    if (!msg_written && std::string_view(name) >= kMsgName) {
      msg_written = true;
      if (name != kMsgName) {
        append_json_member_name(out, kMsgName, first);
        append_json_string(out, msg);
        first = false;
      }
    }
    append_json_member_name(out, name, first);
    append_json_value(out, value);
    first = false;
  }
  if (msg_written) return;
  append_json_member_name(out, kMsgName, first);
  append_json_string(out, msg);
}

void write_line(Logger& logger, LogLevel level, const TextBuffer& members) {
  logger.log(level, spdlog::string_view_t(members.data(), members.size()));
}

// {"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",<members>}: what spdlog's pattern formatter made
// of that pattern, with the date and time text kept for the rest of its second.
class JsonLineFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    if (seconds != cached_second_ || cached_text_[0] == '\0') cache_second(seconds);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds).count();
    append_raw(dest, R"({"ts":")");
    append_raw(dest, std::string_view(cached_text_.data(), kDateTimeLength));
    const std::array<char, 4> fraction = {'.', static_cast<char>('0' + millis / 100),
                                          static_cast<char>('0' + millis / 10 % 10),
                                          static_cast<char>('0' + millis % 10)};
    dest.append(fraction.data(), fraction.data() + fraction.size());
    append_raw(dest, R"(Z","level":")");
    const auto level = spdlog::level::to_string_view(msg.level);
    dest.append(level.data(), level.data() + level.size());
    append_raw(dest, R"(",)");
    dest.append(msg.payload.data(), msg.payload.data() + msg.payload.size());
    append_raw(dest, "}\n");
  }

  [[nodiscard]] std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonLineFormatter>();
  }

 private:
  static constexpr std::size_t kDateTimeLength = 19;  // 2026-01-02T03:04:05

  void cache_second(std::chrono::seconds seconds) {
    cached_second_ = seconds;
    const std::tm utc = spdlog::details::os::gmtime(static_cast<std::time_t>(seconds.count()));
    std::strftime(cached_text_.data(), cached_text_.size(), "%Y-%m-%dT%H:%M:%S", &utc);
  }

  std::chrono::seconds cached_second_{0};
  std::array<char, 32> cached_text_{};
};

}  // namespace

void log_event(Logger& logger, LogLevel level, std::string_view msg,
               std::initializer_list<LogField> fields) {
  if (!logger.should_log(level)) return;
  TextBuffer members;
  append_members(members, msg, sort_fields(fields));
  write_line(logger, level, members);
}

void log_event(Logger& logger, LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  if (!logger.should_log(level)) return;
  TextBuffer members;
  if (fields.is_object()) {
    append_members(members, msg, fields);
  } else {
    append_members(members, msg, SortedFields{});
  }
  write_line(logger, level, members);
}

void use_json_lines(Logger& logger) { logger.set_formatter(std::make_unique<JsonLineFormatter>()); }

std::shared_ptr<Logger> make_stderr_logger(const std::string& name, LogLevel level) {
  auto sink = std::make_shared<BufferedFileSink>(stderr, BufferedFileSink::Options{});
  auto logger = std::make_shared<Logger>(name, std::move(sink));
  use_json_lines(*logger);
  logger->set_level(level);
  return logger;
}

std::shared_ptr<Logger> make_null_logger() {
  auto logger = std::make_shared<Logger>("null", std::make_shared<spdlog::sinks::null_sink_mt>());
  logger->set_level(LogLevel::off);
  return logger;
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  static constexpr std::pair<std::string_view, LogLevel> kLevels[] = {
      {"trace", LogLevel::trace}, {"debug", LogLevel::debug}, {"info", LogLevel::info},
      {"warn", LogLevel::warn},   {"error", LogLevel::err},   {"critical", LogLevel::critical},
      {"off", LogLevel::off}};
  for (const auto& [text, level] : kLevels) {
    if (text == name) return level;
  }
  return std::nullopt;
}

}  // namespace latchkey
