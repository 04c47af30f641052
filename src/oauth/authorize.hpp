#pragma once
// The authorization endpoint (RFC 6749 §3.1, §4.1; OIDC Core §3.1.2): GET and POST /authorize,
// GET /authorize/resume, where the hosted login and consent pages send the browser back, and
// GET /continue, where a rule's redirect comes back (Auth0's redirect rules).

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "model/model.hpp"
#include "oauth/authorize_request.hpp"
#include "oauth/code_issuer.hpp"
#include "oauth/login_pipeline.hpp"
#include "store/store.hpp"
#include "store/transaction_store.hpp"

namespace latchkey::oauth {

/// The logged-in user behind a request's session cookie.
struct AuthenticatedSession {
  std::string session_id;  ///< the session's id_digest (model::Session), never the cookie value
  model::User user;
  TimePoint auth_time{};  ///< when the user last authenticated (OIDC auth_time)
};

/// Finds the session of a request; nullopt when there is none (or it expired).
using SessionLookup = std::function<std::optional<AuthenticatedSession>(const http::Request&)>;

/// Paths and lifetimes of the endpoint; the defaults are Auth0's.
struct AuthorizeOptions {
  std::string login_path = "/u/login";
  std::string consent_path = "/u/consent";
  std::chrono::seconds transaction_lifetime{30 * 60};
  std::chrono::seconds code_lifetime = CodeIssuer::kDefaultLifetime;
};

using store::kConsentDenied;
using store::kConsentGranted;

class AuthorizeEndpoint {
 public:
  /// `issuer` is sent back as `iss` (RFC 9207). `rules`, when given, runs after login and
  /// consent, just before a code is issued; it may block, so every route here must then run
  /// on the offload pool. Every reference must outlive the endpoint.
  AuthorizeEndpoint(std::string issuer, store::Store& store, store::TransactionStore& transactions,
                    SessionLookup sessions, const Clock& clock, crypto::RandomSource& random,
                    Logger& logger, AuthorizeOptions options = {}, LoginPipeline* rules = nullptr);

  /// GET /authorize (query) and POST /authorize (form body, OIDC Core §3.1.2.1). Answers an
  /// error page for a request that cannot be trusted to redirect, an error redirect otherwise,
  /// a 302 to the login or consent page with a new transaction, or the authorization
  /// response with a code (302, or a form_post page).
  [[nodiscard]] http::Response handle(const http::Request& request) const;

  /// GET /authorize/resume?state=<transaction id>: re-checks the stored request and continues
  /// it after login or consent. An unknown or expired transaction is an error page (400).
  [[nodiscard]] http::Response resume(const http::Request& request) const;

  /// GET /continue?state=<transaction id>: back from a rule's or action's redirect. Runs the
  /// rules again with protocol "redirect-callback" (and the action's onContinuePostLogin). A
  /// transaction that no rule sent away is an error page (400), as an unknown one is.
  [[nodiscard]] http::Response resume_after_redirect(const http::Request& request) const;

  /// True when a login pipeline is configured (the routes must then be offloaded).
  [[nodiscard]] bool runs_rules() const { return rules_ != nullptr; }

 private:
  /// A stored transaction and its request, validated again; or the answer that ends it.
  struct Reopened {
    store::AuthorizationTransaction transaction;
    AuthorizeRequest request;
  };
  [[nodiscard]] Result<Reopened, http::Response> reopen(const http::Request& request,
                                                        std::string_view step) const;
  [[nodiscard]] http::Response decide(const AuthorizeRequest& request,
                                      const http::Request& http_request,
                                      const store::AuthorizationTransaction* transaction,
                                      bool after_redirect = false) const;
  [[nodiscard]] bool needs_login(const AuthorizeRequest& request,
                                 const std::optional<AuthenticatedSession>& session,
                                 const store::AuthorizationTransaction* transaction) const;
  [[nodiscard]] Result<bool, OAuthError> needs_consent(
      const AuthorizeRequest& request, const AuthenticatedSession& session,
      const store::AuthorizationTransaction* transaction) const;
  [[nodiscard]] http::Response interact(const AuthorizeRequest& request,
                                        const store::AuthorizationTransaction* transaction,
                                        const std::string& path,
                                        const AuthenticatedSession* owner) const;
  [[nodiscard]] store::StoreResult<std::string> open_transaction(
      const AuthorizeRequest& request, const store::AuthorizationTransaction* transaction,
      const AuthenticatedSession* owner) const;
  [[nodiscard]] http::Response issue(const AuthorizeRequest& request,
                                     const http::Request& http_request,
                                     const AuthenticatedSession& session,
                                     const store::AuthorizationTransaction* transaction,
                                     bool after_redirect) const;
  /// Runs the rules: the claims they add, or the answer that ends the login (a denial, a
  /// failure, or a redirect away with the transaction's id as `state`).
  [[nodiscard]] Result<nlohmann::json, http::Response> run_rules(
      const AuthorizeRequest& request, const http::Request& http_request,
      const AuthenticatedSession& session, const store::AuthorizationTransaction* transaction,
      bool after_redirect) const;
  [[nodiscard]] http::Response send_away(const AuthorizeRequest& request,
                                         const AuthenticatedSession& session,
                                         const store::AuthorizationTransaction* transaction,
                                         const LoginPipelineOutcome& outcome) const;
  [[nodiscard]] http::Response refuse(std::string_view step, const OAuthError& error,
                                      const AuthorizeRequest& request) const;
  [[nodiscard]] Result<store::AuthorizationTransaction, OAuthError> load_transaction(
      const http::Request& request) const;
  void forget(const store::AuthorizationTransaction* transaction) const;

  std::string issuer_;
  store::Store& store_;
  store::TransactionStore& transactions_;
  SessionLookup sessions_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  Logger& logger_;
  AuthorizeOptions options_;
  CodeIssuer codes_;
  LoginPipeline* rules_;
};

}  // namespace latchkey::oauth
