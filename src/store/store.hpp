#pragma once
// Storage interfaces, one per aggregate (DESIGN.md). Back ends live in store/sqlite/ (and later
// store/postgres/); only app/ names a concrete back end. Every back end passes the conformance
// suite in tests/store/.
//
// Shared rules for every back end:
// - Times are kept to the millisecond (sub-millisecond parts are truncated toward the past).
// - Lists are in a stable, documented order; ties are broken by the primary key.
// - No operation throws; every failure is a StoreError.
// - A write naming a user or client that does not exist (a session, grant, code or refresh
//   token) is `not_found`. Deleting a user removes its sessions, grants, codes and refresh
//   tokens; deleting a client removes its grants, codes and refresh tokens.
// - Stores never judge expiry: records come back expired or not, and the caller decides with
//   its injected clock.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "model/model.hpp"

namespace latchkey::store {

/// Why a store operation failed. `unavailable` covers I/O errors and a busy database after the
/// busy timeout; callers answer it with 503/server_error, never with a crash.
enum class StoreError { not_found, conflict, unavailable };

[[nodiscard]] std::string_view to_string(StoreError error);

template <class T>
using StoreResult = Result<T, StoreError>;

class ClientStore {
 public:
  virtual ~ClientStore() = default;
  /// Adds a client; `conflict` if the client_id exists.
  virtual StoreResult<void> create(const model::Client& client) = 0;
  /// The client with this id; `not_found` if there is none.
  virtual StoreResult<model::Client> find(std::string_view client_id) = 0;
  /// All clients, ordered by creation time then client_id.
  virtual StoreResult<std::vector<model::Client>> list() = 0;
  /// Replaces the stored secret digest; `not_found` if there is no such client.
  virtual StoreResult<void> set_secret_digest(std::string_view client_id,
                                              std::string_view digest) = 0;
  /// Replaces a client's settings (all but client_id, secret_digest and created_at, which stay);
  /// `not_found` if there is no such client.
  virtual StoreResult<void> update(const model::Client& client) = 0;
  /// Deletes the client; `not_found` if there is no such client.
  virtual StoreResult<void> remove(std::string_view client_id) = 0;
};

class ResourceServerStore {
 public:
  virtual ~ResourceServerStore() = default;
  /// Adds an API; `conflict` if its id or identifier exists.
  virtual StoreResult<void> create(const model::ResourceServer& api) = 0;
  /// Finds by id, or by identifier (the audience) when no id matches.
  virtual StoreResult<model::ResourceServer> find(std::string_view id_or_identifier) = 0;
  /// All APIs, ordered by creation time then id.
  virtual StoreResult<std::vector<model::ResourceServer>> list() = 0;
  /// Removes the API that find() would return; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id_or_identifier) = 0;
};

class UserStore {
 public:
  virtual ~UserStore() = default;
  /// Adds a user; `conflict` if the user_id or the (lower-cased) email exists.
  virtual StoreResult<void> create(const model::User& user) = 0;
  /// The user with this id; `not_found` if there is none. The email comes back lower-cased.
  virtual StoreResult<model::User> find(std::string_view user_id) = 0;
  /// Case-insensitive on the email (ASCII letters are folded); `not_found` if none matches.
  virtual StoreResult<model::User> find_by_email(std::string_view email) = 0;
  /// All users, ordered by creation time then user_id.
  virtual StoreResult<std::vector<model::User>> list() = 0;
  /// Sets the blocked flag (updated_at is left alone); `not_found` if there is no such user.
  virtual StoreResult<void> set_blocked(std::string_view user_id, bool blocked) = 0;
  /// A successful login: logins_count + 1 and last_login = at. not_found for no such user.
  virtual StoreResult<void> record_login(std::string_view user_id, TimePoint at) = 0;
  /// Replaces both metadata objects and sets updated_at (rules persisting their updates);
  /// `not_found` if there is no such user.
  virtual StoreResult<void> set_metadata(std::string_view user_id,
                                         const nlohmann::json& app_metadata,
                                         const nlohmann::json& user_metadata, TimePoint at) = 0;
  /// Deletes the user; `not_found` if there is no such user.
  virtual StoreResult<void> remove(std::string_view user_id) = 0;
};

class SigningKeyStore {
 public:
  virtual ~SigningKeyStore() = default;
  /// Adds a key; `conflict` if its kid exists.
  virtual StoreResult<void> create(const model::SigningKey& key) = 0;
  /// The key with this kid; `not_found` if there is none.
  virtual StoreResult<model::SigningKey> find(std::string_view kid) = 0;
  /// All keys, newest first (created_at descending, then kid ascending).
  virtual StoreResult<std::vector<model::SigningKey>> list() = 0;
  /// Moves a key to `state`, stamping activated_at (current) or retired_at (previous, revoked);
  /// the other timestamp is kept. `not_found` if there is no such key.
  virtual StoreResult<void> set_state(std::string_view kid, model::KeyState state,
                                      TimePoint at) = 0;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  /// Adds a session; `conflict` if its id_digest exists, `not_found` if the user does not.
  virtual StoreResult<void> create(const model::Session& session) = 0;
  /// The session with this digest, even when expired; `not_found` if there is none.
  virtual StoreResult<model::Session> find(std::string_view id_digest) = 0;
  /// Records activity: sets last_seen_at and the (sliding) expires_at; `not_found` if none.
  virtual StoreResult<void> touch(std::string_view id_digest, TimePoint last_seen_at,
                                  TimePoint expires_at) = 0;
  /// A fresh login in the same session; `not_found` if there is no such session.
  virtual StoreResult<void> set_auth_time(std::string_view id_digest, TimePoint auth_time) = 0;
  /// Deletes the session (logout); `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id_digest) = 0;
  /// Deletes every session of the user; returns how many there were (0 is not an error).
  virtual StoreResult<std::int64_t> remove_for_user(std::string_view user_id) = 0;
  /// Deletes sessions whose expires_at is strictly before `before`; returns how many.
  virtual StoreResult<std::int64_t> delete_expired(TimePoint before) = 0;
};

class GrantStore {
 public:
  virtual ~GrantStore() = default;
  /// Adds the grant, or replaces the scopes and updated_at of the grant for the same (user,
  /// client, audience); created_at is kept from the first. `not_found` if the user or client
  /// does not exist.
  virtual StoreResult<void> upsert(const model::Grant& grant) = 0;
  /// The grant for the triple; `not_found` if there is none. Audience "" means no API.
  virtual StoreResult<model::Grant> find(std::string_view user_id, std::string_view client_id,
                                         std::string_view audience) = 0;
  /// Deletes the grant for the triple; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view user_id, std::string_view client_id,
                                   std::string_view audience) = 0;
  /// The user's grants, ordered by client_id then audience.
  virtual StoreResult<std::vector<model::Grant>> list_for_user(std::string_view user_id) = 0;
};

