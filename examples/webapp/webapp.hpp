#pragma once
// The example web app: a regular, server-rendered web app that signs its users in with latchkey
// (the Authorization Code Grant with PKCE and a client secret) and calls an API on their behalf
// with the access token it got.
//
//   GET  /          home: "Log in", or a greeting, a link to the profile and "Log out"
//   GET  /login     starts a sign-in: state, nonce and PKCE kept server-side, then /authorize
//   GET  /callback  checks state, redeems the code, verifies the ID token, starts a session
//   GET  /profile   the user's name and email, and what the API answered
//   POST /logout    ends the local session, then latchkey's /v2/logout

#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "expiring_store.hpp"
#include "flow.hpp"
#include "http/client.hpp"
#include "http/router.hpp"
#include "pages.hpp"
#include "verify/token_verifier.hpp"

namespace latchkey::examples::webapp {

struct WebAppOptions {
  ProviderMetadata provider;
  ClientCredentials client;
  std::string base_url;  ///< where browsers reach the app, without a trailing slash
  std::string api_url;   ///< the API's base URL, with a trailing slash
  std::string audience;  ///< the API's identifier at latchkey
  std::string scope = "openid profile email read:messages";
};

/// What the app remembers about a signed-in browser.
struct Session {
  UserView user;
  std::string access_token;
};

/// Cookie names, defined once.
inline constexpr std::string_view kTransactionCookie = "webapp_login";
inline constexpr std::string_view kSessionCookie = "webapp_session";

class WebApp {
 public:
  /// `id_tokens` must verify ID tokens for this client (typ "JWT", audience = client_id). Every
  /// reference must outlive the WebApp.
  WebApp(WebAppOptions options, const http::Client& client, const verify::TokenVerifier& id_tokens,
         const Clock& clock, crypto::RandomSource& random, Logger& log);

  /// The five routes; handlers that call out (callback, profile) run on the worker pool.
  [[nodiscard]] http::Router routes();

 private:
  http::Response home(const http::Request& request) const;
  http::Response login(const http::Request& request);
  http::Response callback(const http::Request& request);
  http::Response profile(const http::Request& request) const;
  http::Response logout(const http::Request& request);

  [[nodiscard]] Result<Session, CallbackFailure> redeem(const std::string& code,
                                                        const LoginTransaction& transaction) const;
  [[nodiscard]] Result<Session, CallbackFailure> session_from_tokens(
      const std::string& body, const LoginTransaction& transaction) const;
  [[nodiscard]] ApiView call_api(const Session& session) const;
  [[nodiscard]] std::optional<Session> current_session(const http::Request& request) const;
  [[nodiscard]] std::string redirect_uri() const { return options_.base_url + "/callback"; }
  /// The error page for a refused callback; also clears the transaction cookie.
  [[nodiscard]] http::Response reject(const CallbackFailure& failure) const;
  void set_cookie(http::Response& response, std::string_view name, std::string_view value,
                  std::chrono::seconds max_age) const;
  void delete_cookie(http::Response& response, std::string_view name) const;

  WebAppOptions options_;
  const http::Client& client_;
  const verify::TokenVerifier& id_tokens_;
  crypto::RandomSource& random_;
  Logger& log_;
  bool secure_cookies_;
  ExpiringStore<LoginTransaction> transactions_;
  ExpiringStore<Session> sessions_;
};

}  // namespace latchkey::examples::webapp
