#pragma once
// Structured logging: every log line is one JSON object. Loggers are passed in, never global.
// Never put a secret, token, code, password or cookie in a log field.

#include <spdlog/logger.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey {

using Logger = spdlog::logger;
using LogLevel = spdlog::level::level_enum;

/// Writes one JSON line: {"ts":…,"level":…,"msg":msg, …fields}. The logger must use
/// use_json_lines() (the make_* loggers do).
void log_event(Logger& logger, LogLevel level, std::string_view msg,
               nlohmann::json fields = nlohmann::json::object());

/// Sets the logger's pattern so each line is one JSON object with ts (UTC) and level.
void use_json_lines(Logger& logger);

/// A logger that writes JSON lines to stderr at the given level.
[[nodiscard]] std::shared_ptr<Logger> make_stderr_logger(const std::string& name, LogLevel level);

/// A logger that discards everything; for tests and quiet CLI commands.
[[nodiscard]] std::shared_ptr<Logger> make_null_logger();

/// Parses "trace|debug|info|warn|error|critical|off"; nullopt for anything else.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view name);

}  // namespace latchkey
