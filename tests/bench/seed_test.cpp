// bench/seed (issue 6, item 4): latchkey-seed fills a real latchkey's store, and the server and
// the CLI see the seeded users and tokens as their own: the CLI finds a user, the counts match,
// a seeded user logs in with the documented password, and the tokens are live. Also the bulk
// insert the seeder uses writes exactly the rows create() writes.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "crypto/password.hpp"
#include "integration/live_server.hpp"
#include "seeder.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kApi = "https://seeded.example.com/";
constexpr const char* kCallback = "https://app.example.com/callback";
constexpr int kUsers = 200;
constexpr int kTokens = 300;

ProcessResult run_seed(const std::filesystem::path& dir, const std::vector<std::string>& args) {
  std::vector<std::string> argv{SEED_BINARY, "--data-dir", dir.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, "", std::chrono::seconds(30));
}

// The first column of the first row of `sql` on the server's database, read by SQLite itself.
std::int64_t count_rows(const std::filesystem::path& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  std::int64_t value = -1;
  const auto file = (dir / "latchkey.db").string();
  if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return value;
}

class SeededStore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kApi, "--name", "Seeded", "--scope",
                  "read:things=Read things", "--allow-offline-access"});
    web_ = server_->create_client("Web", "regular_web", {kCallback});
    seeded_ = run_seed(server_->data_dir(),
                       {"--users", std::to_string(kUsers), "--refresh-tokens",
                        std::to_string(kTokens), "--client-id", web_.id, "--audience", kApi});
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient web_;
  static inline ProcessResult seeded_;
};

TEST_F(SeededStore, SeedingReportsTheTotalsAndTheRate) {
  ASSERT_EQ(seeded_.exit_code, 0) << seeded_.err;
  EXPECT_NE(seeded_.out.find("seeded 200 users and 300 refresh tokens"), std::string::npos)
      << seeded_.out;
  EXPECT_NE(seeded_.out.find("rows/s"), std::string::npos) << seeded_.out;
}

TEST_F(SeededStore, TheCliFindsASeededUserByEmail) {
  const auto user = server_->cli({"users", "get", "user7@seed.example"});
  EXPECT_EQ(user.value("email", ""), "user7@seed.example");
  EXPECT_TRUE(user.value("user_id", "").starts_with("auth0|")) << user.dump();
  EXPECT_EQ(user.value("user_id", "").size(), std::string("auth0|").size() + 24);
}

TEST_F(SeededStore, TheStoreHoldsExactlyTheSeededUsersAndLiveTokens) {
  const auto dir = server_->data_dir();
  EXPECT_EQ(count_rows(dir, "SELECT count(*) FROM users WHERE email LIKE '%@seed.example'"),
            kUsers);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_EQ(count_rows(dir,
                       "SELECT count(*) FROM refresh_tokens WHERE revoked_at_ms IS NULL "
                       "AND expires_at_ms > " +
                           std::to_string(now_ms) + " AND client_id = '" + web_.id +
                           "' AND audience = '" + kApi + "'"),
            kTokens);
  // Every seeded user holds a token (300 tokens round-robin over 200 users).
  EXPECT_EQ(count_rows(dir, "SELECT count(DISTINCT user_id) FROM refresh_tokens"), kUsers);
  EXPECT_EQ(count_rows(dir, "SELECT count(DISTINCT token_digest) FROM refresh_tokens"), kTokens);
}

TEST_F(SeededStore, ASeededUserLogsInWithTheDocumentedPassword) {
  Browser browser(server_->port());
  const auto done = walk(browser, *server_,
                         authorize_url({{"response_type", "code"},
                                        {"client_id", web_.id},
                                        {"redirect_uri", kCallback},
                                        {"scope", "openid offline_access"},
                                        {"audience", kApi},
                                        {"state", "s1"},
                                        {"code_challenge", kPkceChallenge},
                                        {"code_challenge_method", "S256"}}),
                         {"user42@seed.example", std::string(seed::kSeedPassword), true});
  EXPECT_TRUE(done.login_shown);
  const auto code = query_param(done.location, "code");
  ASSERT_TRUE(code.has_value()) << done.location;
  const auto response = redeem_code(browser, web_, *code, kCallback);
  ASSERT_TRUE(response && response->status == 200) << (response ? response->body : "");
  EXPECT_NE(response->body.find("refresh_token"), std::string::npos);
}

TEST_F(SeededStore, SeedingAStoreThatHoldsSeededUsersIsRefusedAndChangesNothing) {
  const auto again = run_seed(server_->data_dir(), {"--users", "5", "--refresh-tokens", "0"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already holds seeded users"), std::string::npos) << again.err;
  EXPECT_EQ(count_rows(server_->data_dir(), "SELECT count(*) FROM users"), kUsers);
}

TEST(SeedBinary, AClientThatDoesNotExistIsNamedInTheError) {
  TempDir dir;
  const auto r = run_seed(
      dir.path(), {"--users", "3", "--refresh-tokens", "3", "--client-id", "no-such-client"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("client no-such-client"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not_found"), std::string::npos) << r.err;
}

TEST(SeedBinary, TokensWithoutUsersOrClientAreUsageErrors) {
  TempDir dir;
  const auto no_users =
      run_seed(dir.path(), {"--users", "0", "--refresh-tokens", "3", "--client-id", "c"});
  EXPECT_EQ(no_users.exit_code, 2);
  EXPECT_NE(no_users.err.find("--users must be at least 1"), std::string::npos) << no_users.err;
  const auto no_client = run_seed(dir.path(), {"--users", "2", "--refresh-tokens", "3"});
  EXPECT_EQ(no_client.exit_code, 2);
  EXPECT_NE(no_client.err.find("--client-id is required"), std::string::npos) << no_client.err;
}

TEST(SeedBinary, HelpDocumentsThePasswordAndTheSharedHash) {
  const auto r = run_process({SEED_BINARY, "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find(std::string(seed::kSeedPassword)), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("computed once and reused"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace latchkey::testing
