#include "core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace latchkey {
namespace {

TEST(LogEvent, WritesOneJsonObjectPerLineWithTimeLevelAndFields) {
  std::ostringstream out;
  Logger logger("t", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  use_json_lines(logger);
  log_event(logger, LogLevel::info, "request", {{"status", 200}, {"path", "/a\"b"}});
  const std::string line = out.str();
  ASSERT_EQ(line.back(), '\n');
  const auto json = nlohmann::json::parse(line);
  EXPECT_EQ(json["msg"], "request");
  EXPECT_EQ(json["level"], "info");
  EXPECT_EQ(json["status"], 200);
  EXPECT_EQ(json["path"], "/a\"b");
  EXPECT_TRUE(json["ts"].get<std::string>().ends_with("Z"));
}

TEST(LogEvent, SkipsLinesBelowTheLevel) {
  std::ostringstream out;
  Logger logger("t", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  use_json_lines(logger);
  logger.set_level(LogLevel::warn);
  log_event(logger, LogLevel::info, "quiet");
  EXPECT_TRUE(out.str().empty());
}

TEST(ParseLogLevel, KnowsTheNamesAndRejectsOthers) {
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::err);
  EXPECT_FALSE(parse_log_level("loud").has_value());
}

}  // namespace
}  // namespace latchkey
