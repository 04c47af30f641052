// The SQLite back end: the conformance suite on a fresh temp file per test, then what only
// SQLite has (pragmas, migrations, files shared between stores, locking, bad paths).

#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/commit_deferral.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/connection_pool.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/queries.hpp"
#include "store/transaction_store.hpp"
#include "store_conformance.hpp"
#include "temp_dir.hpp"

namespace latchkey::store_test {
namespace {

using store::StoreError;
using store::sqlite::SqliteOptions;
using store::sqlite::SqliteStore;

// A store that owns the temp directory holding its database, so each test cleans up after itself.
class TempSqliteStore final : public store::Store {
 public:
  TempSqliteStore(std::unique_ptr<TempDir> dir, std::unique_ptr<SqliteStore> store)
      : dir_(std::move(dir)), store_(std::move(store)) {}
  store::ClientStore& clients() override { return store_->clients(); }
  store::ResourceServerStore& resource_servers() override { return store_->resource_servers(); }
  store::UserStore& users() override { return store_->users(); }
  store::SigningKeyStore& signing_keys() override { return store_->signing_keys(); }
  store::SessionStore& sessions() override { return store_->sessions(); }
  store::GrantStore& grants() override { return store_->grants(); }
  store::ClientGrantStore& client_grants() override { return store_->client_grants(); }
  store::AuthorizationCodeStore& authorization_codes() override {
    return store_->authorization_codes();
  }
  store::RefreshTokenStore& refresh_tokens() override { return store_->refresh_tokens(); }
  store::RevokedTokenStore& revoked_tokens() override { return store_->revoked_tokens(); }
  store::LoginAttemptStore& login_attempts() override { return store_->login_attempts(); }
  store::TransactionStore& transactions() override { return store_->transactions(); }
  store::RuleStore& rules() override { return store_->rules(); }
  store::ActionStore& actions() override { return store_->actions(); }
  store::RuleConfigStore& rule_configs() override { return store_->rule_configs(); }
  store::ActionSecretStore& action_secrets() override { return store_->action_secrets(); }
  bool ping() override { return store_->ping(); }
  store::StoreResult<int> schema_version() override { return store_->schema_version(); }

 private:
  std::unique_ptr<TempDir> dir_;  // destroyed after the store has closed its files
  std::unique_ptr<SqliteStore> store_;
};

std::unique_ptr<store::Store> make_temp_sqlite_store() {
  auto dir = std::make_unique<TempDir>();
  if (dir->path().empty()) return nullptr;
  auto opened = SqliteStore::open(dir->path() / "latchkey.db");
  if (!opened) {
    ADD_FAILURE() << opened.error();
    return nullptr;
  }
  return std::make_unique<TempSqliteStore>(std::move(dir), std::move(opened).value());
}

StoreBackend sqlite_backend() {
  return StoreBackend{"Sqlite", make_temp_sqlite_store, SqliteStore::latest_schema_version()};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values(sqlite_backend()),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Sqlite, GrantFlowConformance, ::testing::Values(sqlite_backend()),
                         backend_name);

// A plain SQLite handle, for looking at (and tampering with) the file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& file) {
    if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << "raw open failed";
    sqlite3_busy_timeout(db_, 5000);
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;
  ~RawDb() { sqlite3_close(db_); }

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error != nullptr ? error : "?");
    }
    sqlite3_free(error);
  }

  std::int64_t integer(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      value = sqlite3_column_int64(stmt, 0);
    } else {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
    }
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir_.path().empty()); }

  [[nodiscard]] std::filesystem::path db_file() const { return dir_.path() / "latchkey.db"; }

  std::unique_ptr<SqliteStore> open_store(SqliteOptions options = {}) {
    auto opened = SqliteStore::open(db_file(), std::move(options));
    if (!opened) {
      ADD_FAILURE() << opened.error();
      return nullptr;
    }
    return std::move(opened).value();
  }

  TempDir dir_;
};

model::User user_numbered(int n) {
  model::User user;
  user.user_id = "auth0|" + std::to_string(n);
  user.email = "user" + std::to_string(n) + "@example.com";
  user.created_at = TimePoint(std::chrono::milliseconds(n));
  return user;
}

TEST_F(SqliteStoreTest, ConnectionsUseWalNormalSyncAndForeignKeys) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->pragma("journal_mode").value(), "wal");
  EXPECT_EQ(store->pragma("foreign_keys").value(), "1");
  EXPECT_EQ(store->pragma("synchronous").value(), "1");  // NORMAL
  RawDb raw(db_file());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"), 1);
}

TEST_F(SqliteStoreTest, PragmaRefusesNamesThatAreNotIdentifiers) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto result = store->pragma("journal_mode; DROP TABLE users");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), StoreError::not_found);
  EXPECT_TRUE(store->users().list().ok());
}

TEST_F(SqliteStoreTest, OpeningWithoutMigrateLeavesAFreshDatabaseAtVersionZero) {
  auto store = open_store({.migrate = false});
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version().value(), 0);
  const auto listed = store->clients().list();
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error(), StoreError::unavailable);  // no table yet: an error, not a crash
}