/// Auth0's client grants: which APIs a client may call through client_credentials, and with
/// which scopes. One per (client, audience). Deleting the client or the API removes its grants.
class ClientGrantStore {
 public:
  virtual ~ClientGrantStore() = default;
  /// Adds a client grant; `conflict` if its id or its (client_id, audience) pair exists,
  /// `not_found` if the client, or the API with that identifier, does not.
  virtual StoreResult<void> create(const model::ClientGrant& grant) = 0;
  /// The client grant with this id; `not_found` if there is none.
  virtual StoreResult<model::ClientGrant> find(std::string_view id) = 0;
  /// The client's grant for the API `audience`; `not_found` if there is none.
  virtual StoreResult<model::ClientGrant> find_for(std::string_view client_id,
                                                   std::string_view audience) = 0;
  /// All client grants, ordered by client_id, then audience.
  virtual StoreResult<std::vector<model::ClientGrant>> list() = 0;
  /// Replaces the scopes of the grant with this id; `not_found` if there is none.
  virtual StoreResult<void> set_scopes(std::string_view id,
                                       const std::vector<std::string>& scopes) = 0;
  /// Deletes the grant with this id; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id) = 0;
};

/// What redeeming a code found: the stored code, and whether this call was the first to redeem
/// it. `first == false` is a replay: the caller refuses it and revokes what the first issued
/// (RFC 6749 §4.1.2, §10.5).
struct Redemption {
  model::AuthorizationCode code;
  bool first = true;
};

/// What the first redemption of a code hands out, recorded with it so that a replay can revoke
/// it. Either may be "" (none), and a digest of a token that was never handed out is harmless.
struct IssuedTokens {
  std::string access_jti;
  std::string refresh_digest;
};

