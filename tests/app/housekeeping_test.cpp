// app::sweep_expired on a real SQLite store: what the server's housekeeping deletes and keeps.
#include "app/housekeeping.hpp"

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.hpp"
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

TEST_F(HousekeepingTest, ASecondSweepFindsNothingLeft) {
  add_code("long-gone", kNow - kExpiredCodeGrace - minutes(1));
  (void)sweep_expired(*store_, kNow, *log_);
  const auto counts = sweep_expired(*store_, kNow, *log_);
  EXPECT_EQ(counts.codes, 0);
  EXPECT_EQ(counts.revoked_jtis, 0);
}

}  // namespace
}  // namespace latchkey::app