TEST_F(SqliteStoreTest, MigrateIsIdempotentAndReportsTheVersion) {
  auto store = open_store({.migrate = false});
  ASSERT_NE(store, nullptr);
  const auto first = store->migrate();
  ASSERT_TRUE(first.ok()) << first.error();
  EXPECT_EQ(*first, SqliteStore::latest_schema_version());
  const auto second = store->migrate();
  ASSERT_TRUE(second.ok()) << second.error();
  EXPECT_EQ(*second, SqliteStore::latest_schema_version());
  EXPECT_EQ(store->schema_version().value(), SqliteStore::latest_schema_version());
  RawDb raw(db_file());
  EXPECT_EQ(raw.integer("SELECT count(*) FROM schema_migrations"),
            SqliteStore::latest_schema_version());
  EXPECT_TRUE(store->clients().list().ok());
}

TEST_F(SqliteStoreTest, MigrationRecordsTheInjectedClockTime) {
  const auto clock = std::make_shared<ManualClock>(from_unix_seconds(1'700'000'000));
  auto store = open_store({.clock = clock});
  ASSERT_NE(store, nullptr);
  RawDb raw(db_file());
  EXPECT_EQ(raw.integer("SELECT applied_at FROM schema_migrations WHERE version = 1"),
            1'700'000'000);
}

TEST_F(SqliteStoreTest, ReopeningKeepsTheData) {
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->users().create(user_numbered(1)).ok());
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->users().find("auth0|1").value().email, "user1@example.com");
}

TEST_F(SqliteStoreTest, DatabaseWithANewerSchemaIsRefused) {
  ASSERT_NE(open_store(), nullptr);
  const int future = SqliteStore::latest_schema_version() + 1;
  RawDb(db_file()).exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
                        std::to_string(future) + ", 0)");
  for (const bool migrate : {true, false}) {
    const auto opened = SqliteStore::open(db_file(), {.migrate = migrate});
    ASSERT_FALSE(opened.ok());
    EXPECT_NE(opened.error().find("newer"), std::string::npos) << opened.error();
    EXPECT_NE(opened.error().find(std::to_string(future)), std::string::npos) << opened.error();
  }
}

TEST_F(SqliteStoreTest, MigrateRefusesASchemaMadeNewerWhileOpen) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  RawDb(db_file()).exec("INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)");
  const auto migrated = store->migrate();
  ASSERT_FALSE(migrated.ok());
  EXPECT_NE(migrated.error().find("newer"), std::string::npos) << migrated.error();
}

TEST_F(SqliteStoreTest, TwoStoresOnOneFileSeeEachOthersWrites) {
  auto server = open_store();
  auto cli = open_store();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(cli->users().create(user_numbered(1)).ok());
  EXPECT_TRUE(server->users().find("auth0|1").ok());
  ASSERT_TRUE(server->users().set_blocked("auth0|1", true).ok());
  EXPECT_TRUE(cli->users().find("auth0|1").value().blocked);
  const auto duplicate = server->users().create(user_numbered(1));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error(), StoreError::conflict);
}

// Decision 23: the configuration read on every request is kept in memory, and a write by any
// store on the file (the CLI beside the server) is seen by the very next lookup.
TEST_F(SqliteStoreTest, ConfigurationChangedByAnotherStoreOnTheFileIsSeenAtOnce) {
  auto server = open_store();
  auto cli = open_store();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  model::Client client;
  client.client_id = "c1";
  client.callbacks = {"https://app.example/one"};
  ASSERT_TRUE(cli->clients().create(client).ok());
  ASSERT_EQ(server->clients().find("c1").value().callbacks, client.callbacks);
  client.callbacks = {"https://app.example/two"};
  ASSERT_TRUE(cli->clients().update(client).ok());
  EXPECT_EQ(server->clients().find("c1").value().callbacks, client.callbacks);

  model::ResourceServer api;
  api.id = "api1";
  api.identifier = "https://api.example/";
  ASSERT_TRUE(cli->resource_servers().create(api).ok());
  ASSERT_TRUE(server->resource_servers().find(api.identifier).ok());
  model::ClientGrant grant{"cgr_1", "c1", api.identifier, {"read:a"}, {}};
  ASSERT_TRUE(cli->client_grants().create(grant).ok());
  ASSERT_EQ(server->client_grants().find_for("c1", api.identifier).value().scopes, grant.scopes);
  ASSERT_TRUE(cli->client_grants().set_scopes("cgr_1", {"read:b"}).ok());
  EXPECT_EQ(server->client_grants().find_for("c1", api.identifier).value().scopes,
            std::vector<std::string>{"read:b"});
  ASSERT_TRUE(cli->resource_servers().remove(api.identifier).ok());
  EXPECT_FALSE(server->resource_servers().find(api.identifier).ok());
  EXPECT_FALSE(server->client_grants().find_for("c1", api.identifier).ok());

  ASSERT_TRUE(server->rules().list().value().empty());
  ASSERT_TRUE(server->actions().list().value().empty());
  model::Rule rule{"rul_1", "r", "function (u, c, cb) { cb(null, u, c); }", 1, true, {}, {}};
  ASSERT_TRUE(cli->rules().create(rule).ok());
  EXPECT_EQ(server->rules().list().value().size(), 1U);
  model::Action action{"act_1", "a", "exports.onExecutePostLogin = async () => {};", 1, true,
                       {},      {}};
  ASSERT_TRUE(cli->actions().create(action).ok());
  EXPECT_EQ(server->actions().list().value().size(), 1U);
  ASSERT_TRUE(cli->clients().remove("c1").ok());
  EXPECT_FALSE(server->clients().find("c1").ok());
}