class AuthorizationCodeStore {
 public:
  virtual ~AuthorizationCodeStore() = default;
  /// Adds a code (redeemed_at as given, normally nullopt); `conflict` if its digest exists,
  /// `not_found` if the client or user does not.
  virtual StoreResult<void> create(const model::AuthorizationCode& code) = 0;
  /// Atomically marks the code redeemed at `at` if nobody has, and returns it with first =
  /// true; if it was already redeemed, returns the stored record (with the first redemption's
  /// redeemed_at and issued tokens) and first = false. Exactly one caller ever sees first =
  /// true, across threads and processes. Expiry is not checked. `not_found` if no such code.
  /// The first redemption records `issued` in the same write, so issuing costs one commit.
  virtual StoreResult<Redemption> redeem(std::string_view code_digest, TimePoint at,
                                         const IssuedTokens& issued) = 0;
  /// redeem, recording nothing issued (yet).
  StoreResult<Redemption> redeem(std::string_view code_digest, TimePoint at) {
    return redeem(code_digest, at, IssuedTokens{});
  }
  /// Records what the first redemption handed out, so that a replay can revoke it.
  /// `not_found` if there is no such code.
  virtual StoreResult<void> record_issued(std::string_view code_digest, std::string_view access_jti,
                                          std::string_view refresh_digest) = 0;
  /// Deletes codes whose expires_at is strictly before `before`; returns how many.
  /// Pass a time well past expiry so that late replays still find the code to revoke from.
  virtual StoreResult<std::int64_t> delete_expired(TimePoint before) = 0;
};

class RefreshTokenStore {
 public:
  virtual ~RefreshTokenStore() = default;
  /// Adds a token; `conflict` if its digest exists, `not_found` if the client or user does not.
  virtual StoreResult<void> create(const model::RefreshToken& token) = 0;
  /// The token with this digest, revoked or expired ones included; `not_found` if none.
  virtual StoreResult<model::RefreshToken> find(std::string_view token_digest) = 0;
  /// Revokes every not yet revoked token of the family at `at`; returns how many it revoked.
  virtual StoreResult<std::int64_t> revoke_family(std::string_view family_id, TimePoint at) = 0;
  /// Rotation (RFC 9700 §4.14.2): in one transaction, marks the token `parent_digest` used and
  /// adds `child` (whose parent_digest names it). Returns true when it did; false, changing
  /// nothing, when the parent was already used (it has a child) or is revoked, so of concurrent
  /// rotations of one token exactly one succeeds. `not_found` if there is no parent, `conflict`
  /// if the child's digest exists.
  virtual StoreResult<bool> rotate(std::string_view parent_digest,
                                   const model::RefreshToken& child) = 0;
  /// Revokes every not yet revoked token the user holds for the client (RFC 7009 §2.1 for a
  /// refresh token, or consent withdrawn); returns how many it revoked.
  virtual StoreResult<std::int64_t> revoke_for_user_client(std::string_view user_id,
                                                           std::string_view client_id,
                                                           TimePoint at) = 0;
  /// Deletes tokens whose expires_at is strictly before `before` (spent, revoked or not);
  /// tokens without an absolute lifetime stay. Returns how many.
  virtual StoreResult<std::int64_t> delete_expired(TimePoint before) = 0;
};

/// Access tokens (by `jti`) revoked before they expire, for introspection (RFC 7662).
class RevokedTokenStore {
 public:
  virtual ~RevokedTokenStore() = default;
  /// Records the jti as revoked until `expires_at` (the token's exp). Revoking again is fine;
  /// the later expiry is kept.
  virtual StoreResult<void> revoke(std::string_view jti, TimePoint expires_at) = 0;
  /// True if the jti was revoked (and not yet purged by delete_expired).
  virtual StoreResult<bool> is_revoked(std::string_view jti) = 0;
  /// Forgets jtis whose expires_at is strictly before `before`; returns how many.
  virtual StoreResult<std::int64_t> delete_expired(TimePoint before) = 0;
};

/// Brute-force protection as Auth0 does it: failures are counted per (email, IP) pair, and a
/// pair that reaches the threshold is blocked. Emails are matched case-insensitively (ASCII
/// letters folded, as for users); IPs are compared exactly.
class LoginAttemptStore {
 public:
  virtual ~LoginAttemptStore() = default;
  /// Counts one failure at `at`, atomically. When the count reaches `threshold` (values below
  /// 1 count as 1), and on every failure after that, blocked_until becomes `at + block_for`.
  /// Returns the new state.
  virtual StoreResult<model::LoginAttempts> record_failure(std::string_view email,
                                                           std::string_view ip, TimePoint at,
                                                           int threshold,
                                                           std::chrono::seconds block_for) = 0;
  /// The failures of the pair; `not_found` when there are none. blocked_until may be past.
  virtual StoreResult<model::LoginAttempts> find(std::string_view email, std::string_view ip) = 0;
  /// Forgets the pair's failures (after a successful login); succeeds when there were none.
  virtual StoreResult<void> clear(std::string_view email, std::string_view ip) = 0;
  /// Forgets the failures of the email from every IP (lifts every block of the user); returns
  /// how many pairs were cleared.
  virtual StoreResult<std::int64_t> clear_email(std::string_view email) = 0;
};

