#pragma once
// GET and POST /u/login: the hosted password login page (Auth0's Universal Login look-alike).
// POST runs argon2id (waiting for the PasswordHasher's bound): register it with
// RouteOptions{.offload = true}.

#include <mutex>
#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "login/brute_force.hpp"
#include "login/csrf.hpp"
#include "login/options.hpp"
#include "login/session_manager.hpp"
#include "store/store.hpp"
#include "store/transaction_store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::login {

/// The message for every failed login, whether or not the email is known, so the page never
/// tells an attacker which emails have accounts. Blocked users get it too.
inline constexpr std::string_view kWrongCredentialsMessage = "Wrong email or password.";

class LoginHandler {
 public:
  LoginHandler(store::UserStore& users, store::ClientStore& clients,
               store::LoginAttemptStore& attempts, store::TransactionStore& transactions,
               SessionManager& sessions, const ui::Renderer& renderer, const Clock& clock,
               crypto::RandomSource& random, crypto::PasswordHasher& hasher, Logger& log,
               PageOptions options);

  /// The login form for ?state=<transaction>, prefilled with the request's login_hint.
  /// 400 page for a missing, unknown or expired state.
  [[nodiscard]] http::Response handle_get(const http::Request& request);

  /// Checks CSRF (403), the transaction (400), the brute-force block (429, no password check),
  /// then the password. Success: 302 to /authorize/resume?state=… with the session cookie.
  /// Failure: the form again with kWrongCredentialsMessage (400).
  [[nodiscard]] http::Response handle_post(const http::Request& request);

 private:
  struct Attempt {
    std::string state;
    std::string email;
    std::string password;
  };

  [[nodiscard]] http::Response show_form(const http::Request& request,
                                         const store::AuthorizationTransaction& transaction,
                                         const std::string& email, std::string_view error,
                                         int status);
  [[nodiscard]] http::Response attempt_login(const http::Request& request,
                                             const store::AuthorizationTransaction& transaction,
                                             const Attempt& attempt);
  [[nodiscard]] http::Response reject(const http::Request& request,
                                      const store::AuthorizationTransaction& transaction,
                                      const Attempt& attempt, std::string_view event);
  [[nodiscard]] http::Response blocked_page(const std::string& ip);
  [[nodiscard]] bool check_password(const std::optional<model::User>& user,
                                    const std::string& password) const;

  store::UserStore& users_;
  store::ClientStore& clients_;
  store::TransactionStore& transactions_;
  SessionManager& sessions_;
  const ui::Renderer& renderer_;
  const Clock& clock_;
  crypto::PasswordHasher& hasher_;
  Logger& log_;
  PageOptions options_;
  BruteForceGuard brute_force_;
  CsrfGuard csrf_;
  std::string dummy_password_;
  /// Verified against when the email is unknown, to keep timing alike; made once, when needed.
  mutable std::once_flag dummy_once_;
  mutable std::string dummy_hash_;
};

}  // namespace latchkey::login
