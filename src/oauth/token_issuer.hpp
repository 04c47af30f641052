#pragma once
// Mints latchkey's tokens: access tokens in the JWT profile of RFC 9068 and OpenID Connect ID
// tokens (OIDC Core §2). One JSON build and one signature per token.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "jose/keyring.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth {

/// Scope values with a meaning of their own (OIDC Core §5.4, §11).
inline constexpr std::string_view kScopeOpenId = "openid";
inline constexpr std::string_view kScopeProfile = "profile";
inline constexpr std::string_view kScopeEmail = "email";
inline constexpr std::string_view kScopeOfflineAccess = "offline_access";

/// The header "typ" of access tokens (RFC 9068 §2.1).
inline constexpr std::string_view kAccessTokenType = "at+jwt";
/// Default lifetime of an access token without an API (Auth0's 24 hours).
inline constexpr std::int64_t kDefaultAccessTokenLifetime = 86400;

/// The claims extra (rule-added) claims can never replace.
[[nodiscard]] bool is_reserved_claim(std::string_view name);

/// Scopes joined by single spaces (RFC 6749 §3.3).
[[nodiscard]] std::string join_scopes(const std::vector<std::string>& scopes);
/// True when `scopes` holds `scope`.
[[nodiscard]] bool has_scope(const std::vector<std::string>& scopes, std::string_view scope);

/// The audience that makes an access token good at /userinfo: `<issuer>userinfo`.
[[nodiscard]] std::string userinfo_audience(std::string_view issuer);

/// What an access token is about.
struct AccessTokenSpec {
  std::string subject;    ///< the user_id (or the client_id for client_credentials)
  std::string client_id;  ///< becomes azp and client_id
  std::vector<std::string> scopes;
  /// The API the token is for; nullopt: good only at /userinfo.
  std::optional<model::ResourceServer> resource_server;
  /// Claims a rule added; reserved names are ignored.
  nlohmann::json extra_claims = nlohmann::json::object();
  /// The token's jti; "" draws a random one.
  std::string jti{};
};

/// What an ID token is about.
struct IdTokenSpec {
  model::User user;
  std::string client_id;
  std::int64_t lifetime_seconds = 36000;
  std::vector<std::string> scopes;  ///< decides the profile and email claims
  TimePoint auth_time{};
  std::string nonce;       ///< "" when the authorization request had none
  std::string session_id;  ///< becomes sid; "" leaves it out
  nlohmann::json extra_claims = nlohmann::json::object();
  /// The client's id_token_signed_response_alg (OIDC Dynamic Client Registration §2).
  std::string signing_alg = "RS256";
};

/// A signed token. `token` is a bearer secret: never log it.
struct IssuedToken {
  std::string token;
  std::string jti;  ///< "" for ID tokens
  std::int64_t expires_in = 0;
  TimePoint expires_at{};
};

class TokenIssuer {
 public:
  /// `issuer` is the exact iss value (with its trailing slash, as Auth0 writes it).
  TokenIssuer(std::string issuer, const jose::Keyring& keyring, const Clock& clock,
              crypto::RandomSource& random);

  /// An RFC 9068 access token: header typ at+jwt and kid; iss, sub, aud, azp, client_id, scope,
  /// iat, exp, jti. aud is the API identifier, plus the userinfo audience (as an array) when
  /// openid is granted; without an API it is only the userinfo audience. Signed with the API's
  /// signing_alg (RS256 without an API). Fails with server_error (500) when that algorithm has
  /// no signing key or is unknown.
  [[nodiscard]] Result<IssuedToken, OAuthError> issue_access_token(
      const AccessTokenSpec& spec) const;

  /// An ID token (OIDC Core §2, §3.1.3.6), signed with spec.signing_alg. Fails like
  /// issue_access_token.
  [[nodiscard]] Result<IssuedToken, OAuthError> issue_id_token(const IdTokenSpec& spec) const;

  [[nodiscard]] const std::string& issuer() const { return issuer_; }

  /// A fresh random jti, for a caller that records it before the token is signed.
  [[nodiscard]] std::string new_jti() const;

 private:
  /// Signs the JSON text `claims` with the current key for `alg_name`.
  Result<std::string, OAuthError> sign(const nlohmann::json& header_extra, std::string_view claims,
                                       std::string_view alg_name) const;

  std::string issuer_;
  std::string userinfo_audience_;
  const jose::Keyring& keyring_;
  const Clock& clock_;
  crypto::RandomSource& random_;
};

}  // namespace latchkey::oauth
