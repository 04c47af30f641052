#pragma once
// grant_type=refresh_token (RFC 6749 §6) with Auth0's refresh token rotation (RFC 9700
// §4.14.2): every use returns a new refresh token of the same family and spends the one used;
// presenting a spent token again revokes the whole family, so a thief's copy and the user's
// both stop working. Auth0 runs the Rules and post-login Actions again on each exchange, with
// context.protocol "oauth2-refresh-token": their claims go into the new tokens, and a denial
// refuses the exchange without spending the token.

#include <optional>
#include <string>
#include <vector>

#include "crypto/random.hpp"
#include "oauth/grants/authorization_code_grant.hpp"
#include "oauth/grants/grant.hpp"
#include "oauth/login_pipeline.hpp"
#include "oauth/token_issuer.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

class RefreshTokenGrant final : public Grant {
 public:
  /// Uses the store's refresh tokens, users, APIs and sessions (for auth_time); `random` makes
  /// the rotated tokens. `rules` (may be null: none) runs on every exchange and may block: the
  /// server sends refresh requests to its worker pool while one is enabled.
  RefreshTokenGrant(store::Store& store, const TokenIssuer& issuer, crypto::RandomSource& random,
                    LoginPipeline* rules = nullptr);

  [[nodiscard]] std::string_view grant_type() const override { return kGrantTypeRefreshToken; }

  /// Requires `refresh_token` (invalid_request when missing); `scope` may narrow the original
  /// scopes. Fails with unauthorized_client when the client may not use this grant;
  /// invalid_grant for an unknown, expired, revoked, spent (which revokes its family) or foreign
  /// token, or a user who is gone or blocked; invalid_scope for a scope beyond the original;
  /// access_denied (403) when a rule or action denies, fails or asks for a redirect, which a
  /// token request cannot follow; server_error when the store fails or a token cannot be signed.
  [[nodiscard]] Result<TokenResponse, OAuthError> handle(const TokenRequest& request) override;

 private:
  Result<model::RefreshToken, OAuthError> load_token(const std::string& digest,
                                                     const model::Client& client, TimePoint now);
  TimePoint auth_time_of(const model::RefreshToken& token);
  Result<nlohmann::json, OAuthError> run_rules(const model::User& user,
                                               const model::RefreshToken& token,
                                               const std::vector<std::string>& scopes,
                                               const TokenRequest& request);
  Result<TokenResponse, OAuthError> sign_tokens(const model::RefreshToken& token,
                                                const model::Client& client, model::User user,
                                                const std::vector<std::string>& scopes,
                                                const nlohmann::json& claims);
  Result<std::string, OAuthError> rotate(const model::RefreshToken& parent, TimePoint now);

  store::Store& store_;
  const TokenIssuer& issuer_;
  crypto::RandomSource& random_;
  LoginPipeline* rules_;
};

/// The scopes a refreshed access token gets (RFC 6749 §6): all of `granted` when `requested` is
/// empty, else `requested`, which must be a subset. Fails with invalid_scope naming the first
/// scope that was not granted.
[[nodiscard]] Result<std::vector<std::string>, OAuthError> refresh_scopes(
    const std::vector<std::string>& requested, const std::vector<std::string>& granted);

}  // namespace latchkey::oauth
