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

}  // namespace latchkey::model
