#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "rules/pipeline.hpp"
#include "rules/platform_fixture.hpp"

namespace latchkey::rules {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

TEST(RulesConcurrency, RunawayRuleOnOneThreadDoesNotDelayQuickRulesOnAnother) {
  const EngineOptions options{milliseconds(1500), std::size_t{32} << 20U};
  std::atomic<bool> runaway_started{false};
  PipelineResult runaway;
  std::thread slow([&] {
    Engine engine(testing::test_platform(), options);
    runaway_started = true;
    runaway = run_pipeline(engine, {{"spin", "function (u, c, cb) { for (;;) {} }"}}, {}, {});
  });
  Engine engine(testing::test_platform(), options);
  while (!runaway_started) {
    std::this_thread::yield();
  }
  const auto start = steady_clock::now();
  int ok = 0;
  for (int i = 0; i < 20; ++i) {
    PipelineInput input;
    input.user = {{"user_id", "auth0|" + std::to_string(i)}};
    auto quick = run_pipeline(
        engine, {{"claim", "function (u, c, cb) { c.idToken.n = u.user_id; cb(null, u, c); }"}}, {},
        input);
    ok += quick.outcome == Outcome::ok && quick.id_token_claims["n"] == input.user["user_id"];
  }
  const auto quick_elapsed = steady_clock::now() - start;
  slow.join();
  EXPECT_EQ(ok, 20);
  EXPECT_LT(quick_elapsed, milliseconds(1000)) << "quick rules waited for the runaway one";
  ASSERT_EQ(runaway.outcome, Outcome::failed);
  EXPECT_EQ(runaway.failure->kind, FailureKind::timeout);
}

}  // namespace
}  // namespace latchkey::rules
