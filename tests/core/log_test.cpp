#include "core/log.hpp"

#include <gtest/gtest.h>
#include <spdlog/pattern_formatter.h>
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

TEST(LogEvent, StartsWithTheUtcTimeInMillisecondsThenTheLevelAsSpdlogNamesIt) {
  std::ostringstream out;
  Logger logger("t", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  use_json_lines(logger);
  const spdlog::details::log_msg msg(
      spdlog::log_clock::time_point(std::chrono::milliseconds(1764028800007)), {}, "t",
      LogLevel::warn, R"("msg":"x")");
  logger.sinks().front()->log(msg);
  EXPECT_EQ(out.str(), R"({"ts":"2025-11-25T00:00:00.007Z","level":"warning","msg":"x"})"
                       "\n");
}

// The members after ts and level, as log_event writes them.
class Members : public ::testing::Test {
 protected:
  Members() : logger_("t", std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)) {
    logger_.set_formatter(
        std::make_unique<spdlog::pattern_formatter>("%v", spdlog::pattern_time_type::utc, ""));
  }
  std::string take() {
    std::string text = out_.str();
    out_.str("");
    return text;
  }

  std::ostringstream out_;
  Logger logger_;
};

// How log lines were written before they were built directly: a nlohmann::json object.
std::string old_members(std::string_view msg, const nlohmann::json& fields) {
  nlohmann::json line = nlohmann::json::object();
  line["msg"] = msg;
  line.update(fields);
  const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return text.substr(1, text.size() - 2);
}

TEST_F(Members, AreOrderedByNameWithMsgAmongThemAsAJsonObjectOrdersThem) {
  log_event(logger_, LogLevel::info, "request",
            {{"path", "/x"},
             {"status", 302},
             {"bytes", std::size_t{12}},
             {"method", "GET"},
             {"duration_ms", 0.525},
             {"zz", true},
             {"aa", -3}});
  EXPECT_EQ(take(), R"("aa":-3,"bytes":12,"duration_ms":0.525,"method":"GET","msg":"request",)"
                    R"("path":"/x","status":302,"zz":true)");
  log_event(logger_, LogLevel::info, "only");
  EXPECT_EQ(take(), R"("msg":"only")");
  log_event(logger_, LogLevel::info, "last", {{"a", 1}});
  EXPECT_EQ(take(), R"("a":1,"msg":"last")");
}

TEST_F(Members, AreWhatTheJsonObjectGaveForEveryKindOfValue) {
  const nlohmann::json nested = {{"k", {1, 2}}, {"s", "\x01\xff"}};
  log_event(logger_, LogLevel::info, "m\n\x80",
            {{"text", std::string("q\"\\\t\x1b\xC3")},
             {"flag", false},
             {"u", std::uint64_t{1} << 63U},
             {"i", std::int64_t{-9}},
             {"d", 2.0},
             {"nested", nested},
             {"ms", 1e-7}});
  const nlohmann::json same = {{"text", "q\"\\\t\x1b\xC3"},
                               {"flag", false},
                               {"u", std::uint64_t{1} << 63U},
                               {"i", -9},
                               {"d", 2.0},
                               {"nested", nested},
                               {"ms", 1e-7}};
  EXPECT_EQ(take(), old_members("m\n\x80", same));
}

TEST_F(Members, KeepTheFirstOfTwoEqualNamesAndLetAFieldNamedMsgWin) {
  log_event(logger_, LogLevel::info, "request", {{"b", 1}, {"a", 2}, {"b", 3}, {"msg", "mine"}});
  EXPECT_EQ(take(), old_members("request", {{"b", 1}, {"a", 2}, {"b", 3}, {"msg", "mine"}}));
  EXPECT_EQ(old_members("request", {{"b", 1}, {"a", 2}, {"b", 3}, {"msg", "mine"}}),
            R"("a":2,"b":1,"msg":"mine")");
}

TEST_F(Members, FromAJsonObjectAreOrderedTheSameWay) {
  const nlohmann::json fields = {{"zeta", 1}, {"alpha", "x"}, {"mu", nullptr}};
  log_event(logger_, LogLevel::info, "event", fields);
  EXPECT_EQ(take(), R"("alpha":"x","msg":"event","mu":null,"zeta":1)");
  log_event(logger_, LogLevel::info, "event", nlohmann::json::array({1}));
  EXPECT_EQ(take(), R"("msg":"event")") << "fields that are not an object are ignored";
}

TEST_F(Members, ManyFieldsStillComeOutInOrder) {
  std::vector<std::string> names;
  for (char c = 't'; c >= 'a'; --c) names.emplace_back(1, c);
  log_event(logger_, LogLevel::info, "many",
            {{names[0], 0},   {names[1], 1},   {names[2], 2},   {names[3], 3},   {names[4], 4},
             {names[5], 5},   {names[6], 6},   {names[7], 7},   {names[8], 8},   {names[9], 9},
             {names[10], 10}, {names[11], 11}, {names[12], 12}, {names[13], 13}, {names[14], 14},
             {names[15], 15}, {names[16], 16}, {names[17], 17}, {names[18], 18}, {names[19], 19}});
  nlohmann::json same = nlohmann::json::object();
  for (std::size_t i = 0; i < names.size(); ++i) same[names[i]] = i;
  EXPECT_EQ(take(), old_members("many", same));
}

TEST(LogEvent, SkipsLinesBelowTheLevel) {
  std::ostringstream out;
  Logger logger("t", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  use_json_lines(logger);
  logger.set_level(LogLevel::warn);
  log_event(logger, LogLevel::info, "quiet");
  log_event(logger, LogLevel::info, "quiet", nlohmann::json{{"a", 1}});
  EXPECT_TRUE(out.str().empty());
}

TEST(ParseLogLevel, KnowsTheNamesAndRejectsOthers) {
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("error"), LogLevel::err);
  EXPECT_FALSE(parse_log_level("loud").has_value());
}

}  // namespace
}  // namespace latchkey
