#pragma once
// Logout: Auth0's `GET /v2/logout` and OpenID Connect RP-Initiated Logout 1.0 (`/oidc/logout`).
// Both end the SSO session first, whatever else the request says, and then either send the
// browser back to a logout URL the client registered or show a page. They never redirect to a
// URL the client did not register: an open redirect would let anyone bounce users anywhere.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/result.hpp"
#include "http/form.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "jose/key_set.hpp"
#include "jose/keyring.hpp"
#include "login/session_manager.hpp"
#include "store/store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::oidc {

/// Auth0's logout path, relative to the issuer.
inline constexpr std::string_view kLogoutPath = "/v2/logout";
/// The RP-Initiated Logout end_session_endpoint path, relative to the issuer (Auth0's path).
inline constexpr std::string_view kEndSessionPath = "/oidc/logout";
/// The template of the page shown when there is nowhere to send the browser back to.
inline constexpr std::string_view kLoggedOutPage = "logged_out";

/// Why a logout request cannot redirect. Each is shown as an HTML page, never a redirect.
enum class LogoutRefusal {
  bad_request,      ///< a repeated parameter, or a malformed form body
  unknown_client,   ///< client_id (or the hint's aud) names no client
  no_client,        ///< a return URL was given but no client says which list to check it against
  url_not_allowed,  ///< the return URL is not one of the client's allowed_logout_urls
  invalid_hint,     ///< id_token_hint is not an ID token that latchkey issued
  client_mismatch,  ///< client_id is not the hint's audience
  unavailable,      ///< the store does not answer
};

/// The return URL of a logout request and whose list it must be in.
struct LogoutTarget {
  std::optional<std::string> client_id;
  std::optional<std::string> return_to;
};

/// The client_id of a verified ID token: its `azp`, or its `aud` when that names one client.
/// Fails with invalid_hint when the token is not signed by one of `trusted`, its `iss` is not
/// `issuer`, or it names no client. Expiry is deliberately not checked: an expired ID token is
/// still a valid hint (OIDC RP-Initiated Logout 1.0 §2, id_token_hint).
[[nodiscard]] Result<std::string, LogoutRefusal> client_of_id_token_hint(
    std::string_view id_token, const jose::KeySet& trusted, std::string_view issuer,
    const Clock& clock);

/// Where the browser goes after the session ended: nullopt for the signed-out page, or the
/// return URL when it exactly matches one of the client's allowed_logout_urls.
[[nodiscard]] Result<std::optional<std::string>, LogoutRefusal> check_logout_target(
    const LogoutTarget& target, store::ClientStore& clients);

class LogoutEndpoint {
 public:
  /// `issuer` is latchkey's exact iss, with its trailing slash. All references outlive this.
  LogoutEndpoint(std::string issuer, store::ClientStore& clients, const jose::Keyring& keyring,
                 login::SessionManager& sessions, const ui::Renderer& renderer, const Clock& clock,
                 Logger& log);

  /// GET /v2/logout?client_id=&returnTo= (Auth0). Ends the session, then 302 to returnTo when
  /// it is allowed for client_id; without returnTo, 200 with the signed-out page; otherwise a
  /// 400 error page. Every answer clears the session cookie.
  [[nodiscard]] http::Response handle_logout(const http::Request& request);

  /// GET (query) or POST (form) /oidc/logout with id_token_hint, client_id,
  /// post_logout_redirect_uri and state (RP-Initiated Logout 1.0 §2, §3). Ends the session,
  /// then 302 to post_logout_redirect_uri (plus state) when the client named by client_id or
  /// the hint allows it; without one, the signed-out page; otherwise a 400 error page.
  [[nodiscard]] http::Response handle_end_session(const http::Request& request);

 private:
  [[nodiscard]] http::Response finish(
      std::string_view set_cookie, const Result<std::optional<std::string>, LogoutRefusal>& outcome,
      std::string_view endpoint);
  [[nodiscard]] Result<std::optional<std::string>, LogoutRefusal> end_session_target(
      const http::Params& params);

  std::string issuer_;
  store::ClientStore& clients_;
  const jose::Keyring& keyring_;
  login::SessionManager& sessions_;
  const ui::Renderer& renderer_;
  const Clock& clock_;
  Logger& log_;
};

}  // namespace latchkey::oidc
