#include "core/log.hpp"

#include <chrono>
#include <ctime>
#include <optional>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace latchkey {
namespace {

std::string utc_timestamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[32];
  const std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf, n) + "." + std::to_string(1000 + ms % 1000).substr(1) + "Z";
}

}  // namespace

void log_event(Logger& logger, LogLevel level, std::string_view msg, nlohmann::json fields) {
  if (!logger.should_log(level)) return;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = utc_timestamp();
  line["level"] = spdlog::level::to_string_view(level);
  line["msg"] = msg;
  if (fields.is_object()) line.update(fields);
  logger.log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::shared_ptr<Logger> make_stderr_logger(const std::string& name, LogLevel level) {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<Logger>(name, std::move(sink));
  logger->set_pattern("%v");
  logger->set_level(level);
  logger->flush_on(LogLevel::info);
  return logger;
}

std::shared_ptr<Logger> make_null_logger() {
  auto logger = std::make_shared<Logger>("null", std::make_shared<spdlog::sinks::null_sink_mt>());
  logger->set_level(LogLevel::off);
  return logger;
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  static constexpr std::pair<std::string_view, LogLevel> kLevels[] = {
      {"trace", LogLevel::trace}, {"debug", LogLevel::debug},       {"info", LogLevel::info},
      {"warn", LogLevel::warn},   {"error", LogLevel::err},         {"critical", LogLevel::critical},
      {"off", LogLevel::off}};
  for (const auto& [text, level] : kLevels) {
    if (text == name) return level;
  }
  return std::nullopt;
}

}  // namespace latchkey
