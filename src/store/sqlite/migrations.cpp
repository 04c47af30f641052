#include "store/sqlite/migrations.hpp"

#include <array>

namespace latchkey::store::sqlite {
namespace {

// v1: the four aggregates of model.hpp. JSON columns hold compact JSON text (store/codec.hpp);
// times are Unix milliseconds; booleans are 0/1. Emails are stored lower-cased (ASCII), NULL
// when a user has none, so that UNIQUE makes find_by_email case-insensitive and exact.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE clients (
  client_id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  app_type TEXT NOT NULL,
  secret_digest TEXT NOT NULL,
  token_endpoint_auth_method TEXT NOT NULL,
  callbacks TEXT NOT NULL,
  allowed_logout_urls TEXT NOT NULL,
  grant_types TEXT NOT NULL,
  is_first_party INTEGER NOT NULL,
  id_token_lifetime_seconds INTEGER NOT NULL,
  client_metadata TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX clients_by_creation ON clients (created_at_ms, client_id);

CREATE TABLE resource_servers (
  id TEXT NOT NULL PRIMARY KEY,
  identifier TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  scopes TEXT NOT NULL,
  signing_alg TEXT NOT NULL,
  token_lifetime_seconds INTEGER NOT NULL,
  allow_offline_access INTEGER NOT NULL,
  skip_consent_for_verifiable_first_party_clients INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL
);
CREATE INDEX resource_servers_by_creation ON resource_servers (created_at_ms, id);

CREATE TABLE users (
  user_id TEXT NOT NULL PRIMARY KEY,
  email TEXT UNIQUE,
  email_verified INTEGER NOT NULL,
  name TEXT NOT NULL,
  nickname TEXT NOT NULL,
  picture TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  app_metadata TEXT NOT NULL,
  user_metadata TEXT NOT NULL,
  logins_count INTEGER NOT NULL,
  last_login_ms INTEGER,
  blocked INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX users_by_creation ON users (created_at_ms, user_id);

CREATE TABLE signing_keys (
  kid TEXT NOT NULL PRIMARY KEY,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('next', 'current', 'previous', 'revoked')),
  sealed_private_key BLOB NOT NULL,
  public_jwk TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  activated_at_ms INTEGER,
  retired_at_ms INTEGER
);
CREATE INDEX signing_keys_by_creation ON signing_keys (created_at_ms, kid);
)sql";

constexpr std::array<Migration, 1> kMigrations = {{
    {1, kSchemaV1},
}};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";
constexpr std::string_view kMigrationsTableExists =
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
constexpr std::string_view kSelectSchemaVersion =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)";

// Rolls back the open transaction unless it was committed.
class RollbackGuard {
 public:
  explicit RollbackGuard(Connection& connection) : connection_(connection) {}
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;
  ~RollbackGuard() {
    if (connection_.in_transaction()) (void)connection_.exec("ROLLBACK");
  }

 private:
  Connection& connection_;
};

StoreResult<std::int64_t> query_integer(Connection& connection, std::string_view sql) {
  auto stmt = connection.prepare(sql);
  if (!stmt) return fail(stmt.error());
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(StoreError::unavailable);
  return stmt->integer(0);
}

Result<void, std::string> record_step(Connection& connection, int version, const Clock& clock) {
  auto stmt = connection.prepare(kInsertMigration);
  if (!stmt) return fail(connection.last_error());
  stmt->bind_int(1, version).bind_int(2, to_unix_seconds(clock.now()));
  if (!stmt->run()) return fail(connection.last_error());
  return {};
}

Result<void, std::string> apply_step(Connection& connection, const Migration& step,
                                     const Clock& clock) {
  // IMMEDIATE takes the write lock first (waiting up to busy_timeout), so two processes
  // migrating at once apply each step exactly once.
  if (auto begun = connection.exec("BEGIN IMMEDIATE"); !begun) return fail(begun.error());
  const RollbackGuard guard(connection);
  auto current = read_schema_version(connection);
  if (!current) return fail(connection.last_error());
  if (*current < step.version) {
    if (auto made = connection.exec(kCreateMigrationsTable); !made) return fail(made.error());
    if (auto applied = connection.exec(std::string(step.sql)); !applied) {
      return fail(applied.error());
    }
    if (auto recorded = record_step(connection, step.version, clock); !recorded) return recorded;
  }
  return connection.exec("COMMIT");
}

std::string newer_message(int found) {
  return "database schema version " + std::to_string(found) +
         " is newer than this latchkey supports (" + std::to_string(latest_schema_version()) +
         "); run a latchkey release that knows it";
}

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations.back().version; }

StoreResult<int> read_schema_version(Connection& connection) {
  auto exists = query_integer(connection, kMigrationsTableExists);
  if (!exists) return fail(exists.error());
  if (*exists == 0) return 0;
  auto version = query_integer(connection, kSelectSchemaVersion);
  if (!version) return fail(version.error());
  if (*version < 0 || *version > 1'000'000) return fail(StoreError::unavailable);
  return static_cast<int>(*version);
}

Result<int, std::string> check_schema_version(Connection& connection) {
  auto version = read_schema_version(connection);
  if (!version) return fail("cannot read the schema version: " + connection.last_error());
  if (*version > latest_schema_version()) return fail(newer_message(*version));
  return *version;
}

Result<int, std::string> apply_migrations(Connection& connection, const Clock& clock) {
  auto current = check_schema_version(connection);
  if (!current) return current;
  for (const Migration& step : kMigrations) {
    if (step.version <= *current) continue;
    auto applied = apply_step(connection, step, clock);
    if (!applied) {
      return fail("migration " + std::to_string(step.version) + " failed: " + applied.error());
    }
  }
  return check_schema_version(connection);
}

}  // namespace latchkey::store::sqlite
