#pragma once
// GET and POST /u/signup: creates a database user with the minimum password policy, then logs it
// in. Served only when sign-up is enabled (404 page otherwise). POST hashes with argon2id
// (waiting for the PasswordHasher's bound): register it with RouteOptions{.offload = true}.

#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "login/csrf.hpp"
#include "login/options.hpp"
#include "login/session_manager.hpp"
#include "store/store.hpp"
#include "store/transaction_store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::login {

/// Shown when the email is taken (or the store refuses it): the page never confirms that an
/// account exists.
inline constexpr std::string_view kSignupFailedMessage =
    "We could not sign you up with these details. Try logging in instead.";
/// Random bytes in a new user id: "auth0|" + 24 hex characters, like Auth0's.
inline constexpr std::size_t kUserIdBytes = 12;

class SignupHandler {
 public:
  SignupHandler(store::UserStore& users, store::ClientStore& clients,
                store::TransactionStore& transactions, SessionManager& sessions,
                const ui::Renderer& renderer, const Clock& clock, crypto::RandomSource& random,
                crypto::PasswordHasher& hasher, Logger& log, PageOptions options);

  /// The sign-up form for ?state=<transaction>; 404 page when sign-up is disabled.
  [[nodiscard]] http::Response handle_get(const http::Request& request);
  /// CSRF (403), transaction (400), policy (the form again, 400), creation; then like a
  /// successful login: 302 to /authorize/resume?state=… with the session cookie.
  [[nodiscard]] http::Response handle_post(const http::Request& request);

 private:
  struct Entry {
    std::string email;
    std::string password;
    std::string name;
  };

  [[nodiscard]] http::Response show_form(const http::Request& request,
                                         const store::AuthorizationTransaction& transaction,
                                         const Entry& entry, std::string_view error, int status);
  [[nodiscard]] http::Response create_user(const http::Request& request,
                                           const store::AuthorizationTransaction& transaction,
                                           const Entry& entry);
  [[nodiscard]] http::Response disabled() const;

  store::UserStore& users_;
  store::ClientStore& clients_;
  store::TransactionStore& transactions_;
  SessionManager& sessions_;
  const ui::Renderer& renderer_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  crypto::PasswordHasher& hasher_;
  Logger& log_;
  PageOptions options_;
  CsrfGuard csrf_;
};

}  // namespace latchkey::login
