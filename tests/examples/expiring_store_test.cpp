#include "expiring_store.hpp"

#include <gtest/gtest.h>

namespace latchkey::examples::webapp {
namespace {

using std::chrono::seconds;

TEST(ExpiringStore, AnEntryLivesForItsLifetimeOnly) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<std::string> store(clock, seconds(60), 10);
  store.put("id", "value");
  clock.advance(seconds(59));
  EXPECT_EQ(store.get("id"), "value");
  clock.advance(seconds(1));
  EXPECT_EQ(store.get("id"), std::nullopt);
}

TEST(ExpiringStore, TakeReturnsAnEntryOnce) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<std::string> store(clock, seconds(60), 10);
  store.put("id", "value");
  EXPECT_EQ(store.take("id"), "value");
  EXPECT_EQ(store.take("id"), std::nullopt);
  EXPECT_EQ(store.get("id"), std::nullopt);
}

TEST(ExpiringStore, TakeOfAnExpiredEntryGivesNothingAndRemovesIt) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<std::string> store(clock, seconds(60), 10);
  store.put("id", "value");
  clock.advance(seconds(61));
  EXPECT_EQ(store.take("id"), std::nullopt);
  EXPECT_EQ(store.size(), 0U);
}

TEST(ExpiringStore, AFullStoreDropsTheEntryClosestToExpiry) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<int> store(clock, seconds(60), 2);
  store.put("first", 1);
  clock.advance(seconds(1));
  store.put("second", 2);
  clock.advance(seconds(1));
  store.put("third", 3);
  EXPECT_EQ(store.size(), 2U);
  EXPECT_EQ(store.get("first"), std::nullopt);
  EXPECT_EQ(store.get("second"), 2);
  EXPECT_EQ(store.get("third"), 3);
}

TEST(ExpiringStore, ExpiredEntriesAreDroppedBeforeALiveOneIsEvicted) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<int> store(clock, seconds(60), 2);
  store.put("old", 1);
  clock.advance(seconds(30));
  store.put("live", 2);
  clock.advance(seconds(31));  // "old" has expired
  store.put("new", 3);
  EXPECT_EQ(store.get("live"), 2);
  EXPECT_EQ(store.get("new"), 3);
}

TEST(ExpiringStore, EraseForgetsAnEntry) {
  ManualClock clock(from_unix_seconds(1'700'000'000));
  ExpiringStore<int> store(clock, seconds(60), 2);
  store.put("id", 1);
  store.erase("id");
  store.erase("never-there");
  EXPECT_EQ(store.get("id"), std::nullopt);
}

}  // namespace
}  // namespace latchkey::examples::webapp
