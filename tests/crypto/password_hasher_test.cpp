#include "crypto/password_hasher.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

namespace latchkey::crypto {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20U;
/// 4 MiB and one pass: a few milliseconds, long enough for eight threads to overlap.
constexpr PasswordHashParams kSmall{1, 4 * kMiB};

/// Starts `threads` threads at once, each hashing and verifying once; returns how many
/// verifications succeeded.
int hash_from_threads(PasswordHasher& hasher, int threads) {
  std::latch start(threads);
  std::atomic<int> verified{0};
  std::vector<std::jthread> pool;
  for (int i = 0; i < threads; ++i) {
    pool.emplace_back([&, i] {
      start.arrive_and_wait();
      const std::string password = "password " + std::to_string(i);
      const auto hash = hasher.hash(password);
      if (hash && hasher.verify(*hash, password)) ++verified;
    });
  }
  pool.clear();  // joins
  return verified.load();
}

TEST(PasswordHasher, TheDefaultBudgetFitsOneHashAndAnyBudgetAtLeastOne) {
  EXPECT_EQ(hashes_within(32 * kMiB), 1U);
  EXPECT_EQ(hashes_within(64 * kMiB), 2U);
  EXPECT_EQ(hashes_within(100 * kMiB), 3U);
  EXPECT_EQ(hashes_within(0), 1U);
  EXPECT_EQ(hashes_within(8 * kMiB, kSmall), 2U);
}

TEST(PasswordHasher, HashesWithItsParametersAndVerifies) {
  PasswordHasher hasher(1, kSmall);
  const auto hash = hasher.hash("correct horse");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=4096,t=1,p=1$", 0), 0U) << *hash;
  EXPECT_TRUE(hasher.verify(*hash, "correct horse"));
  EXPECT_FALSE(hasher.verify(*hash, "correct horsE"));
  EXPECT_FALSE(hasher.verify("$argon2id$garbage", "x"));
}

TEST(PasswordHasher, ZeroIsTakenAsOne) {
  EXPECT_EQ(PasswordHasher(0, kSmall).max_concurrent(), 1U);
}

// Issue 6: each hash holds its memory until it ends, so the bound on hashes at once is the
// bound on their memory. Sixteen threads asking together must never get more than two slots.
TEST(PasswordHasher, NoMoreThanTheBoundRunAtOnceAndEveryCallerGetsItsTurn) {
  PasswordHasher hasher(2, kSmall);
  EXPECT_EQ(hash_from_threads(hasher, 16), 16);
  EXPECT_GE(hasher.peak_concurrent(), 1U);
  EXPECT_LE(hasher.peak_concurrent(), 2U);
}

TEST(PasswordHasher, OneSlotSerialisesEveryHash) {
  PasswordHasher hasher(1, kSmall);
  EXPECT_EQ(hash_from_threads(hasher, 8), 8);
  EXPECT_EQ(hasher.peak_concurrent(), 1U);
}

// The counter itself sees overlap when the bound allows it, so the tests above would catch a
// bound that stopped waiting.
TEST(PasswordHasher, PeakCountsHashesThatOverlap) {
  PasswordHasher hasher(16, kSmall);
  EXPECT_EQ(hash_from_threads(hasher, 16), 16);
  EXPECT_GE(hasher.peak_concurrent(), 2U);
}

}  // namespace
}  // namespace latchkey::crypto