// The counterpart: lookups are served from memory while nothing is written through a store
// (so a change made behind every store's back shows only after the next store write, or after
// GenerationCache::kMaxAge).
TEST_F(SqliteStoreTest, ConfigurationIsReadOnceUntilAStoreWritesAny) {
  auto server = open_store();
  auto cli = open_store();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  model::Client client;
  client.client_id = "c1";
  client.name = "before";
  ASSERT_TRUE(server->clients().create(client).ok());
  ASSERT_EQ(server->clients().find("c1").value().name, "before");
  RawDb(db_file()).exec("UPDATE clients SET name = 'behind' WHERE client_id = 'c1'");
  EXPECT_EQ(server->clients().find("c1").value().name, "before");
  model::Rule rule{"rul_1", "r", "function (u, c, cb) { cb(null, u, c); }", 1, true, {}, {}};
  ASSERT_TRUE(cli->rules().create(rule).ok());
  EXPECT_EQ(server->clients().find("c1").value().name, "behind");
}

TEST_F(SqliteStoreTest, AUserChangedByAnotherStoreOnTheFileIsSeenAtOnce) {
  auto server = open_store();
  auto cli = open_store();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  ASSERT_TRUE(cli->users().create(user_numbered(1)).ok());
  ASSERT_FALSE(server->users().find("auth0|1").value().blocked);
  ASSERT_TRUE(cli->users().set_blocked("auth0|1", true).ok());
  EXPECT_TRUE(server->users().find("auth0|1").value().blocked);
  ASSERT_TRUE(cli->users().record_login("auth0|1", at_ms(5'000)).ok());
  EXPECT_EQ(server->users().find("auth0|1").value().logins_count, 1);
  ASSERT_TRUE(
      cli->users()
          .set_metadata("auth0|1", {{"plan", "gold"}}, nlohmann::json::object(), at_ms(6'000))
          .ok());
  EXPECT_EQ(server->users().find("auth0|1").value().app_metadata["plan"], "gold");
  // Served from memory until a store writes a user: a change behind every store's back waits.
  RawDb(db_file()).exec("UPDATE users SET name = 'behind' WHERE user_id = 'auth0|1'");
  EXPECT_NE(server->users().find("auth0|1").value().name, "behind");
  const std::vector<model::User> batch{user_numbered(2)};
  ASSERT_TRUE(cli->insert_batch(batch, {}).ok());
  EXPECT_EQ(server->users().find("auth0|1").value().name, "behind");
  EXPECT_TRUE(server->users().find("auth0|2").ok());
  ASSERT_TRUE(cli->users().remove("auth0|1").ok());
  EXPECT_FALSE(server->users().find("auth0|1").ok());
}

// User auth0|1 and client c1, and the session s1 and consent grant the cache tests give them.
void add_user_and_client(store::Store& store) {
  ASSERT_TRUE(store.users().create(user_numbered(1)).ok());
  model::Client client;
  client.client_id = "c1";
  ASSERT_TRUE(store.clients().create(client).ok());
}

model::Session session_s1() {
  return {"s1", "auth0|1", at_ms(1'000), at_ms(1'000), at_ms(9'000), at_ms(1'000)};
}

model::Grant grant_c1() { return {"auth0|1", "c1", "", {"openid"}, at_ms(1'000), at_ms(1'000)}; }

// Decision 26: SSO sessions and consent grants are cached too, on the users' counter; the
// grants also watch the configuration's, since deleting a client takes its grants along.
TEST_F(SqliteStoreTest, SessionsAndGrantsChangedByAnotherStoreOnTheFileAreSeenAtOnce) {
  auto server = open_store();
  auto cli = open_store();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  add_user_and_client(*cli);
  const model::Session session = session_s1();
  ASSERT_TRUE(cli->sessions().create(session).ok());
  ASSERT_EQ(server->sessions().find("s1").value().last_seen_at, at_ms(1'000));
  ASSERT_TRUE(cli->sessions().touch("s1", at_ms(2'000), at_ms(10'000)).ok());
  EXPECT_EQ(server->sessions().find("s1").value().last_seen_at, at_ms(2'000));
  ASSERT_TRUE(cli->sessions().set_auth_time("s1", at_ms(3'000)).ok());
  EXPECT_EQ(server->sessions().find("s1").value().auth_time, at_ms(3'000));
  ASSERT_TRUE(cli->sessions().remove("s1").ok());
  EXPECT_FALSE(server->sessions().find("s1").ok());
  ASSERT_TRUE(cli->sessions().create(session).ok());
  ASSERT_TRUE(server->sessions().find("s1").ok());
  ASSERT_TRUE(cli->sessions().remove_for_user("auth0|1").ok());
  EXPECT_FALSE(server->sessions().find("s1").ok());

  model::Grant grant = grant_c1();
  ASSERT_TRUE(cli->grants().upsert(grant).ok());
  ASSERT_EQ(server->grants().find("auth0|1", "c1", "").value().scopes, grant.scopes);
  grant.scopes = {"openid", "email"};
  ASSERT_TRUE(cli->grants().upsert(grant).ok());
  EXPECT_EQ(server->grants().find("auth0|1", "c1", "").value().scopes, grant.scopes);
  ASSERT_TRUE(cli->grants().remove("auth0|1", "c1", "").ok());
  EXPECT_FALSE(server->grants().find("auth0|1", "c1", "").ok());

  // Cascades: the client's removal takes its grants, the user's its sessions and grants.
  ASSERT_TRUE(cli->grants().upsert(grant).ok());
  ASSERT_TRUE(server->grants().find("auth0|1", "c1", "").ok());
  ASSERT_TRUE(cli->clients().remove("c1").ok());
  EXPECT_FALSE(server->grants().find("auth0|1", "c1", "").ok());
  model::Client client;
  client.client_id = "c1";
  ASSERT_TRUE(cli->clients().create(client).ok());
  ASSERT_TRUE(cli->grants().upsert(grant).ok());
  ASSERT_TRUE(cli->sessions().create(session).ok());
  ASSERT_TRUE(server->grants().find("auth0|1", "c1", "").ok());
  ASSERT_TRUE(server->sessions().find("s1").ok());
  ASSERT_TRUE(cli->users().remove("auth0|1").ok());
  EXPECT_FALSE(server->grants().find("auth0|1", "c1", "").ok());
  EXPECT_FALSE(server->sessions().find("s1").ok());
}

TEST_F(SqliteStoreTest, SessionsAndGrantsAreReadOnceUntilAStoreWritesOne) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  add_user_and_client(*store);
  ASSERT_TRUE(store->sessions().create(session_s1()).ok());
  const model::Grant grant = grant_c1();
  ASSERT_TRUE(store->grants().upsert(grant).ok());
  ASSERT_TRUE(store->sessions().find("s1").ok());
  ASSERT_TRUE(store->grants().find("auth0|1", "c1", "").ok());
  RawDb(db_file()).exec("UPDATE sessions SET auth_time_ms = 5000");
  RawDb(db_file()).exec("UPDATE grants SET scopes = '[\"email\"]'");
  EXPECT_EQ(store->sessions().find("s1").value().auth_time, at_ms(1'000));
  EXPECT_EQ(store->grants().find("auth0|1", "c1", "").value().scopes, grant.scopes);
  ASSERT_TRUE(store->users().record_login("auth0|1", at_ms(6'000)).ok());
  EXPECT_EQ(store->sessions().find("s1").value().auth_time, at_ms(5'000));
  EXPECT_EQ(store->grants().find("auth0|1", "c1", "").value().scopes,
            std::vector<std::string>{"email"});
}

// A sweep deletes in batches of kSweepBatch, each its own write, and counts them all.
TEST_F(SqliteStoreTest, ASweepOfManyRowsDeletesThemAllInBatches) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const std::int64_t expired = 2 * store::sqlite::kSweepBatch + 3;
  for (std::int64_t i = 0; i < expired + 2; ++i) {
    const auto expires = i < expired ? at_ms(1'000 + i) : at_ms(90'000);
    ASSERT_TRUE(store->revoked_tokens().revoke("jti-" + std::to_string(i), expires).ok());
  }
  EXPECT_EQ(store->revoked_tokens().delete_expired(at_ms(50'000)).value(), expired);
  EXPECT_FALSE(store->revoked_tokens().is_revoked("jti-0").value());
  EXPECT_FALSE(store->revoked_tokens().is_revoked("jti-" + std::to_string(expired - 1)).value());
  EXPECT_TRUE(store->revoked_tokens().is_revoked("jti-" + std::to_string(expired)).value());
  EXPECT_EQ(store->revoked_tokens().delete_expired(at_ms(50'000)).value(), 0);
}

// Decision 26: with two connections or more, one of them does every write and no read, so its
// page cache survives from one write to the next.
TEST_F(SqliteStoreTest, OneConnectionOfThePoolDoesEveryWriteAndNoRead) {
  using store::sqlite::Connection;
  using store::sqlite::ConnectionPool;
  const auto open_connections = [&](int n) {
    std::vector<std::unique_ptr<Connection>> connections;
    for (int i = 0; i < n; ++i) {
      connections.push_back(
          Connection::open(db_file(), std::chrono::milliseconds(100), make_null_logger()).value());
    }
    return connections;
  };
  ConnectionPool pool(open_connections(3), std::chrono::milliseconds(100));
  const Connection* writer = nullptr;
  {
    auto write = pool.acquire_writer();
    ASSERT_TRUE(write.ok());
    writer = &write->connection();
  }
  for (int round = 0; round < 3; ++round) {
    auto read = pool.acquire();
    auto other_read = pool.acquire();
    ASSERT_TRUE(read.ok() && other_read.ok());
    EXPECT_NE(&read->connection(), writer);
    EXPECT_NE(&other_read->connection(), writer);
    auto write = pool.acquire_writer();
    ASSERT_TRUE(write.ok());
    EXPECT_EQ(&write->connection(), writer);
  }
  // A pool of one shares it: reads and writes alike.
  ConnectionPool single(open_connections(1), std::chrono::milliseconds(100));
  const Connection* only = nullptr;
  {
    auto read = single.acquire();
    ASSERT_TRUE(read.ok());
    only = &read->connection();
  }
  auto write = single.acquire_writer();
  ASSERT_TRUE(write.ok());
  EXPECT_EQ(&write->connection(), only);
}

TEST_F(SqliteStoreTest, TheChangeCounterFileIsTheOwnersOnly) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  auto counter_file = db_file();
  counter_file += "-config";
  ASSERT_TRUE(std::filesystem::exists(counter_file));
  EXPECT_EQ(std::filesystem::status(counter_file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(SqliteStoreTest, ConcurrentWritersOnTwoStoresAllSucceed) {
  auto first = open_store({.pool_size = 3});
  auto second = open_store({.pool_size = 2});
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    SqliteStore& store = t % 2 == 0 ? *first : *second;
    threads.emplace_back([&store, &failures, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const int n = t * kWritesPerThread + i;
        if (!store.users().create(user_numbered(n)).ok()) ++failures;
        if (!store.users().find(user_numbered(n).user_id).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const auto listed = first->users().list();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), static_cast<std::size_t>(kThreads * kWritesPerThread));
}

// SQLite's automatic checkpoint is replaced by the store's own (a background thread): without
// it the WAL would grow for ever and the database file would never receive the pages.
TEST_F(SqliteStoreTest, TheWalIsCheckpointedIntoTheDatabaseFileAsItGrows) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto db_size = [&] { return std::filesystem::file_size(db_file()); };
  const auto before = db_size();
  const std::string big(3000, 'p');  // about a page per user, so each commit adds frames
  for (int n = 0; n < store::sqlite::kCheckpointPages; ++n) {
    model::User user = user_numbered(n);
    user.picture = big;
    ASSERT_TRUE(store->users().create(user).ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (db_size() < before + 1'000'000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(db_size(), before + 1'000'000) << "the pages stayed in the WAL";
}

// Under a steady load (writes, and reads all the while) SQLite never found the WAL wholly copied
// at a writer's start, so it never rewound it: the file grew by every commit (1.2 GB in 25 s of
// code flows). The checkpoint thread rewinds it once it passes kRestartPages.
TEST_F(SqliteStoreTest, TheWalStaysBoundedUnderSteadyWritesAndReads) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::atomic<bool> writing{true};
  std::thread reader([&] {
    while (writing.load()) (void)store->users().find("auth0|0");
  });
  const std::string big(30'000, 'p');  // about eight pages per user
  const auto wal_size = [&] {
    auto wal = db_file();
    wal += "-wal";
    std::error_code ec;
    const auto size = std::filesystem::file_size(wal, ec);
    return ec ? 0 : size;
  };
  const int users = 5 * store::sqlite::kRestartPages / 8;  // never rewound: a 130 MB WAL
  for (int n = 0; n < users; ++n) {
    model::User user = user_numbered(n);
    user.picture = big;
    ASSERT_TRUE(store->users().create(user).ok());
  }
  writing = false;
  reader.join();
  // Rewinding does not shrink the file: its size is the most the WAL ever held. That is
  // kRestartPages plus what this writer (far faster than a server's) added while the checkpoint
  // thread caught up: 21-46 MB in 18 runs, against 130 MB when it is never rewound.
  EXPECT_LT(wal_size(), 5U * store::sqlite::kRestartPages * 4096U);
}

TEST_F(SqliteStoreTest, WriteBlockedBeyondTheBusyTimeoutIsUnavailable) {
  auto store = open_store({.busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_NE(store, nullptr);
  RawDb other(db_file());
  other.exec("BEGIN IMMEDIATE");  // holds the write lock
  const auto created = store->users().create(user_numbered(1));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error(), StoreError::unavailable);
  EXPECT_TRUE(store->users().list().ok());  // WAL readers are not blocked by the writer
  other.exec("ROLLBACK");
  EXPECT_TRUE(store->users().create(user_numbered(1)).ok());
}

TEST_F(SqliteStoreTest, CorruptStoredJsonIsUnavailableNotACrash) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  model::Client client;
  client.client_id = "c1";
  ASSERT_TRUE(store->clients().create(client).ok());
  RawDb(db_file()).exec("UPDATE clients SET callbacks = '[1, 2' WHERE client_id = 'c1'");
  const auto found = store->clients().find("c1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::unavailable);
  const auto listed = store->clients().list();
  ASSERT_FALSE(listed.ok());
  EXPECT_EQ(listed.error(), StoreError::unavailable);
}

TEST_F(SqliteStoreTest, UnknownKeyStateInTheFileIsUnavailable) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  RawDb raw(db_file());
  raw.exec("PRAGMA ignore_check_constraints = ON");
  raw.exec(
      "INSERT INTO signing_keys (kid, alg, state, sealed_private_key, public_jwk, "
      "created_at_ms) VALUES ('k1', 'RS256', 'weird', x'00', '{}', 0)");
  const auto found = store->signing_keys().find("k1");
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.error(), StoreError::unavailable);
}

TEST_F(SqliteStoreTest, InvalidUtf8InMetadataIsStoredWithoutACrash) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  model::Client client;
  client.client_id = "c1";
  client.client_metadata = {{"bad", std::string("\xff\xfe", 2)}};
  ASSERT_TRUE(store->clients().create(client).ok());
  const auto found = store->clients().find("c1");
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->client_metadata["bad"].is_string());
}

// ---- migration v2 and the Authorization Code Grant aggregates ----

model::Client client_named(const std::string& client_id) {
  model::Client client;
  client.client_id = client_id;
  return client;
}

model::AuthorizationCode code_for(const std::string& code_digest, const model::User& user) {
  model::AuthorizationCode code;
  code.code_digest = code_digest;
  code.client_id = "app1";
  code.user_id = user.user_id;
  code.expires_at = TimePoint(std::chrono::seconds(60));
  return code;
}

/// `store` with user 1 and client app1 in it, which codes and refresh tokens refer to; null
/// when it could not be set up.
std::unique_ptr<SqliteStore> with_user_and_app(std::unique_ptr<SqliteStore> store) {
  if (store == nullptr || !store->users().create(user_numbered(1)).ok() ||
      !store->clients().create(client_named("app1")).ok()) {
    ADD_FAILURE() << "cannot add user 1 and client app1";
    return nullptr;
  }
  return store;
}

/// Makes `raw` a file as a release at schema `version` left it: every step up to it, each with
/// its schema_migrations row.
void write_schema_up_to(RawDb& raw, int version) {
  raw.exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER "
      "NOT NULL)");
  for (const auto& step : store::sqlite::migrations()) {
    if (step.version > version) break;
    raw.exec(std::string(step.sql));
    raw.exec("INSERT INTO schema_migrations (version, applied_at) VALUES (" +
             std::to_string(step.version) + ", 0)");
  }
}

/// User auth0|old with `logins` logins, as every schema since v1 stores a user.
std::string insert_old_user(int logins) {
  return "INSERT INTO users (user_id, email, email_verified, name, nickname, picture, "
         "password_hash, app_metadata, user_metadata, logins_count, blocked, created_at_ms, "
         "updated_at_ms) VALUES ('auth0|old', 'old@example.com', 1, 'Old', 'old', '', '', "
         "'{}', '{}', " +
         std::to_string(logins) + ", 0, 0, 0)";
}

/// A regular web client as schema v8 stores one (v9 adds id_token_signed_response_alg).
std::string insert_v8_client(const std::string& client_id) {
  return "INSERT INTO clients (client_id, name, app_type, secret_digest, "
         "token_endpoint_auth_method, callbacks, allowed_logout_urls, grant_types, "
         "is_first_party, id_token_lifetime_seconds, client_metadata, created_at_ms) VALUES ('" +
         client_id +
         "', 'Old', 'regular_web', '', 'client_secret_basic', '[]', '[]', '[]', 0, 36000, "
         "'{}', 0)";
}

TEST_F(SqliteStoreTest, VersionOneDatabaseIsMigratedToTheLatestKeepingItsData) {
  {
    // A file exactly as a v1 release left it: the v1 step and its schema_migrations row.
    RawDb raw(db_file());
    write_schema_up_to(raw, 1);
    raw.exec(insert_old_user(3));
  }
  {
    auto unmigrated = open_store({.migrate = false});
    ASSERT_NE(unmigrated, nullptr);
    EXPECT_EQ(unmigrated->schema_version().value(), 1);
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->schema_version().value(), SqliteStore::latest_schema_version());
  EXPECT_EQ(SqliteStore::latest_schema_version(),
            static_cast<int>(store::sqlite::migrations().size()));
  const auto user = store->users().find("auth0|old");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->logins_count, 3);
  model::Session session;
  session.id_digest = "s1";
  session.user_id = "auth0|old";
  ASSERT_TRUE(store->sessions().create(session).ok());
  ASSERT_TRUE(store->users().remove("auth0|old").ok());
  EXPECT_EQ(store->sessions().find("s1").error(), StoreError::not_found);  // cascade works
  EXPECT_EQ(RawDb(db_file()).integer("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(store::sqlite::migrations().size()));
}

TEST_F(SqliteStoreTest, ClientsFromBeforeVersionNineKeepRs256IdTokens) {
  {
    // A file as a v8 release left it, with one client: no id_token_signed_response_alg column.
    RawDb raw(db_file());
    write_schema_up_to(raw, 8);
    raw.exec(insert_v8_client("old"));
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->clients().find("old").value().id_token_signed_response_alg, "RS256");
}

TEST_F(SqliteStoreTest, RefreshTokensFromBeforeVersionTenKeepWorkingWithoutAnAuthTime) {
  {
    // A file as a v9 release left it, with one refresh token: no auth_time_ms column.
    RawDb raw(db_file());
    write_schema_up_to(raw, 9);
    raw.exec(insert_old_user(0));
    raw.exec(insert_v8_client("app1"));
    raw.exec(
        "INSERT INTO refresh_tokens (token_digest, family_id, parent_digest, client_id, "
        "user_id, audience, scopes, session_id, created_at_ms, expires_at_ms, revoked_at_ms) "
        "VALUES ('r1', 'f1', '', 'app1', 'auth0|old', '', '[\"openid\"]', 's1', 5000, 90000, "
        "NULL)");
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto token = store->refresh_tokens().find("r1");
  ASSERT_TRUE(token.ok());
  EXPECT_FALSE(token->auth_time.has_value());
  EXPECT_EQ(token->created_at, TimePoint(std::chrono::milliseconds(5000)));
  EXPECT_EQ(
      store->refresh_tokens().delete_expired(TimePoint(std::chrono::milliseconds(90001))).value(),
      1);
}

TEST_F(SqliteStoreTest, ConcurrentRedeemsThroughTwoStoresOnOneFileHaveExactlyOneFirst) {
  auto first = open_store({.pool_size = 2});
  auto second = open_store({.pool_size = 2});
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->users().create(user_numbered(1)).ok());
  ASSERT_TRUE(first->clients().create(client_named("app1")).ok());
  constexpr int kCodes = 10;
  for (int c = 0; c < kCodes; ++c) {
    ASSERT_TRUE(
        first->authorization_codes().create(code_for(std::to_string(c), user_numbered(1))).ok());
  }
  std::atomic<int> firsts{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    SqliteStore& store = t % 2 == 0 ? *first : *second;
    threads.emplace_back([&store, &firsts, &failures] {
      for (int c = 0; c < kCodes; ++c) {
        const auto redeemed = store.authorization_codes().redeem(std::to_string(c), TimePoint{});
        if (!redeemed) ++failures;
        if (redeemed && redeemed->first) ++firsts;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(firsts.load(), kCodes);
}

// Decision 28: with a CommitDeferral open, code writes join one open transaction. Another
// connection sees none of it before the group commits, and all of it after.
TEST_F(SqliteStoreTest, CodeWritesInADeferralCommitTogetherWhenSettled) {
  auto store = with_user_and_app(open_store({.pool_size = 2}));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->authorization_codes().create(code_for("c0", user_numbered(1))).ok());
  RawDb other(db_file());
  const std::string codes = "SELECT count(*) FROM authorization_codes";
  const std::string redeemed =
      "SELECT count(*) FROM authorization_codes WHERE redeemed_at_ms IS NOT NULL";
  CommitDeferral deferral;
  ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
  ASSERT_TRUE(store->authorization_codes().create(code_for("c2", user_numbered(1))).ok());
  const auto old_code = store->authorization_codes().redeem("c0", at_ms(5'000));
  ASSERT_TRUE(old_code.ok());
  EXPECT_TRUE(old_code->first);
  const auto new_code = store->authorization_codes().redeem("c2", at_ms(5'000));  // same group
  ASSERT_TRUE(new_code.ok());
  EXPECT_TRUE(new_code->first);
  deferral.close();
  EXPECT_TRUE(deferral.pending());
  EXPECT_EQ(other.integer(codes), 1);
  EXPECT_EQ(other.integer(redeemed), 0);
  EXPECT_TRUE(deferral.settle_all());
  EXPECT_EQ(other.integer(codes), 3);
  EXPECT_EQ(other.integer(redeemed), 2);
}

TEST_F(SqliteStoreTest, AnOrdinaryWriteCommitsTheOpenGroupFirst) {
  auto store = with_user_and_app(open_store({.pool_size = 2}));
  ASSERT_NE(store, nullptr);
  RawDb other(db_file());
  CommitDeferral deferral;
  ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
  deferral.close();
  EXPECT_EQ(other.integer("SELECT count(*) FROM authorization_codes"), 0);
  ASSERT_TRUE(store->users().create(user_numbered(2)).ok());
  EXPECT_EQ(other.integer("SELECT count(*) FROM authorization_codes"), 1);
  EXPECT_EQ(other.integer("SELECT count(*) FROM users"), 2);
  EXPECT_TRUE(deferral.settle_all());
}

// A replay read on another connection, so it commits the group first and finds the code
// redeemed; a deferral that is never settled commits as it ends.
TEST_F(SqliteStoreTest, AReplayInsideAGroupSeesTheRedemptionAndTheDeferralCommitsAtItsEnd) {
  auto store = with_user_and_app(open_store({.pool_size = 3}));
  ASSERT_NE(store, nullptr);
  RawDb other(db_file());
  {
    CommitDeferral deferral;
    ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
    const auto first = store->authorization_codes().redeem("c1", at_ms(5'000));
    ASSERT_TRUE(first.ok());
    EXPECT_TRUE(first->first);
    const auto replay = store->authorization_codes().redeem("c1", at_ms(6'000));
    ASSERT_TRUE(replay.ok());
    EXPECT_FALSE(replay->first);
    EXPECT_EQ(replay->code.redeemed_at, at_ms(5'000));
    ASSERT_TRUE(store->authorization_codes().create(code_for("c2", user_numbered(1))).ok());
    EXPECT_EQ(other.integer("SELECT count(*) FROM authorization_codes"), 1);
  }
  EXPECT_EQ(other.integer("SELECT count(*) FROM authorization_codes"), 2);
}

model::RefreshToken refresh_token(const std::string& digest, const std::string& parent) {
  model::RefreshToken token;
  token.token_digest = digest;
  token.family_id = "f1";
  token.parent_digest = parent;
  token.client_id = "app1";
  token.user_id = user_numbered(1).user_id;
  return token;
}

// A refresh token's issue and its rotation join the group too; two rotations of one parent in
// one group still have one winner.
TEST_F(SqliteStoreTest, RefreshTokenWritesInADeferralCommitWithTheGroup) {
  auto store = with_user_and_app(open_store({.pool_size = 2}));
  ASSERT_NE(store, nullptr);
  RawDb other(db_file());
  CommitDeferral deferral;
  ASSERT_TRUE(store->refresh_tokens().create(refresh_token("r1", "")).ok());
  const auto rotated = store->refresh_tokens().rotate("r1", refresh_token("r2", "r1"));
  ASSERT_TRUE(rotated.ok());
  EXPECT_TRUE(*rotated);
  const auto again = store->refresh_tokens().rotate("r1", refresh_token("r3", "r1"));
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
  deferral.close();
  EXPECT_EQ(other.integer("SELECT count(*) FROM refresh_tokens"), 0);
  EXPECT_TRUE(deferral.settle_all());
  EXPECT_EQ(other.integer("SELECT count(*) FROM refresh_tokens"), 2);
}

// One connection serves reads and writes alike, so it keeps no transaction open: its writes
// commit at once even in a deferral.
TEST_F(SqliteStoreTest, APoolOfOneCommitsEachWriteAtOnceEvenInADeferral) {
  auto store = with_user_and_app(open_store({.pool_size = 1}));
  ASSERT_NE(store, nullptr);
  RawDb other(db_file());
  CommitDeferral deferral;
  ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
  deferral.close();
  EXPECT_FALSE(deferral.pending());
  EXPECT_EQ(other.integer("SELECT count(*) FROM authorization_codes"), 1);
}

// When SQLite ends the group's transaction itself (it rolls the whole transaction back on some
// errors), every member's write is lost, and settling says so.
TEST_F(SqliteStoreTest, AGroupWhoseTransactionEndedFailsToSettle) {
  using store::sqlite::Connection;
  using store::sqlite::ConnectionPool;
  ASSERT_NE(open_store(), nullptr);  // the schema
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < 2; ++i) {
    connections.push_back(
        Connection::open(db_file(), std::chrono::milliseconds(100), make_null_logger()).value());
  }
  ConnectionPool pool(std::move(connections), std::chrono::milliseconds(100));
  std::shared_ptr<PendingCommit> lost;
  {
    auto write = pool.acquire_group_writer();
    ASSERT_TRUE(write.ok());
    lost = write->group();
    ASSERT_NE(lost, nullptr);
    ASSERT_TRUE(write->connection().exec("INSERT INTO revoked_tokens VALUES ('j1', 1)"));
    ASSERT_TRUE(write->connection().exec("ROLLBACK"));
  }
  std::shared_ptr<PendingCommit> kept;
  {
    auto write = pool.acquire_group_writer();
    ASSERT_TRUE(write.ok());
    kept = write->group();
    EXPECT_NE(kept, lost);  // a new group
    ASSERT_TRUE(write->connection().exec("INSERT INTO revoked_tokens VALUES ('j2', 1)"));
  }
  EXPECT_FALSE(lost->settle());
  EXPECT_TRUE(kept->settle());
  RawDb other(db_file());
  EXPECT_EQ(other.integer("SELECT count(*) FROM revoked_tokens"), 1);
}

TEST_F(SqliteStoreTest, RedeemBlockedBeyondTheBusyTimeoutIsUnavailableAndLeavesTheCodeUnused) {
  auto store = open_store({.pool_size = 1, .busy_timeout = std::chrono::milliseconds(50)});
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->users().create(user_numbered(1)).ok());
  ASSERT_TRUE(store->clients().create(client_named("app1")).ok());
  ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
  RawDb other(db_file());
  other.exec("BEGIN IMMEDIATE");
  const auto blocked = store->authorization_codes().redeem("c1", TimePoint{});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error(), StoreError::unavailable);
  other.exec("ROLLBACK");
  const auto redeemed = store->authorization_codes().redeem("c1", TimePoint{});  // same connection
  ASSERT_TRUE(redeemed.ok());
  EXPECT_TRUE(redeemed->first);
}

TEST_F(SqliteStoreTest, CorruptStoredScopesOrClaimsAreUnavailableNotACrash) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->users().create(user_numbered(1)).ok());
  ASSERT_TRUE(store->clients().create(client_named("app1")).ok());
  ASSERT_TRUE(store->authorization_codes().create(code_for("c1", user_numbered(1))).ok());
  model::Grant grant;
  grant.user_id = user_numbered(1).user_id;
  grant.client_id = "app1";
  ASSERT_TRUE(store->grants().upsert(grant).ok());
  RawDb raw(db_file());
  raw.exec("UPDATE authorization_codes SET extra_claims = '[]'");
  raw.exec("UPDATE grants SET scopes = '[\"a\", 7]'");
  EXPECT_EQ(store->authorization_codes().redeem("c1", TimePoint{}).error(),
            StoreError::unavailable);
  EXPECT_EQ(store->grants().find(grant.user_id, "app1", "").error(), StoreError::unavailable);
  EXPECT_EQ(store->grants().list_for_user(grant.user_id).error(), StoreError::unavailable);
}

TEST_F(SqliteStoreTest, MissingDirectoryIsAnErrorNamingThePath) {
  const auto path = dir_.path() / "no-such-dir" / "latchkey.db";
  const auto opened = SqliteStore::open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().find(path.string()), std::string::npos) << opened.error();
}

TEST_F(SqliteStoreTest, DirectoryInPlaceOfTheFileIsAnError) {
  std::filesystem::create_directory(db_file());
  const auto opened = SqliteStore::open(db_file());
  ASSERT_FALSE(opened.ok());
  EXPECT_FALSE(opened.error().empty());
}

TEST_F(SqliteStoreTest, FileThatIsNotADatabaseIsAnError) {
  std::ofstream(db_file()) << std::string(4096, 'x');
  const auto opened = SqliteStore::open(db_file());
  ASSERT_FALSE(opened.ok());
  EXPECT_NE(opened.error().find("not a database"), std::string::npos) << opened.error();
}

TEST_F(SqliteStoreTest, NonsenseOptionsAreRefused) {
  EXPECT_FALSE(SqliteStore::open(db_file(), {.pool_size = 0}).ok());
  EXPECT_FALSE(SqliteStore::open(db_file(), {.busy_timeout = std::chrono::milliseconds(-1)}).ok());
  EXPECT_FALSE(std::filesystem::exists(db_file()));
}

}  // namespace
}  // namespace latchkey::store_test
