// app::sweep_expired on a real SQLite store: what the server's housekeeping deletes and keeps.
#include "app/housekeeping.hpp"

#include <gtest/gtest.h>

#include <optional>

#include "store/sqlite/sqlite_store.hpp"
#include "store/transaction_store.hpp"
#include "support/process.hpp"

namespace latchkey::app {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kNow = from_unix_seconds(1'800'000'000);

class HousekeepingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(opened).value();
    model::Client client;
    client.client_id = "app1";
    client.name = "App One";
    ASSERT_TRUE(store_->clients().create(client).ok());
    model::User user;
    user.user_id = "auth0|ann";
    user.email = "ann@example.com";
    ASSERT_TRUE(store_->users().create(user).ok());
  }

  void add_code(const std::string& digest, TimePoint expires_at) {
    model::AuthorizationCode code;
    code.code_digest = digest;
    code.client_id = "app1";
    code.user_id = "auth0|ann";
    code.created_at = expires_at - seconds(60);
    code.expires_at = expires_at;
    ASSERT_TRUE(store_->authorization_codes().create(code).ok());
  }

  void add_session(const std::string& digest, TimePoint expires_at) {
    model::Session session;
    session.id_digest = digest;
    session.user_id = "auth0|ann";
    session.created_at = expires_at - std::chrono::hours(1);
    session.expires_at = expires_at;
    ASSERT_TRUE(store_->sessions().create(session).ok());
  }

  void add_transaction(const std::string& id, TimePoint expires_at) {
    store::AuthorizationTransaction transaction;
    transaction.id = id;
    transaction.client_id = "app1";
    transaction.created_at = expires_at - minutes(30);
    transaction.expires_at = expires_at;
    ASSERT_TRUE(store_->transactions().create(transaction).ok());
  }

  void add_refresh_token(const std::string& digest, const std::string& parent,
                         std::optional<TimePoint> expires_at) {
    model::RefreshToken token;
    token.token_digest = digest;
    token.family_id = "family";
    token.parent_digest = parent;
    token.client_id = "app1";
    token.user_id = "auth0|ann";
    token.created_at = kNow - std::chrono::hours(24);
    token.expires_at = expires_at;
    ASSERT_TRUE(store_->refresh_tokens().create(token).ok());
  }

  bool has_code(const std::string& digest) {
    return store_->authorization_codes().redeem(digest, kNow).ok();
  }

  testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  std::shared_ptr<Logger> log_ = make_null_logger();
};

TEST_F(HousekeepingTest, DeletesCodesPastTheirGraceAndKeepsTheRest) {
  add_code("long-gone", kNow - kExpiredCodeGrace - minutes(1));
  add_code("just-expired", kNow - seconds(30));  // a late replay must still find it
  add_code("live", kNow + seconds(30));
  const auto counts = sweep_expired(*store_, kNow, *log_);
  EXPECT_EQ(counts.codes, 1);
  EXPECT_FALSE(has_code("long-gone"));
  EXPECT_TRUE(has_code("just-expired"));
  EXPECT_TRUE(has_code("live"));
}

TEST_F(HousekeepingTest, ForgetsRevokedJtisOnceTheirTokensHaveExpired) {
  ASSERT_TRUE(store_->revoked_tokens().revoke("old", kNow - seconds(1)).ok());
  ASSERT_TRUE(store_->revoked_tokens().revoke("current", kNow + minutes(5)).ok());
  const auto counts = sweep_expired(*store_, kNow, *log_);
  EXPECT_EQ(counts.revoked_jtis, 1);
  EXPECT_FALSE(*store_->revoked_tokens().is_revoked("old"));
  EXPECT_TRUE(*store_->revoked_tokens().is_revoked("current"));
}

TEST_F(HousekeepingTest, DeletesExpiredSessionsAndAbandonedTransactionsAndKeepsLiveOnes) {
  add_session("expired", kNow - seconds(1));
  add_session("live", kNow + seconds(1));
  add_transaction("abandoned", kNow - seconds(1));
  add_transaction("on-the-login-page", kNow + seconds(1));
  const auto counts = sweep_expired(*store_, kNow, *log_);
  EXPECT_EQ(counts.sessions, 1);
  EXPECT_EQ(counts.transactions, 1);
  EXPECT_FALSE(store_->sessions().find("expired").ok());
  EXPECT_TRUE(store_->sessions().find("live").ok());
  EXPECT_FALSE(store_->transactions().find("abandoned").ok());
  EXPECT_TRUE(store_->transactions().find("on-the-login-page").ok());
}

TEST_F(HousekeepingTest, DeletesRefreshTokensOnlyOnceTheirFamilyHasExpired) {
  add_refresh_token("spent-expired", "", kNow - seconds(1));
  add_refresh_token("spent-live", "", kNow + seconds(1));  // a replay must still find it
  add_refresh_token("current", "spent-live", kNow + seconds(1));
  add_refresh_token("no-lifetime", "", std::nullopt);
  const auto counts = sweep_expired(*store_, kNow, *log_);
  EXPECT_EQ(counts.refresh_tokens, 1);
  EXPECT_FALSE(store_->refresh_tokens().find("spent-expired").ok());
  EXPECT_TRUE(store_->refresh_tokens().find("spent-live").ok());
  EXPECT_TRUE(store_->refresh_tokens().find("current").ok());
  EXPECT_TRUE(store_->refresh_tokens().find("no-lifetime").ok());
}

TEST_F(HousekeepingTest, ASecondSweepFindsNothingLeft) {
  add_code("long-gone", kNow - kExpiredCodeGrace - minutes(1));
  add_session("expired", kNow - seconds(1));
  add_transaction("abandoned", kNow - seconds(1));
  add_refresh_token("expired", "", kNow - seconds(1));
  EXPECT_EQ(sweep_expired(*store_, kNow, *log_).total(), 4);
  EXPECT_EQ(sweep_expired(*store_, kNow, *log_).total(), 0);
}

}  // namespace
}  // namespace latchkey::app
