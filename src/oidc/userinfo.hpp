#pragma once
// GET and POST /userinfo (OIDC Core §5.3): the claims of the user an access token stands for,
// as far as the token's scope allows. Bearer tokens per RFC 6750 (§2.1 header, §2.2 form body).

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "jose/keyring.hpp"
#include "store/store.hpp"

namespace latchkey::oidc {

/// The path of the UserInfo endpoint, relative to the issuer (Auth0's path).
inline constexpr std::string_view kUserInfoPath = "/userinfo";

class UserInfoEndpoint {
 public:
  /// `issuer` is the exact iss of latchkey's tokens; tokens must name `<issuer>userinfo` in aud.
  UserInfoEndpoint(std::string issuer, const jose::Keyring& keyring, store::UserStore& users,
                   store::RevokedTokenStore& revoked, const Clock& clock);

  /// 200 with sub and, by the token's scope, profile (name, nickname, picture, updated_at) and
  /// email (email, email_verified) claims. No token: 401 with `WWW-Authenticate: Bearer
  /// realm="latchkey"` (RFC 6750 §3.1). A token in both the header and the body: 400
  /// invalid_request. A token that fails verification (signature with a trusted key, typ at+jwt,
  /// iss, aud, exp/iat, revoked jti, unknown or blocked user): 401 invalid_token (RFC 6750 §3).
  [[nodiscard]] http::Response handle(const http::Request& request) const;

  /// A router handler bound to this endpoint, which must outlive it. Register it for GET and POST.
  [[nodiscard]] http::Handler handler() const;

 private:
  std::string issuer_;
  std::string audience_;
  const jose::Keyring& keyring_;
  store::UserStore& users_;
  store::RevokedTokenStore& revoked_;
  const Clock& clock_;
};

}  // namespace latchkey::oidc
