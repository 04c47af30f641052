#include "rules/engine_set.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "rules/pipeline.hpp"
#include "rules/platform_fixture.hpp"

namespace latchkey::rules {
namespace {

TEST(EngineSet, EachThreadGetsItsOwnEngineAndItDiesWithTheThread) {
  EngineSet set(testing::test_platform(), EngineOptions{});
  Engine& mine = set.for_this_thread();
  EXPECT_EQ(&mine, &set.for_this_thread());
  Engine* theirs = nullptr;
  Outcome their_outcome = Outcome::failed;
  std::thread worker([&] {
    theirs = &set.for_this_thread();
    their_outcome =
        run_pipeline(*theirs, {{"r", "function (u, c, cb) { cb(null, u, c); }"}}, {}, {}).outcome;
    EXPECT_EQ(set.live_engines(), 2U);
  });
  worker.join();
  EXPECT_NE(theirs, &mine);
  EXPECT_EQ(their_outcome, Outcome::ok);
  EXPECT_EQ(set.live_engines(), 1U);  // the worker's engine went with its thread
  EXPECT_EQ(run_pipeline(mine, {}, {}, {}).outcome, Outcome::ok);
}

}  // namespace
}  // namespace latchkey::rules
