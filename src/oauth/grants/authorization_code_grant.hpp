#pragma once
// grant_type=authorization_code (RFC 6749 §4.1.3, RFC 7636 §4.5-4.6, OIDC Core §3.1.3).
// A code is redeemed once, atomically, by its digest; a replay is refused and revokes the tokens
// the first redemption issued (RFC 6749 §4.1.2, §10.5).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/random.hpp"
#include "oauth/grants/grant.hpp"
#include "oauth/token_issuer.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

inline constexpr std::string_view kGrantTypeAuthorizationCode = "authorization_code";
inline constexpr std::string_view kGrantTypeRefreshToken = "refresh_token";

/// Absolute lifetime of a refresh token issued with a code (Auth0's default is longer; 30 days
/// keeps stolen tokens short-lived while still sparing users frequent logins).
inline constexpr std::chrono::seconds kRefreshTokenLifetime = std::chrono::hours(24 * 30);

class AuthorizationCodeGrant final : public Grant {
 public:
  /// Uses the store's codes, users, APIs, refresh tokens and revoked jtis; `random` makes
  /// refresh tokens and family ids.
  AuthorizationCodeGrant(store::Store& store, const TokenIssuer& issuer,
                         crypto::RandomSource& random);

  [[nodiscard]] std::string_view grant_type() const override { return kGrantTypeAuthorizationCode; }

  /// Requires `code` and `redirect_uri` (invalid_request when missing or repeated), and
  /// `code_verifier` when the code carries a challenge. Fails with invalid_grant for an unknown,
  /// expired, replayed or foreign code, a redirect_uri other than the authorization request's,
  /// a PKCE failure, or a user who is gone or blocked; with server_error when the store fails.
  [[nodiscard]] Result<TokenResponse, OAuthError> handle(const TokenRequest& request) override;

 private:
  struct CodeParams {
    std::string code;
    std::string redirect_uri;
    std::optional<std::string> code_verifier;
  };

  /// The tokens a redemption may hand out, drawn before the code is redeemed so that the
  /// redemption's one write records them (a replay revokes them).
  struct Planned {
    std::string access_jti;
    std::string refresh_token;  ///< stored only when offline access is granted
  };

  Result<model::AuthorizationCode, OAuthError> redeem(const std::string& digest, TimePoint now,
                                                      const Planned& planned);
  void revoke_issued(const model::AuthorizationCode& code, TimePoint now);
  Result<void, OAuthError> store_refresh_token(const model::AuthorizationCode& code, TimePoint now,
                                               const std::string& token);
  Result<TokenResponse, OAuthError> sign_tokens(const model::AuthorizationCode& code,
                                                const model::Client& client, model::User user,
                                                const std::optional<model::ResourceServer>& api,
                                                const std::string& access_jti) const;
  Result<TokenResponse, OAuthError> issue(const model::AuthorizationCode& code,
                                          const model::Client& client, TimePoint now,
                                          Planned planned);

  store::Store& store_;
  const TokenIssuer& issuer_;
  crypto::RandomSource& random_;
};

}  // namespace latchkey::oauth
