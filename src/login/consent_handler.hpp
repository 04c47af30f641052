#pragma once
// GET and POST /u/consent: shows what the client asks for (each requested scope the API defines,
// with its description) and records the user's answer as a grant and on the transaction.

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/log.hpp"
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

using store::kConsentDenied;
using store::kConsentGranted;

/// What a transaction asks for, read from its original /authorize parameters.
struct ConsentRequest {
  std::string client_id;
  std::string audience;             ///< audience, or resource (RFC 8707) when absent
  std::vector<std::string> scopes;  ///< every requested scope, in order, without repeats
};

/// Parses the transaction's stored query; `client_id` falls back to the transaction's.
[[nodiscard]] ConsentRequest read_consent_request(
    const store::AuthorizationTransaction& transaction);

/// The scopes a grant records: the requested ones the API defines plus the OIDC scopes
/// (openid, profile, email, offline_access) that were requested, added to `previous`, without
/// repeats and in order.
[[nodiscard]] std::vector<std::string> granted_scopes(const std::vector<std::string>& previous,
                                                      const std::vector<std::string>& requested,
                                                      const std::vector<model::Scope>& defined);

class ConsentHandler {
 public:
  ConsentHandler(store::ClientStore& clients, store::ResourceServerStore& apis,
                 store::GrantStore& grants, store::TransactionStore& transactions,
                 SessionManager& sessions, const ui::Renderer& renderer, const Clock& clock,
                 crypto::RandomSource& random, Logger& log, PageOptions options);

  /// The consent page for ?state=<transaction>. 400 page for a bad state; 403 page when the
  /// transaction is not authenticated or belongs to another user than the session's.
  [[nodiscard]] http::Response handle_get(const http::Request& request);
  /// action=accept stores the grant (union with the previous one) and marks the transaction
  /// granted; action=decline marks it denied. Both 302 to /authorize/resume?state=…
  /// CSRF failure or a foreign transaction: 403 page, nothing changes.
  [[nodiscard]] http::Response handle_post(const http::Request& request);

 private:
  /// The transaction when it is this session's, or the page to answer with.
  [[nodiscard]] std::variant<store::AuthorizationTransaction, http::Response> load_owned(
      const http::Request& request, const std::optional<std::string>& state);
  [[nodiscard]] std::vector<model::Scope> api_scopes(const std::string& audience);
  [[nodiscard]] http::Response accept(const store::AuthorizationTransaction& transaction);

  store::ClientStore& clients_;
  store::ResourceServerStore& apis_;
  store::GrantStore& grants_;
  store::TransactionStore& transactions_;
  SessionManager& sessions_;
  const ui::Renderer& renderer_;
  const Clock& clock_;
  Logger& log_;
  CsrfGuard csrf_;
};

}  // namespace latchkey::login
