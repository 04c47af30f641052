#include "core/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <optional>

namespace latchkey {
namespace {

// spdlog stamps the time (UTC) and level; log_event supplies the rest of the object's members.
constexpr const char* kJsonPattern = R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})";

}  // namespace

void log_event(Logger& logger, LogLevel level, std::string_view msg, nlohmann::json fields) {
  if (!logger.should_log(level)) return;
  nlohmann::json line = nlohmann::json::object();
  line["msg"] = msg;
  if (fields.is_object()) line.update(fields);
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Drop the object's own braces: the pattern wraps the members with ts and level.
  logger.log(level, "{}", std::string_view(text).substr(1, text.size() - 2));
}

void use_json_lines(Logger& logger) {
  logger.set_formatter(
      std::make_unique<spdlog::pattern_formatter>(kJsonPattern, spdlog::pattern_time_type::utc));
}

std::shared_ptr<Logger> make_stderr_logger(const std::string& name, LogLevel level) {
  auto logger = std::make_shared<Logger>(name, std::make_shared<spdlog::sinks::stderr_sink_mt>());
  use_json_lines(*logger);
  logger->set_level(level);
  logger->flush_on(LogLevel::trace);
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
