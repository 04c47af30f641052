#include "core/clock.hpp"

#include <gtest/gtest.h>

namespace latchkey {
namespace {

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(from_unix_seconds(1000));
  EXPECT_EQ(to_unix_seconds(clock.now()), 1000);
  clock.advance(std::chrono::seconds(61));
  EXPECT_EQ(to_unix_seconds(clock.now()), 1061);
  clock.set(from_unix_seconds(5));
  EXPECT_EQ(to_unix_seconds(clock.now()), 5);
}

TEST(ToIso8601, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(to_iso8601(from_unix_seconds(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(to_iso8601(from_unix_seconds(1795486682) + std::chrono::milliseconds(7)),
            "2026-11-24T02:18:02.007Z");
}

TEST(SystemClock, TellsATimeAfter2020) {
  SystemClock clock;
  EXPECT_GT(to_unix_seconds(clock.now()), 1577836800);
}

}  // namespace
}  // namespace latchkey
