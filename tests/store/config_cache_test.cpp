// GenerationCache and the Cached* stores on an in-process counter: what is kept, what is not,
// and that every write empties the caches.

#include "store/config_cache.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <string>

namespace latchkey::store_test {
namespace {

using store::GenerationCache;
using store::StoreError;
using store::StoreResult;

// A counter only this process sees.
class LocalChangeCounter final : public store::ChangeCounter {
 public:
  [[nodiscard]] std::uint64_t value() const override {
    return value_.load(std::memory_order_acquire);
  }
  void bump() override { value_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class GenerationCacheTest : public ::testing::Test {
 protected:
  // Loads "value-<n>" and counts the loads.
  StoreResult<std::string> load() { return "value-" + std::to_string(++loads_); }

  LocalChangeCounter counter_;
  GenerationCache<std::string> cache_{counter_};
  int loads_ = 0;
};

TEST_F(GenerationCacheTest, ASecondLookupIsServedWithoutLoading) {
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-1");
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-1");
  EXPECT_EQ(loads_, 1);
}

TEST_F(GenerationCacheTest, KeysAreKeptApart) {
  EXPECT_EQ(cache_.get("a", [&] { return load(); }).value(), "value-1");
  EXPECT_EQ(cache_.get("b", [&] { return load(); }).value(), "value-2");
  EXPECT_EQ(cache_.get("a", [&] { return load(); }).value(), "value-1");
}

TEST_F(GenerationCacheTest, ABumpMakesTheNextLookupLoadAgain) {
  (void)cache_.get("k", [&] { return load(); });
  counter_.bump();
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-2");
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-2");
}

TEST_F(GenerationCacheTest, WhatWasLoadedWhileTheCounterMovedIsNotKept) {
  // The write lands (and bumps) while the lookup is reading: what it read may predate the write.
  (void)cache_.get("k", [&] {
    counter_.bump();
    return load();
  });
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-2");
  EXPECT_EQ(loads_, 2);
}

TEST_F(GenerationCacheTest, FailuresAreNotKept) {
  const auto missing = cache_.get("k", [&]() -> StoreResult<std::string> {
    ++loads_;
    return fail(StoreError::not_found);
  });
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), StoreError::not_found);
  EXPECT_EQ(cache_.get("k", [&] { return load(); }).value(), "value-2");
}

TEST_F(GenerationCacheTest, AFullCacheStartsOver) {
  for (std::size_t i = 0; i < GenerationCache<std::string>::kMaxEntries; ++i) {
    (void)cache_.get(std::to_string(i), [&] { return load(); });
  }
  ASSERT_TRUE(cache_.find("0").has_value());
  (void)cache_.get("one more", [&] { return load(); });
  EXPECT_FALSE(cache_.find("0").has_value());
  EXPECT_TRUE(cache_.find("one more").has_value());
}

// A ClientStore that counts finds and keeps one client.
class CountingClientStore final : public store::ClientStore {
 public:
  StoreResult<void> create(const model::Client& client) override {
    client_ = client;
    return {};
  }
  StoreResult<model::Client> find(std::string_view client_id) override {
    ++finds;
    if (client_id != client_.client_id) return fail(StoreError::not_found);
    return client_;
  }
  StoreResult<std::vector<model::Client>> list() override {
    ++lists;
    return std::vector<model::Client>{client_};
  }
  StoreResult<void> set_secret_digest(std::string_view, std::string_view digest) override {
    client_.secret_digest = std::string(digest);
    return {};
  }
  StoreResult<void> update(const model::Client& client) override { return create(client); }
  StoreResult<void> remove(std::string_view) override {
    client_ = {};
    return {};
  }

  int finds = 0;
  int lists = 0;

 private:
  model::Client client_;
};

TEST(CachedClientStoreTest, EveryWriteIsSeenByTheNextFind) {
  CountingClientStore inner;
  LocalChangeCounter counter;
  store::CachedClientStore cached(inner, counter);
  model::Client client;
  client.client_id = "c1";
  client.name = "one";
  ASSERT_TRUE(cached.create(client).ok());
  EXPECT_EQ(cached.find("c1").value().name, "one");
  EXPECT_EQ(cached.find("c1").value().name, "one");
  EXPECT_EQ(inner.finds, 1);

  client.name = "two";
  ASSERT_TRUE(cached.update(client).ok());
  EXPECT_EQ(cached.find("c1").value().name, "two");
  ASSERT_TRUE(cached.set_secret_digest("c1", "d2").ok());
  EXPECT_EQ(cached.find("c1").value().secret_digest, "d2");
  EXPECT_EQ(cached.list().value().front().secret_digest, "d2");
  ASSERT_TRUE(cached.remove("c1").ok());
  EXPECT_FALSE(cached.find("c1").ok());
  EXPECT_EQ(inner.finds, 4);
}

// Sessions that count finds; delete_expired reports `expired` rows gone.
class SweptSessionStore final : public store::SessionStore {
 public:
  StoreResult<void> create(const model::Session& /*session*/) override { return {}; }
  StoreResult<model::Session> find(std::string_view id_digest) override {
    ++finds;
    model::Session session;
    session.id_digest = std::string(id_digest);
    return session;
  }
  StoreResult<void> touch(std::string_view, TimePoint, TimePoint) override { return {}; }
  StoreResult<void> set_auth_time(std::string_view, TimePoint) override { return {}; }
  StoreResult<void> remove(std::string_view) override { return {}; }
  StoreResult<std::int64_t> remove_for_user(std::string_view) override { return 0; }
  StoreResult<std::int64_t> delete_expired(TimePoint /*before*/) override { return expired; }

  int finds = 0;
  std::int64_t expired = 0;
};

TEST(CachedSessionStoreTest, OnlyASweepThatDeletesSomethingEmptiesTheCache) {
  SweptSessionStore inner;
  LocalChangeCounter counter;
  store::CachedSessionStore cached(inner, counter);
  ASSERT_TRUE(cached.find("s1").ok());
  EXPECT_EQ(cached.delete_expired(TimePoint{}).value(), 0);
  ASSERT_TRUE(cached.find("s1").ok());
  EXPECT_EQ(inner.finds, 1);
  inner.expired = 2;
  EXPECT_EQ(cached.delete_expired(TimePoint{}).value(), 2);
  ASSERT_TRUE(cached.find("s1").ok());
  EXPECT_EQ(inner.finds, 2);
}

}  // namespace
}  // namespace latchkey::store_test
