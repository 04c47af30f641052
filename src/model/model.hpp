#pragma once
// The data model, in Auth0's names (DESIGN.md "Data model"). Plain values; no behaviour.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace latchkey::model {

/// Auth0's application types.
enum class AppType { regular_web, spa, native, non_interactive };

[[nodiscard]] std::string_view to_string(AppType type);
[[nodiscard]] std::optional<AppType> parse_app_type(std::string_view text);

/// An OAuth client (an "application" in Auth0's UI).
struct Client {
  std::string client_id;
  std::string name;
  AppType app_type = AppType::regular_web;
  std::string secret_digest;  // hex SHA-256 of the client secret; never the secret
  std::string token_endpoint_auth_method = "client_secret_basic";
  std::vector<std::string> callbacks;
  std::vector<std::string> allowed_logout_urls;
  std::vector<std::string> grant_types;
  bool is_first_party = false;
  std::int64_t id_token_lifetime_seconds = 36000;
  /// The JWS alg of this client's ID tokens (OIDC Dynamic Client Registration §2; Auth0's
  /// jwt_configuration.alg): RS256, PS256, ES256 or EdDSA. Never "none" or HS256.
  std::string id_token_signed_response_alg = "RS256";
  nlohmann::json client_metadata = nlohmann::json::object();
  TimePoint created_at{};
};

/// A permission an API defines, with the text the consent page shows for it.
struct Scope {
  std::string value;
  std::string description;
};

/// A resource server (an "API" in Auth0's UI). `identifier` is the audience.
struct ResourceServer {
  std::string id;
  std::string identifier;
  std::string name;
  std::vector<Scope> scopes;
  std::string signing_alg = "RS256";
  std::int64_t token_lifetime_seconds = 86400;
  bool allow_offline_access = false;
  bool skip_consent_for_verifiable_first_party_clients = false;
  TimePoint created_at{};
};

/// A user of the database connection (Auth0's Username-Password-Authentication).
struct User {
  std::string user_id;  // "auth0|<hex>"
  std::string email;    // stored lower-cased
  bool email_verified = false;
  std::string name;
  std::string nickname;
  std::string picture;
  std::string password_hash;  // argon2id, libsodium's encoded form
  nlohmann::json app_metadata = nlohmann::json::object();
  nlohmann::json user_metadata = nlohmann::json::object();
  std::int64_t logins_count = 0;
  std::optional<TimePoint> last_login;
  bool blocked = false;
  TimePoint created_at{};
  TimePoint updated_at{};
};

/// Auth0's signing key lifecycle: next -> current -> previous; revoked keys are never served.
enum class KeyState { next, current, previous, revoked };

[[nodiscard]] std::string_view to_string(KeyState state);
[[nodiscard]] std::optional<KeyState> parse_key_state(std::string_view text);

/// A signing key. The private key is stored sealed (AES-256-GCM under the key-encryption key).
struct SigningKey {
  std::string kid;
  std::string alg;  // RS256, PS256, ES256, EdDSA
  KeyState state = KeyState::next;
  std::vector<std::uint8_t> sealed_private_key;
  std::string public_jwk;  // JSON text of the public JWK
  TimePoint created_at{};
  std::optional<TimePoint> activated_at;
  std::optional<TimePoint> retired_at;
};

/// An SSO session: the login a session cookie stands for. Only the digest of the cookie value is
/// stored, so a leaked database does not hand out live sessions.
struct Session {
  std::string id_digest;  // hex SHA-256 of the cookie value
  std::string user_id;
  TimePoint auth_time{};  // when the user last authenticated in this session (OIDC auth_time)
  TimePoint created_at{};
  TimePoint expires_at{};
  TimePoint last_seen_at{};
};

/// A user's consent to a client for an audience ("" when no API was asked for).
struct Grant {
  std::string user_id;
  std::string client_id;
  std::string audience;
  std::vector<std::string> scopes;
  TimePoint created_at{};
  TimePoint updated_at{};
};

