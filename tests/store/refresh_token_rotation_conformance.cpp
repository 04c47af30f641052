// Conformance for refresh token rotation (RFC 9700 §4.14.2): RefreshTokenStore::rotate spends a
// token and adds its successor atomically. Part of GrantFlowConformance (users "auth0|alice",
// "auth0|bob", clients "app1", "app2"): every back end runs it unchanged.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "store_conformance.hpp"

namespace latchkey::store_test {
namespace {

using model::RefreshToken;
using store::StoreError;

RefreshToken family_root(const std::string& digest) {
  RefreshToken token;
  token.token_digest = digest;
  token.family_id = "fam-1";
  token.client_id = "app1";
  token.user_id = "auth0|alice";
  token.audience = "https://api.example.com/";
  token.scopes = {"openid", "offline_access", "read:messages"};
  token.session_id = "session-1";
  token.created_at = at_ms(1'700'000'000'000);
  token.expires_at = at_ms(1'700'086'400'000);
  return token;
}

RefreshToken child_of(const RefreshToken& parent, const std::string& digest) {
  RefreshToken child = parent;
  child.token_digest = digest;
  child.parent_digest = parent.token_digest;
  child.created_at = parent.created_at + std::chrono::seconds(60);
  return child;
}

TEST_P(GrantFlowConformance, RotatingATokenAddsItsChildToTheFamily) {
  const RefreshToken root = family_root("rt-root");
  ASSERT_TRUE(store().refresh_tokens().create(root).ok());
  const auto rotated = store().refresh_tokens().rotate("rt-root", child_of(root, "rt-child"));
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(*rotated);
  const auto child = store().refresh_tokens().find("rt-child");
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(child->parent_digest, "rt-root");
  EXPECT_EQ(child->family_id, "fam-1");
  EXPECT_EQ(child->scopes, root.scopes);
  EXPECT_EQ(child->expires_at, root.expires_at);
  EXPECT_FALSE(child->revoked_at.has_value());
  // The parent stays findable (its reuse must be recognised) and is not revoked by rotation.
  const auto parent = store().refresh_tokens().find("rt-root");
  ASSERT_TRUE(parent.ok());
  EXPECT_FALSE(parent->revoked_at.has_value());
}

TEST_P(GrantFlowConformance, RotatingASpentTokenAgainIsRefusedAndAddsNothing) {
  const RefreshToken root = family_root("rt-root");
  ASSERT_TRUE(store().refresh_tokens().create(root).ok());
  ASSERT_TRUE(*store().refresh_tokens().rotate("rt-root", child_of(root, "rt-first")));
  const auto again = store().refresh_tokens().rotate("rt-root", child_of(root, "rt-second"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  EXPECT_EQ(store().refresh_tokens().find("rt-second").error(), StoreError::not_found);
  // The child is a fresh token and may itself be rotated once.
  const auto first = store().refresh_tokens().find("rt-first");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*store().refresh_tokens().rotate("rt-first", child_of(*first, "rt-grandchild")));
}

TEST_P(GrantFlowConformance, RotatingARevokedTokenIsRefused) {
  const RefreshToken root = family_root("rt-root");
  ASSERT_TRUE(store().refresh_tokens().create(root).ok());
  ASSERT_EQ(*store().refresh_tokens().revoke_family("fam-1", at_ms(1'700'000'001'000)), 1);
  const auto rotated = store().refresh_tokens().rotate("rt-root", child_of(root, "rt-child"));
  ASSERT_TRUE(rotated.ok());
  EXPECT_FALSE(*rotated);
  EXPECT_EQ(store().refresh_tokens().find("rt-child").error(), StoreError::not_found);
}

TEST_P(GrantFlowConformance, RotatingAnUnknownTokenIsNotFound) {
  const RefreshToken ghost = family_root("rt-ghost");
  EXPECT_EQ(store().refresh_tokens().rotate("rt-ghost", child_of(ghost, "rt-child")).error(),
            StoreError::not_found);
  EXPECT_EQ(store().refresh_tokens().find("rt-child").error(), StoreError::not_found);
}

TEST_P(GrantFlowConformance, RevokingTheFamilyAfterReuseKillsEveryGeneration) {
  const RefreshToken root = family_root("rt-root");
  ASSERT_TRUE(store().refresh_tokens().create(root).ok());
  const RefreshToken child = child_of(root, "rt-child");
  ASSERT_TRUE(*store().refresh_tokens().rotate("rt-root", child));
  ASSERT_TRUE(*store().refresh_tokens().rotate("rt-child", child_of(child, "rt-grandchild")));
  EXPECT_EQ(*store().refresh_tokens().revoke_family("fam-1", at_ms(1'700'000'500'000)), 3);
  for (const char* digest : {"rt-root", "rt-child", "rt-grandchild"}) {
    const auto found = store().refresh_tokens().find(digest);
    ASSERT_TRUE(found.ok()) << digest;
    EXPECT_EQ(found->revoked_at, at_ms(1'700'000'500'000)) << digest;
  }
  EXPECT_FALSE(*store().refresh_tokens().rotate("rt-grandchild", child_of(child, "rt-late")));
}

TEST_P(GrantFlowConformance, OfConcurrentRotationsOfOneTokenExactlyOneSucceeds) {
  const RefreshToken root = family_root("rt-root");
  ASSERT_TRUE(store().refresh_tokens().create(root).ok());
  constexpr int kRacers = 8;
  std::atomic<int> winners{0};
  std::atomic<int> losers{0};
  std::atomic<int> failures{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> racers;
  racers.reserve(kRacers);
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      const RefreshToken child = child_of(root, "rt-racer-" + std::to_string(i));
      while (!go.load()) std::this_thread::yield();
      const auto rotated = store().refresh_tokens().rotate("rt-root", child);
      if (!rotated.ok()) {
        ++failures;
      } else if (*rotated) {
        ++winners;
      } else {
        ++losers;
      }
    });
  }
  go = true;
  for (auto& racer : racers) racer.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(winners.load(), 1);
  EXPECT_EQ(losers.load(), kRacers - 1);
  int children = 0;
  for (int i = 0; i < kRacers; ++i) {
    if (store().refresh_tokens().find("rt-racer-" + std::to_string(i)).ok()) ++children;
  }
  EXPECT_EQ(children, 1);
}

}  // namespace
}  // namespace latchkey::store_test
