#pragma once
// The SQLite back end of store::Store: the embedded default for one machine.
//
// SQL dialect policy (for docs/decisions.md):
// - Portable SQL where possible: plain CREATE TABLE / INSERT / SELECT / UPDATE / DELETE with
//   numbered parameters, TEXT/INTEGER/BLOB columns, JSON kept as text and decoded in C++
//   (store/codec.hpp), times as Unix-millisecond integers, booleans as 0/1. No JSON functions,
//   no RETURNING, no triggers: behaviour lives in C++, where both back ends share it.
// - UPSERT only in the form both SQLite (3.24+) and PostgreSQL (9.5+) spell the same way:
//   `INSERT ... ON CONFLICT (<key columns>) DO UPDATE SET c = excluded.c [WHERE ...]`, for
//   counters and replace-or-insert that must be atomic in one statement (grants, login
//   attempts, revoked jtis).
// - A read-then-write that must be atomic runs in one transaction that takes the write lock
//   first (SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE), and single-use checks
//   are a conditional `UPDATE ... WHERE <not yet used>` whose changed-row count decides.
// - One back-end folder per dialect (store/sqlite/, later store/postgres/). Each owns its SQL
//   text as named constants next to the code that runs it, and its own ordered migration list;
//   where dialects differ (BLOB vs BYTEA, INTEGER 0/1 vs BOOLEAN, sqlite_master, PRAGMAs), the
//   folder spells it in its own dialect rather than hiding it behind an abstraction.
// - No ORM and no query builder: every statement is readable SQL, prepared once per connection.
// - Ordering and text comparison are byte-wise (SQLite's BINARY collation); a PostgreSQL back end
//   must use COLLATE "C" in ORDER BY to give the same order. Both pass tests/store/.

#include <chrono>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/result.hpp"
#include "store/config_cache.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class ConnectionPool;
class SqliteClientStore;
class SqliteResourceServerStore;
class SqliteUserStore;
class SqliteSigningKeyStore;
class SqliteSessionStore;
class SqliteTransactionStore;
class SqliteGrantStore;
class SqliteClientGrantStore;
class SqliteAuthorizationCodeStore;
class SqliteRefreshTokenStore;
class SqliteRevokedTokenStore;
class SqliteLoginAttemptStore;
class SqliteRuleStore;
class SqliteActionStore;
class SqliteRuleConfigStore;
class SqliteActionSecretStore;

/// How SqliteStore opens its database.
struct SqliteOptions {
  /// Connections in the pool (at least 1); an operation holds one for its duration.
  int pool_size = 4;
  /// How long a statement waits for another connection's lock (and an operation for a free
  /// connection) before failing with `unavailable`.
  std::chrono::milliseconds busy_timeout{5000};
  /// Apply pending migrations on open. `latchkey migrate` opens with false and calls migrate().
  bool migrate = true;
  /// Where SQLite failures are logged (SQL text and SQLite's message, never values); null
  /// discards them.
  std::shared_ptr<Logger> logger = nullptr;
  /// Stamps schema_migrations.applied_at; null means the system clock.
  std::shared_ptr<const Clock> clock = nullptr;
};

/// store::Store on one SQLite file in WAL mode, shared safely by many threads and by other
/// processes (a CLI beside a running server).
class SqliteStore final : public Store {
 public:
  /// Opens (creating if needed) `db_file`; its directory must exist. Fails with a readable
  /// message when the file cannot be opened, is not a database, cannot use WAL, holds a schema
  /// newer than this code, or a migration fails.
  [[nodiscard]] static Result<std::unique_ptr<SqliteStore>, std::string> open(
      const std::filesystem::path& db_file, const SqliteOptions& options = {});

  /// The version the newest migration brings a database to.
  [[nodiscard]] static int latest_schema_version();

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  /// Applies pending migrations and returns the version now in force. Idempotent; safe while
  /// other processes use the file. Fails with a message (newer schema, failed step).
  [[nodiscard]] Result<int, std::string> migrate();

  /// Reads a PRAGMA on a pooled connection, e.g. "journal_mode" or "foreign_keys" (diagnostics,
  /// tests). `name` must be letters and underscores; anything else is `not_found`.
  [[nodiscard]] StoreResult<std::string> pragma(std::string_view name);

  /// Bulk load for seeding benchmark stores (bench/seed): adds every user, then every refresh
  /// token, in ONE write transaction, each row exactly as users().create() and
  /// refresh_tokens().create() write it. All or nothing: the first failure (the error create()
  /// would give: `conflict`, `not_found`, `unavailable`) rolls the whole batch back. The write
  /// lock is held for the whole batch: other connections wait (up to their busy timeout).
  [[nodiscard]] StoreResult<void> insert_batch(std::span<const model::User> users,
                                               std::span<const model::RefreshToken> tokens);

  ClientStore& clients() override;
  ResourceServerStore& resource_servers() override;
  UserStore& users() override;
  SigningKeyStore& signing_keys() override;
  SessionStore& sessions() override;
  GrantStore& grants() override;
  ClientGrantStore& client_grants() override;
  AuthorizationCodeStore& authorization_codes() override;
  RefreshTokenStore& refresh_tokens() override;
  RevokedTokenStore& revoked_tokens() override;
  LoginAttemptStore& login_attempts() override;
  TransactionStore& transactions() override;
  RuleStore& rules() override;
  ActionStore& actions() override;
  RuleConfigStore& rule_configs() override;
  ActionSecretStore& action_secrets() override;
  [[nodiscard]] bool ping() override;
  [[nodiscard]] StoreResult<int> schema_version() override;

 private:
  SqliteStore(std::unique_ptr<ConnectionPool> pool, std::unique_ptr<ChangeCounter> changes,
              std::unique_ptr<ChangeCounter> user_changes, std::shared_ptr<const Clock> clock);

  std::shared_ptr<const Clock> clock_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<ChangeCounter> changes_;
  std::unique_ptr<ChangeCounter> user_changes_;
  std::unique_ptr<SqliteClientStore> clients_;
  std::unique_ptr<SqliteResourceServerStore> resource_servers_;
  std::unique_ptr<SqliteUserStore> users_;
  std::unique_ptr<SqliteSigningKeyStore> signing_keys_;
  std::unique_ptr<SqliteSessionStore> sessions_;
  std::unique_ptr<SqliteGrantStore> grants_;
  std::unique_ptr<SqliteClientGrantStore> client_grants_;
  std::unique_ptr<SqliteAuthorizationCodeStore> authorization_codes_;
  std::unique_ptr<SqliteRefreshTokenStore> refresh_tokens_;
  std::unique_ptr<SqliteRevokedTokenStore> revoked_tokens_;
  std::unique_ptr<SqliteLoginAttemptStore> login_attempts_;
  std::unique_ptr<SqliteTransactionStore> transactions_;
  std::unique_ptr<SqliteRuleStore> rules_;
  std::unique_ptr<SqliteActionStore> actions_;
  std::unique_ptr<SqliteRuleConfigStore> rule_configs_;
  std::unique_ptr<SqliteActionSecretStore> action_secrets_;
  // What the accessors hand out for the configuration read on every request (decision 23).
  CachedClientStore cached_clients_;
  CachedResourceServerStore cached_resource_servers_;
  CachedClientGrantStore cached_client_grants_;
  CachedRuleStore cached_rules_;
  CachedActionStore cached_actions_;
  CachedUserStore cached_users_;
  CachedSessionStore cached_sessions_;
  // Grants go with their user (user_changes_) and with their client (changes_).
  JointCounter grant_changes_;
  CachedGrantStore cached_grants_;
};

}  // namespace latchkey::store::sqlite