/// Auth0's client grant: the client may obtain access tokens for the API `audience` through
/// client_credentials (RFC 6749 §4.4), with at most `scopes`. One per (client, audience).
struct ClientGrant {
  std::string id;  // "cgr_<hex>"
  std::string client_id;
  std::string audience;  // the API's identifier
  std::vector<std::string> scopes;
  TimePoint created_at{};
};

/// A one-time authorization code (RFC 6749 §4.1.2) and everything the token endpoint needs to
/// honour it. Only the digest of the code is stored.
struct AuthorizationCode {
  std::string code_digest;  // hex SHA-256 of the code
  std::string client_id;
  std::string redirect_uri;
  std::string code_challenge;         // RFC 7636; "" when the client sent none
  std::string code_challenge_method;  // "S256" or "plain"; "" with no challenge
  std::string nonce;
  std::vector<std::string> scopes;
  std::string audience;
  std::string user_id;
  std::string session_id;  // the session's id_digest
  TimePoint auth_time{};
  TimePoint created_at{};
  TimePoint expires_at{};
  /// Claims the rules added: {"id_token": {...}, "access_token": {...}}.
  nlohmann::json extra_claims = nlohmann::json::object();
  std::optional<TimePoint> redeemed_at;
  std::string issued_access_jti;      // what the first redemption issued, to revoke on replay
  std::string issued_refresh_digest;  // "" when no refresh token was issued
};

/// A refresh token. Rotation makes a family: every token names its parent ("" for the first)
/// and shares the first token's family_id, so a reused token can revoke the whole family.
struct RefreshToken {
  std::string token_digest;  // hex SHA-256 of the token
  std::string family_id;
  std::string parent_digest;
  std::string client_id;
  std::string user_id;
  std::string audience;
  std::vector<std::string> scopes;
  std::string session_id;
  TimePoint created_at{};
  std::optional<TimePoint> expires_at;  // nullopt: no absolute lifetime
  std::optional<TimePoint> revoked_at;
  /// The login the family started from (OIDC auth_time of a refreshed ID token); nullopt on
  /// tokens issued before schema v10 recorded it.
  std::optional<TimePoint> auth_time;
};

/// Failed logins for one (email, IP) pair: Auth0's brute-force protection blocks the pair, not
/// the user, so the same user from another IP can still log in.
struct LoginAttempts {
  std::string email;  // lower-cased
  std::string ip;
  int failures = 0;
  TimePoint first_failure_at{};
  std::optional<TimePoint> blocked_until;
};

/// An Auth0 Rule: `function (user, context, callback) {…}` run after login and consent. Rules
/// run in ascending `order` (ties broken by id); disabled rules are kept but skipped.
struct Rule {
  std::string id;  // "rul_<hex>"
  std::string name;
  std::string script;
  std::int64_t order = 0;
  bool enabled = true;
  TimePoint created_at{};
  TimePoint updated_at{};
};

/// An Auth0 post-login Action: a module setting `exports.onExecutePostLogin`. Actions run after
/// the rules, in ascending `order` (ties broken by id); only enabled (deployed) ones run.
struct Action {
  std::string id;  // "act_<hex>"
  std::string name;
  std::string code;
  std::int64_t order = 0;
  bool enabled = true;
  TimePoint created_at{};
  TimePoint updated_at{};
};

/// One rules-config (a rule's `configuration[key]`). The value is stored sealed (AES-256-GCM
/// under the key-encryption key, the key as associated data); the store never sees it in clear.
struct RuleConfig {
  std::string key;
  std::vector<std::uint8_t> sealed_value;
  TimePoint updated_at{};
};

/// A post-login Action's secret, read as event.secrets.KEY: sealed like a rules-config, bound
/// to its action and key.
struct ActionSecret {
  std::string action_id;
  std::string key;
  std::vector<std::uint8_t> sealed_value;
  TimePoint updated_at{};
};

}  // namespace latchkey::model
