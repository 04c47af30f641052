#include "rules/report.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <memory>
#include <sstream>

namespace latchkey::rules {
namespace {

using nlohmann::json;

struct CapturedLog {
  CapturedLog() : logger("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out)) {
    use_json_lines(logger);
  }
  std::ostringstream out;
  Logger logger;
};

TEST(RulesReport, ConsoleLinesAndFailuresAreLoggedTaggedWithTheScript) {
  PipelineResult result;
  result.outcome = Outcome::failed;
  result.failure = ScriptFailure{FailureKind::timeout, "spin", "wall time limit reached"};
  result.log = {{"first", "hello"}};
  CapturedLog log;
  log_pipeline(log.logger, result, "auth0|1");
  const std::string text = log.out.str();
  EXPECT_NE(text.find(R"("msg":"rules.console")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("script":"first")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("msg":"rules.failed")"), std::string::npos) << text;
  EXPECT_NE(text.find(R"("kind":"timeout")"), std::string::npos) << text;
}

TEST(RulesReport, RedirectIsLoggedWithoutItsQuery) {
  PipelineResult result;
  result.outcome = Outcome::redirect;
  result.redirect_url = "https://mfa.example.com/start?session_token=secret";
  CapturedLog log;
  log_pipeline(log.logger, result, "auth0|1");
  EXPECT_NE(log.out.str().find("https://mfa.example.com/start"), std::string::npos);
  EXPECT_EQ(log.out.str().find("secret"), std::string::npos);
}

TEST(RulesReport, JsonShowsOutcomeClaimsAndUpdatesForRulesTry) {
  PipelineResult result;
  result.outcome = Outcome::denied;
  result.description = "no";
  result.access_token_claims = {{"https://e.com/email", "a@e.com"}};
  result.metadata_updates = {{MetadataUpdate::Kind::app_metadata, "auth0|1", {{"x", 1}}}};
  const json out = to_json(result);
  EXPECT_EQ(out["outcome"], "denied");
  EXPECT_EQ(out["description"], "no");
  EXPECT_EQ(out["access_token_claims"]["https://e.com/email"], "a@e.com");
  EXPECT_EQ(out["metadata_updates"][0]["kind"], "app_metadata");
  EXPECT_FALSE(out.contains("failure"));
}

}  // namespace
}  // namespace latchkey::rules
