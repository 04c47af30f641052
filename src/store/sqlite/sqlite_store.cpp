#include "store/sqlite/sqlite_store.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "store/sqlite/connection_pool.hpp"
#include "store/sqlite/mapped_change_counter.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/queries.hpp"
#include "store/sqlite/sqlite_authorization_code_store.hpp"
#include "store/sqlite/sqlite_client_grant_store.hpp"
#include "store/sqlite/sqlite_client_store.hpp"
#include "store/sqlite/sqlite_grant_store.hpp"
#include "store/sqlite/sqlite_login_attempt_store.hpp"
#include "store/sqlite/sqlite_refresh_token_store.hpp"
#include "store/sqlite/sqlite_resource_server_store.hpp"
#include "store/sqlite/sqlite_revoked_token_store.hpp"
#include "store/sqlite/sqlite_rule_store.hpp"
#include "store/sqlite/sqlite_session_store.hpp"
#include "store/sqlite/sqlite_signing_key_store.hpp"
#include "store/sqlite/sqlite_transaction_store.hpp"
#include "store/sqlite/sqlite_user_store.hpp"

namespace latchkey::store::sqlite {
namespace {

constexpr std::string_view kPing = "SELECT 1";

Result<void, std::string> check_options(const SqliteOptions& options) {
  if (options.pool_size < 1) return fail(std::string("sqlite pool_size must be at least 1"));
  if (options.busy_timeout.count() < 0) {
    return fail(std::string("sqlite busy_timeout must not be negative"));
  }
  return {};
}

// The first connection has already opened (and migrated) the file; the rest only attach to it.
Result<std::unique_ptr<ConnectionPool>, std::string> open_pool(
    const std::filesystem::path& db_file, const SqliteOptions& options,
    const std::shared_ptr<Logger>& logger, std::unique_ptr<Connection> first) {
  std::vector<std::unique_ptr<Connection>> connections;
  connections.push_back(std::move(first));
  for (int i = 1; i < options.pool_size; ++i) {
    auto connection = Connection::open(db_file, options.busy_timeout, logger);
    if (!connection) return fail(connection.error());
    connections.push_back(std::move(connection).value());
  }
  // A WAL restart waits this long at most for readers, while this process's writers wait.
  constexpr std::chrono::milliseconds kRestartWait{50};
  auto checkpoints =
      Connection::open(db_file, std::min(options.busy_timeout, kRestartWait), logger);
  if (!checkpoints) return fail(checkpoints.error());
  return std::make_unique<ConnectionPool>(std::move(connections), options.busy_timeout,
                                          std::move(checkpoints).value());
}

bool is_pragma_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>, std::string> SqliteStore::open(
    const std::filesystem::path& db_file, const SqliteOptions& options) {
  if (auto valid = check_options(options); !valid) return fail(valid.error());
  auto logger = options.logger ? options.logger : make_null_logger();
  std::shared_ptr<const Clock> clock =
      options.clock ? options.clock : std::make_shared<SystemClock>();
  auto first = Connection::open(db_file, options.busy_timeout, logger);
  if (!first) return fail(first.error());
  auto version =
      options.migrate ? apply_migrations(**first, *clock) : check_schema_version(**first);
  if (!version) return fail(db_file.string() + ": " + version.error());
  auto pool = open_pool(db_file, options, logger, std::move(first).value());
  if (!pool) return fail(pool.error());
  auto changes = MappedChangeCounter::open(db_file, CounterSlot::configuration);
  if (!changes) return fail(changes.error());
  auto user_changes = MappedChangeCounter::open(db_file, CounterSlot::users);
  if (!user_changes) return fail(user_changes.error());
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(std::move(pool).value(), std::move(changes).value(),
                      std::move(user_changes).value(), std::move(clock)));
}

SqliteStore::SqliteStore(std::unique_ptr<ConnectionPool> pool,
                         std::unique_ptr<ChangeCounter> changes,
                         std::unique_ptr<ChangeCounter> user_changes,
                         std::shared_ptr<const Clock> clock)
    : clock_(std::move(clock)),
      pool_(std::move(pool)),
      changes_(std::move(changes)),
      user_changes_(std::move(user_changes)),
      clients_(std::make_unique<SqliteClientStore>(*pool_)),
      resource_servers_(std::make_unique<SqliteResourceServerStore>(*pool_)),
      users_(std::make_unique<SqliteUserStore>(*pool_)),
      signing_keys_(std::make_unique<SqliteSigningKeyStore>(*pool_)),
      sessions_(std::make_unique<SqliteSessionStore>(*pool_)),
      grants_(std::make_unique<SqliteGrantStore>(*pool_)),
      client_grants_(std::make_unique<SqliteClientGrantStore>(*pool_)),
      authorization_codes_(std::make_unique<SqliteAuthorizationCodeStore>(*pool_)),
      refresh_tokens_(std::make_unique<SqliteRefreshTokenStore>(*pool_)),
      revoked_tokens_(std::make_unique<SqliteRevokedTokenStore>(*pool_)),
      login_attempts_(std::make_unique<SqliteLoginAttemptStore>(*pool_)),
      transactions_(std::make_unique<SqliteTransactionStore>(*pool_)),
      rules_(std::make_unique<SqliteRuleStore>(*pool_)),
      actions_(std::make_unique<SqliteActionStore>(*pool_)),
      rule_configs_(std::make_unique<SqliteRuleConfigStore>(*pool_)),
      action_secrets_(std::make_unique<SqliteActionSecretStore>(*pool_)),
      cached_clients_(*clients_, *changes_),
      cached_resource_servers_(*resource_servers_, *changes_),
      cached_client_grants_(*client_grants_, *changes_),
      cached_rules_(*rules_, *changes_),
      cached_actions_(*actions_, *changes_),
      cached_users_(*users_, *user_changes_),
      cached_sessions_(*sessions_, *user_changes_),
      grant_changes_(*user_changes_, *changes_),
      cached_grants_(*grants_, grant_changes_) {}

SqliteStore::~SqliteStore() = default;

int SqliteStore::latest_schema_version() { return sqlite::latest_schema_version(); }

Result<int, std::string> SqliteStore::migrate() {
  auto lease = pool_->acquire_writer();
  if (!lease) return fail(std::string("no database connection came free within busy_timeout"));
  return apply_migrations(lease->connection(), *clock_);
}

StoreResult<std::string> SqliteStore::pragma(std::string_view name) {
  if (!is_pragma_name(name)) return fail(StoreError::not_found);
  auto lease = pool_->acquire();
  if (!lease) return fail(lease.error());
  auto value = lease->connection().query_text("PRAGMA " + std::string(name));
  if (!value) return fail(StoreError::unavailable);
  return std::move(value).value();
}

StoreResult<void> SqliteStore::insert_batch(std::span<const model::User> users,
                                            std::span<const model::RefreshToken> tokens) {
  // Written past users(): the cache must hear of it all the same.
  struct BumpAfter {
    ChangeCounter& counter;
    ~BumpAfter() { counter.bump(); }
  } bump{*user_changes_};
  return in_write_transaction<void>(*pool_, [&](Connection& connection) -> StoreResult<void> {
    for (const auto& user : users) {
      if (auto r = SqliteUserStore::insert_on(connection, user); !r) return r;
    }
    for (const auto& token : tokens) {
      if (auto r = SqliteRefreshTokenStore::insert_on(connection, token); !r) return r;
    }
    return {};
  });
}

ClientStore& SqliteStore::clients() { return cached_clients_; }
ResourceServerStore& SqliteStore::resource_servers() { return cached_resource_servers_; }
UserStore& SqliteStore::users() { return cached_users_; }
SigningKeyStore& SqliteStore::signing_keys() { return *signing_keys_; }
SessionStore& SqliteStore::sessions() { return cached_sessions_; }
GrantStore& SqliteStore::grants() { return cached_grants_; }
ClientGrantStore& SqliteStore::client_grants() { return cached_client_grants_; }
AuthorizationCodeStore& SqliteStore::authorization_codes() { return *authorization_codes_; }
RefreshTokenStore& SqliteStore::refresh_tokens() { return *refresh_tokens_; }
RevokedTokenStore& SqliteStore::revoked_tokens() { return *revoked_tokens_; }
LoginAttemptStore& SqliteStore::login_attempts() { return *login_attempts_; }
TransactionStore& SqliteStore::transactions() { return *transactions_; }
RuleStore& SqliteStore::rules() { return cached_rules_; }
ActionStore& SqliteStore::actions() { return cached_actions_; }
RuleConfigStore& SqliteStore::rule_configs() { return *rule_configs_; }
ActionSecretStore& SqliteStore::action_secrets() { return *action_secrets_; }

bool SqliteStore::ping() {
  auto lease = pool_->acquire();
  if (!lease) return false;
  auto stmt = lease->connection().prepare(kPing);
  if (!stmt) return false;
  auto row = stmt->step();
  return row.ok() && *row;
}

StoreResult<int> SqliteStore::schema_version() {
  auto lease = pool_->acquire();
  if (!lease) return fail(lease.error());
  return read_schema_version(lease->connection());
}

}  // namespace latchkey::store::sqlite
