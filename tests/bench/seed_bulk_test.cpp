// SqliteStore::insert_batch, the bulk insert bench/seed uses: conformance with create(). A row
// written in a batch reads back exactly as the same record written by create(), and a batch
// fails as create() would, all or nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "model/json.hpp"
#include "model/model.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

using store::StoreError;
using store::sqlite::SqliteStore;

constexpr TimePoint kT0{std::chrono::milliseconds(1'700'000'000'123)};

model::User user(const std::string& id, const std::string& email) {
  model::User u;
  u.user_id = id;
  u.email = email;
  u.email_verified = true;
  u.name = "Ada Lovelace";
  u.nickname = "ada";
  u.picture = "https://example.com/ada.png";
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  u.app_metadata = {{"plan", "gold"}};
  u.user_metadata = {{"lang", "fr"}};
  u.logins_count = 3;
  u.last_login = kT0 + std::chrono::seconds(5);
  u.created_at = kT0;
  u.updated_at = kT0 + std::chrono::seconds(1);
  return u;
}

model::RefreshToken token(const std::string& digest, const std::string& user_id) {
  model::RefreshToken t;
  t.token_digest = digest;
  t.family_id = "family-" + digest;
  t.client_id = "web";
  t.user_id = user_id;
  t.audience = "https://api.example.com/";
  t.scopes = {"openid", "offline_access"};
  t.created_at = kT0;
  t.expires_at = kT0 + std::chrono::hours(720);
  return t;
}

class BulkInsert : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = SqliteStore::open(dir_.path() / "latchkey.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(*opened);
    model::Client client;
    client.client_id = "web";
    client.name = "Web";
    client.created_at = kT0;
    ASSERT_TRUE(store_->clients().create(client).ok());
  }

  TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
};

TEST_F(BulkInsert, ABatchedUserReadsBackExactlyAsOneWrittenByCreate) {
  ASSERT_TRUE(store_->users().create(user("auth0|a", "a@example.com")).ok());
  const std::vector<model::User> batch{user("auth0|b", "B@Example.com")};
  ASSERT_TRUE(store_->insert_batch(batch, {}).ok());
  auto created = store_->users().find("auth0|a");
  auto batched = store_->users().find("auth0|b");
  ASSERT_TRUE(created.ok() && batched.ok());
  batched->user_id = created->user_id;
  EXPECT_EQ(batched->email, "b@example.com");  // folded, as create() folds it
  batched->email = created->email;
  EXPECT_EQ(model::to_json(*batched), model::to_json(*created));
  EXPECT_EQ(batched->password_hash, created->password_hash);
  EXPECT_EQ(batched->updated_at, created->updated_at);
  EXPECT_TRUE(store_->users().find_by_email("b@example.com").ok());
}

TEST_F(BulkInsert, ABatchedRefreshTokenReadsBackExactlyAsOneWrittenByCreate) {
  ASSERT_TRUE(store_->users().create(user("auth0|a", "a@example.com")).ok());
  ASSERT_TRUE(store_->refresh_tokens().create(token("d1", "auth0|a")).ok());
  const std::vector<model::RefreshToken> batch{token("d2", "auth0|a")};
  ASSERT_TRUE(store_->insert_batch({}, batch).ok());
  auto created = store_->refresh_tokens().find("d1");
  auto batched = store_->refresh_tokens().find("d2");
  ASSERT_TRUE(created.ok() && batched.ok());
  EXPECT_EQ(batched->family_id, "family-d2");
  EXPECT_EQ(batched->scopes, created->scopes);
  EXPECT_EQ(batched->audience, created->audience);
  EXPECT_EQ(batched->created_at, created->created_at);
  EXPECT_EQ(batched->expires_at, created->expires_at);
  EXPECT_FALSE(batched->revoked_at.has_value());
  // The store's own operations work on batched rows.
  auto revoked = store_->refresh_tokens().revoke_family("family-d2", kT0);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(*revoked, 1);
}

TEST_F(BulkInsert, ABatchWithAConflictOrAMissingUserAddsNothing) {
  ASSERT_TRUE(store_->users().create(user("auth0|a", "a@example.com")).ok());
  const std::vector<model::User> users{user("auth0|b", "b@example.com"),
                                       user("auth0|a", "other@example.com")};
  auto conflict = store_->insert_batch(users, {});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error(), StoreError::conflict);
  EXPECT_EQ(store_->users().find("auth0|b").error(), StoreError::not_found);

  const std::vector<model::User> one{user("auth0|c", "c@example.com")};
  const std::vector<model::RefreshToken> orphan{token("d9", "auth0|nobody")};
  auto missing = store_->insert_batch(one, orphan);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error(), StoreError::not_found);
  EXPECT_EQ(store_->users().find("auth0|c").error(), StoreError::not_found);
}

}  // namespace
}  // namespace latchkey::testing
