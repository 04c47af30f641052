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

// v2: the aggregates of the Authorization Code Grant. Codes and tokens are kept as digests.
// Rows that belong to a user or client reference it with ON DELETE CASCADE, so deleting either
// takes its sessions, grants, codes and refresh tokens along. Sessions are not referenced by
// codes or refresh tokens: logging out must not break what a session already handed out.
// Every column a foreign key or housekeeping query looks up by has an index.
// refresh_tokens is ready for rotation with reuse detection: a token's children are found by
// parent_digest, its family by family_id, both indexed, so one IMMEDIATE transaction can check
// "already rotated?" and insert the child or revoke the family.
constexpr std::string_view kSchemaV2 = R"sql(
CREATE TABLE sessions (
  id_digest TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  auth_time_ms INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  last_seen_at_ms INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE grants (
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  audience TEXT NOT NULL,
  scopes TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id, audience)
);
CREATE INDEX grants_by_client ON grants (client_id);

CREATE TABLE authorization_codes (
  code_digest TEXT NOT NULL PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  redirect_uri TEXT NOT NULL,
  code_challenge TEXT NOT NULL,
  code_challenge_method TEXT NOT NULL,
  nonce TEXT NOT NULL,
  scopes TEXT NOT NULL,
  audience TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  auth_time_ms INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  extra_claims TEXT NOT NULL,
  redeemed_at_ms INTEGER,
  issued_access_jti TEXT NOT NULL,
  issued_refresh_digest TEXT NOT NULL
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at_ms);
CREATE INDEX authorization_codes_by_client ON authorization_codes (client_id);
CREATE INDEX authorization_codes_by_user ON authorization_codes (user_id);

CREATE TABLE refresh_tokens (
  token_digest TEXT NOT NULL PRIMARY KEY,
  family_id TEXT NOT NULL,
  parent_digest TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
  audience TEXT NOT NULL,
  scopes TEXT NOT NULL,
  session_id TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER,
  revoked_at_ms INTEGER
);
CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_by_parent ON refresh_tokens (parent_digest);
CREATE INDEX refresh_tokens_by_user_client ON refresh_tokens (user_id, client_id);
CREATE INDEX refresh_tokens_by_client ON refresh_tokens (client_id);

CREATE TABLE revoked_tokens (
  jti TEXT NOT NULL PRIMARY KEY,
  expires_at_ms INTEGER NOT NULL
);
CREATE INDEX revoked_tokens_by_expiry ON revoked_tokens (expires_at_ms);

CREATE TABLE login_attempts (
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  failures INTEGER NOT NULL,
  first_failure_at_ms INTEGER NOT NULL,
  blocked_until_ms INTEGER,
  PRIMARY KEY (email, ip)
);
)sql";

// v3: authorization transactions, one /authorize request on its way through the hosted pages
// (store/transaction_store.hpp). They belong to no user until a login completes; expired rows
// are found by expires_at_ms.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE authorization_transactions (
  id TEXT NOT NULL PRIMARY KEY,
  query TEXT NOT NULL,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  authenticated_at_ms INTEGER,
  user_id TEXT NOT NULL,
  consent TEXT NOT NULL CHECK (consent IN ('', 'granted', 'denied'))
);
CREATE INDEX authorization_transactions_by_expiry ON authorization_transactions (expires_at_ms);
)sql";

// v4: Auth0 Rules, post-login Actions and rules-configs (issue 5). Rules and actions run in
// run_order then id; names are unique as in Auth0. Rules-config values are sealed by the caller
// (AES-256-GCM under the key-encryption key); the database only holds the boxes.
constexpr std::string_view kSchemaV4 = R"sql(
CREATE TABLE rules (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  script TEXT NOT NULL,
  run_order INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX rules_by_order ON rules (run_order, id);

CREATE TABLE actions (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  code TEXT NOT NULL,
  run_order INTEGER NOT NULL,
  enabled INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX actions_by_order ON actions (run_order, id);

CREATE TABLE rule_configs (
  config_key TEXT NOT NULL PRIMARY KEY,
  sealed_value BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
)sql";

// v5: a transaction the rules sent away (context.redirect, api.redirect.sendUserTo) waits for
// /continue; rules_redirect names the action that did ('' for a rule), NULL when none did.
constexpr std::string_view kSchemaV5 = R"sql(
ALTER TABLE authorization_transactions ADD COLUMN rules_redirect TEXT;
)sql";

// v6: Auth0's client grants (client_credentials, RFC 6749 §4.4): one per (client, API). Both
// references cascade, so deleting a client or an API takes its client grants along.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE client_grants (
  id TEXT NOT NULL PRIMARY KEY,
  client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
  audience TEXT NOT NULL REFERENCES resource_servers (identifier) ON DELETE CASCADE,
  scopes TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  UNIQUE (client_id, audience)
);
CREATE INDEX client_grants_by_audience ON client_grants (audience);
)sql";

// v7: post-login Actions' secrets (event.secrets), sealed by the caller like rules-configs;
// deleting an action takes its secrets along.
constexpr std::string_view kSchemaV7 = R"sql(
CREATE TABLE action_secrets (
  action_id TEXT NOT NULL REFERENCES actions (id) ON DELETE CASCADE,
  secret_key TEXT NOT NULL,
  sealed_value BLOB NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (action_id, secret_key)
);
)sql";

// v8: issuing a code writes fewer pages. The indexes by client and by user served only the
// cascades when a client or user is deleted; without them such a delete scans the codes, which
// housekeeping keeps to the last minutes' (app/housekeeping.hpp). Measured: the code insert
// wrote 8 WAL frames with them.
constexpr std::string_view kSchemaV8 = R"sql(
DROP INDEX authorization_codes_by_client;
DROP INDEX authorization_codes_by_user;
)sql";

// v9: the JWS alg of each client's ID tokens (OIDC Dynamic Client Registration §2,
// id_token_signed_response_alg); existing clients keep RS256, what they were signed with so far.
constexpr std::string_view kSchemaV9 = R"sql(
ALTER TABLE clients ADD COLUMN id_token_signed_response_alg TEXT NOT NULL DEFAULT 'RS256';
)sql";

// v10: housekeeping (app/housekeeping.hpp) deletes expired sessions and refresh tokens, found
// by expiry, as codes and transactions already are. A refresh token records the login its
// family started from, so that a refreshed ID token keeps its auth_time once the session that
// held it has expired and gone (OIDC Core §12.2); earlier tokens have NULL and fall back to the
// session.
constexpr std::string_view kSchemaV10 = R"sql(
ALTER TABLE refresh_tokens ADD COLUMN auth_time_ms INTEGER;
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at_ms);
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);
)sql";

constexpr std::array<Migration, 10> kMigrations = {{
    {1, kSchemaV1},
    {2, kSchemaV2},
    {3, kSchemaV3},
    {4, kSchemaV4},
    {5, kSchemaV5},
    {6, kSchemaV6},
    {7, kSchemaV7},
    {8, kSchemaV8},
    {9, kSchemaV9},
    {10, kSchemaV10},
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
