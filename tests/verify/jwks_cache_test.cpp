// JwksCache: how long a fetched key set is trusted, and what happens when the issuer fails.

#include "verify/jwks_cache.hpp"

#include <gtest/gtest.h>

#include "verify/test_issuer.hpp"

namespace latchkey::verify {
namespace {

using namespace std::chrono_literals;
using testing::FakeIssuer;
using testing::kStart;

TEST(CacheLifetime, ReadsMaxAgeAndHonoursNoStore) {
  EXPECT_EQ(cache_lifetime("public, max-age=60", 600s, 86400s), 60s);
  EXPECT_EQ(cache_lifetime("Max-Age=\"90\"", 600s, 86400s), 90s);
  EXPECT_EQ(cache_lifetime("max-age=99999999999", 600s, 86400s), 86400s);
  EXPECT_EQ(cache_lifetime("no-store", 600s, 86400s), 0s);
  EXPECT_EQ(cache_lifetime("max-age=60, no-cache", 600s, 86400s), 0s);
  EXPECT_EQ(cache_lifetime("max-age=-5", 600s, 86400s), 600s);
  EXPECT_EQ(cache_lifetime("max-age=abc", 600s, 86400s), 600s);
  EXPECT_EQ(cache_lifetime("public", 600s, 86400s), 600s);
  EXPECT_EQ(cache_lifetime(std::nullopt, 600s, 86400s), 600s);
}

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() { issuer_.publish({key_}); }
  [[nodiscard]] JwksCache cache() const {
    return JwksCache(issuer_.issuer() + ".well-known/jwks.json", {}, clock_);
  }

  ManualClock clock_{kStart};
  FakeIssuer issuer_;
  jose::SigningKey key_ = jose::SigningKey::generate(jose::Algorithm::es256);
};

TEST_F(JwksCacheTest, FreshSetIsServedFromTheCacheUntilItsMaxAge) {
  issuer_.set_cache_control("public, max-age=120");
  auto jwks = cache();
  auto first = jwks.keys();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_NE((*first)->find(key_.kid()), nullptr);
  clock_.advance(119s);
  ASSERT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 1);
  clock_.advance(2s);
  ASSERT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 2);
  EXPECT_EQ(jwks.fetch_count(), 2U);
}

TEST_F(JwksCacheTest, WithoutCacheControlTheSetLastsTenMinutes) {
  auto jwks = cache();
  ASSERT_TRUE(jwks.keys().ok());
  clock_.advance(599s);
  ASSERT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 1);
  clock_.advance(2s);
  ASSERT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(JwksCacheTest, NoStoreStillFetchesAtMostOncePerInterval) {
  issuer_.set_cache_control("no-store");
  auto jwks = cache();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(jwks.keys().ok());
    clock_.advance(1s);
  }
  EXPECT_EQ(issuer_.fetches(), 1);
  clock_.advance(30s);
  ASSERT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(JwksCacheTest, LastGoodSetIsKeptWhileTheIssuerFails) {
  issuer_.set_cache_control("max-age=60");
  auto jwks = cache();
  ASSERT_TRUE(jwks.keys().ok());
  issuer_.set_status(500);
  clock_.advance(61s);
  const auto stale = jwks.keys();
  ASSERT_TRUE(stale.ok());
  EXPECT_NE((*stale)->find(key_.kid()), nullptr);
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(JwksCacheTest, FailedFirstFetchIsAnErrorAndRateLimited) {
  issuer_.set_status(503);
  auto jwks = cache();
  const auto first = jwks.keys();
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().find("503"), std::string::npos);
  EXPECT_FALSE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 1);
  issuer_.set_status(200);
  clock_.advance(30s);
  EXPECT_TRUE(jwks.keys().ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(JwksCacheTest, KeysWithAKnownKidDoesNotFetchAgain) {
  auto jwks = cache();
  ASSERT_TRUE(jwks.keys_with(key_.kid()).ok());
  clock_.advance(40s);
  ASSERT_TRUE(jwks.keys_with(key_.kid()).ok());
  EXPECT_EQ(issuer_.fetches(), 1);
  ASSERT_TRUE(jwks.keys_with("unknown").ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

}  // namespace
}  // namespace latchkey::verify