/// Auth0 Rules. Names are unique, as in Auth0.
class RuleStore {
 public:
  virtual ~RuleStore() = default;
  /// Adds a rule; `conflict` if its id or name exists.
  virtual StoreResult<void> create(const model::Rule& rule) = 0;
  /// Finds by id, or by name when no id matches; `not_found` if neither does.
  virtual StoreResult<model::Rule> find(std::string_view id_or_name) = 0;
  /// All rules in run order: `order` ascending, then id.
  virtual StoreResult<std::vector<model::Rule>> list() = 0;
  /// Replaces name, script, order, enabled and updated_at of the rule with `rule.id`
  /// (created_at is kept); `not_found` if there is none, `conflict` if the name is taken.
  virtual StoreResult<void> update(const model::Rule& rule) = 0;
  /// Removes the rule that find() would return; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id_or_name) = 0;
};

/// Auth0 post-login Actions; the same contract as RuleStore.
class ActionStore {
 public:
  virtual ~ActionStore() = default;
  /// Adds an action; `conflict` if its id or name exists.
  virtual StoreResult<void> create(const model::Action& action) = 0;
  /// Finds by id, or by name when no id matches; `not_found` if neither does.
  virtual StoreResult<model::Action> find(std::string_view id_or_name) = 0;
  /// All actions in run order: `order` ascending, then id.
  virtual StoreResult<std::vector<model::Action>> list() = 0;
  /// Replaces name, code, order, enabled and updated_at of the action with `action.id`;
  /// `not_found` if there is none, `conflict` if the name is taken.
  virtual StoreResult<void> update(const model::Action& action) = 0;
  /// Removes the action that find() would return; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view id_or_name) = 0;
};

/// Rules-configs: sealed values by key. The store never decrypts.
class RuleConfigStore {
 public:
  virtual ~RuleConfigStore() = default;
  /// Adds the key, or replaces its sealed value and updated_at.
  virtual StoreResult<void> set(const model::RuleConfig& config) = 0;
  /// The config with this key; `not_found` if there is none.
  virtual StoreResult<model::RuleConfig> find(std::string_view key) = 0;
  /// All configs, ordered by key.
  virtual StoreResult<std::vector<model::RuleConfig>> list() = 0;
  /// Removes the key; `not_found` if there is none.
  virtual StoreResult<void> remove(std::string_view key) = 0;
};

/// Actions' secrets: sealed values by (action id, key). They go when their action goes.
class ActionSecretStore {
 public:
  virtual ~ActionSecretStore() = default;
  /// Adds the key to the action, or replaces its sealed value and updated_at. `not_found` when
  /// no action has this id.
  virtual StoreResult<void> set(const model::ActionSecret& secret) = 0;
  /// The action's secrets, ordered by key (none for an unknown action).
  virtual StoreResult<std::vector<model::ActionSecret>> list(std::string_view action_id) = 0;
  /// Removes the action's key; `not_found` if it has none.
  virtual StoreResult<void> remove(std::string_view action_id, std::string_view key) = 0;
};

class TransactionStore;  // store/transaction_store.hpp

/// One store: the aggregates plus health and schema management.
class Store {
 public:
  virtual ~Store() = default;
  virtual ClientStore& clients() = 0;
  virtual ResourceServerStore& resource_servers() = 0;
  virtual UserStore& users() = 0;
  virtual SigningKeyStore& signing_keys() = 0;
  virtual SessionStore& sessions() = 0;
  virtual GrantStore& grants() = 0;
  virtual ClientGrantStore& client_grants() = 0;
  virtual AuthorizationCodeStore& authorization_codes() = 0;
  virtual RefreshTokenStore& refresh_tokens() = 0;
  virtual RevokedTokenStore& revoked_tokens() = 0;
  virtual LoginAttemptStore& login_attempts() = 0;
  virtual TransactionStore& transactions() = 0;
  virtual RuleStore& rules() = 0;
  virtual ActionStore& actions() = 0;
  virtual RuleConfigStore& rule_configs() = 0;
  virtual ActionSecretStore& action_secrets() = 0;
  /// True when the back end answers a trivial query (GET /readyz).
  [[nodiscard]] virtual bool ping() = 0;
  /// The schema version now in force (0 for a database that was never migrated).
  [[nodiscard]] virtual StoreResult<int> schema_version() = 0;
};

}  // namespace latchkey::store
