#include "oauth/authorize.hpp"

#include <utility>

#include "http/headers.hpp"
#include "oauth/authorize_pipeline.hpp"
#include "oauth/consent_policy.hpp"

namespace latchkey::oauth {
namespace {

/// Bytes of randomness in a transaction id (64 hex characters).
constexpr std::size_t kTransactionIdBytes = 32;

OAuthError unavailable(std::string debug) {
  OAuthError error = OAuthError::make(errors::kTemporarilyUnavailable,
                                      "The service is temporarily unavailable", 503);
  error.debug = std::move(debug);
  return error;
}

/// The parameters of GET (query) or POST (form body, OIDC Core §3.1.2.1) /authorize.
Result<http::Params, OAuthError> request_parameters(const http::Request& request) {
  if (request.method != http::Method::post) return request.query;
  auto form = request.form();
  if (form) return std::move(form).value();
  return fail(OAuthError::make(errors::kInvalidRequest,
                               "The request body must be application/x-www-form-urlencoded"));
}

/// Where a rule may send the browser: an absolute http(s) URL that is safe in a Location header.
bool is_redirect_url(std::string_view url) {
  constexpr std::size_t kMaxLength = 4096;
  if (!url.starts_with("https://") && !url.starts_with("http://")) return false;
  if (url.size() > kMaxLength || !http::is_safe_field_value(url)) return false;
  return url.find(' ') == std::string_view::npos;
}

}  // namespace

AuthorizeEndpoint::AuthorizeEndpoint(std::string issuer, store::Store& store,
                                     store::TransactionStore& transactions, SessionLookup sessions,
                                     const Clock& clock, crypto::RandomSource& random,
                                     Logger& logger, AuthorizeOptions options, LoginPipeline* rules)
    : issuer_(std::move(issuer)),
      store_(store),
      transactions_(transactions),
      sessions_(std::move(sessions)),
      clock_(clock),
      random_(random),
      logger_(logger),
      options_(std::move(options)),
      codes_(store.authorization_codes(), clock, random, options_.code_lifetime),
      rules_(rules) {}

http::Response AuthorizeEndpoint::handle(const http::Request& request) const {
  auto params = request_parameters(request);
  if (!params) {
    log_event(logger_, LogLevel::warn, "authorize request refused",
              {{"step", "parse"}, {"error", params.error().code}});
    return render_page(params.error());
  }
  auto validated = validate_authorize_request(
      std::move(params).value(), {store_.clients(), store_.resource_servers(), issuer_});
  if (!validated) {
    const AuthorizeRefusal& refusal = validated.error();
    log_event(logger_, LogLevel::warn, "authorize request refused",
              {{"step", refusal.step},
               {"client_id", refusal.client_id},
               {"error", refusal.error.code},
               {"debug", refusal.error.debug}});
    return render_redirect(refusal.error, refusal.target);
  }
  return decide(*validated, request, nullptr);
}

Result<AuthorizeEndpoint::Reopened, http::Response> AuthorizeEndpoint::reopen(
    const http::Request& request, std::string_view step) const {
  auto transaction = load_transaction(request);
  if (!transaction) {
    log_event(logger_, LogLevel::warn, "authorize resume refused",
              {{"step", step}, {"error", transaction.error().code}});
    return fail(render_page(transaction.error()));
  }
  auto params = http::parse_form(transaction->query);
  if (!params) return fail(render_page(unavailable("stored transaction query does not parse")));
  auto validated = validate_authorize_request(
      std::move(params).value(), {store_.clients(), store_.resource_servers(), issuer_});
  if (!validated) {
    const AuthorizeRefusal& refusal = validated.error();
    log_event(
        logger_, LogLevel::warn, "authorize resume refused",
        {{"step", refusal.step}, {"client_id", refusal.client_id}, {"error", refusal.error.code}});
    forget(&*transaction);
    return fail(render_redirect(refusal.error, refusal.target));
  }
  return Reopened{std::move(transaction).value(), std::move(validated).value()};
}

http::Response AuthorizeEndpoint::resume(const http::Request& request) const {
  auto reopened = reopen(request, "transaction");
  if (!reopened) return std::move(reopened).error();
  const auto& [transaction, validated] = *reopened;
  if (transaction.consent == kConsentDenied) {
    forget(&transaction);
    return refuse("consent",
                  OAuthError::make(errors::kAccessDenied, "User did not authorize the request"),
                  validated);
  }
  return decide(validated, request, &transaction);
}

http::Response AuthorizeEndpoint::resume_after_redirect(const http::Request& request) const {
  auto reopened = reopen(request, "continue");
  if (!reopened) return std::move(reopened).error();
  const auto& [transaction, validated] = *reopened;
  if (!transaction.rules_redirect) {
    log_event(logger_, LogLevel::warn, "authorize resume refused",
              {{"step", "continue"}, {"error", "no redirect pending"}});
    return render_page(OAuthError::make(
        errors::kInvalidRequest, "The login transaction is unknown or has expired; start again"));
  }
  return decide(validated, request, &transaction, true);
}

http::Response AuthorizeEndpoint::decide(const AuthorizeRequest& request,
                                         const http::Request& http_request,
                                         const store::AuthorizationTransaction* transaction,
                                         bool after_redirect) const {
  const auto session = sessions_(http_request);
  if (transaction != nullptr && transaction->authenticated_at && session &&
      session->user.user_id != transaction->user_id) {
    // The browser's session is someone else's than the login of this transaction: start over.
    forget(transaction);
    return interact(request, nullptr, options_.login_path, nullptr);
  }
  if (needs_login(request, session, transaction)) {
    // OIDC Core §3.1.2.6: prompt=none MUST NOT show a page.
    if (request.prompt.none) {
      return refuse("login", OAuthError::make(errors::kLoginRequired, "Login required"), request);
    }
    return interact(request, transaction, options_.login_path, nullptr);
  }
  if (session->user.blocked) {
    return refuse("user", OAuthError::make(errors::kAccessDenied, "user is blocked"), request);
  }
  auto consent = needs_consent(request, *session, transaction);
  if (!consent) return refuse("consent", consent.error(), request);
  if (*consent) {
    if (request.prompt.none) {
      return refuse("consent", OAuthError::make(errors::kConsentRequired, "Consent required"),
                    request);
    }
    // The consent page serves only the transaction's own user, so it must name one.
    return interact(request, transaction, options_.consent_path, &*session);
  }
  return issue(request, http_request, *session, transaction, after_redirect);
}

bool AuthorizeEndpoint::needs_login(const AuthorizeRequest& request,
                                    const std::optional<AuthenticatedSession>& session,
                                    const store::AuthorizationTransaction* transaction) const {
  if (!session) return true;
  // A login completed within this transaction satisfies prompt=login and max_age.
  if (transaction != nullptr && transaction->authenticated_at) return false;
  if (request.prompt.login) return true;
  if (!request.max_age) return false;
  // OIDC Core §3.1.2.1: re-authenticate when the last login is older than max_age.
  const auto age = clock_.now() - session->auth_time;
  return age > std::chrono::seconds(*request.max_age);
}

Result<bool, OAuthError> AuthorizeEndpoint::needs_consent(
    const AuthorizeRequest& request, const AuthenticatedSession& session,
    const store::AuthorizationTransaction* transaction) const {
  if (transaction != nullptr && transaction->consent == kConsentGranted) return false;
  auto grant =
      store_.grants().find(session.user.user_id, request.client.client_id, request.audience);
  if (!grant && grant.error() != store::StoreError::not_found) {
    return fail(unavailable("grant store: " + std::string(store::to_string(grant.error()))));
  }
  std::optional<model::Grant> found;
  if (grant) found = std::move(grant).value();
  return consent_required(request, found);
}

http::Response AuthorizeEndpoint::interact(const AuthorizeRequest& request,
                                           const store::AuthorizationTransaction* transaction,
                                           const std::string& path,
                                           const AuthenticatedSession* owner) const {
  auto id = open_transaction(request, transaction, owner);
  if (!id) {
    return refuse("transaction",
                  unavailable("transaction store: " + std::string(store::to_string(id.error()))),
                  request);
  }
  log_event(logger_, LogLevel::info, "authorize needs interaction",
            {{"client_id", request.client.client_id}, {"page", path}});
  return http::Response::redirect(append_query(path, http::Params{{"state", *id}}), 302);
}

store::StoreResult<std::string> AuthorizeEndpoint::open_transaction(
    const AuthorizeRequest& request, const store::AuthorizationTransaction* transaction,
    const AuthenticatedSession* owner) const {
  if (transaction != nullptr) {
    if (owner == nullptr || transaction->authenticated_at) return transaction->id;
    // Logged in elsewhere (another tab) since the transaction began: it is now this user's.
    auto owned =
        transactions_.set_authenticated(transaction->id, owner->user.user_id, owner->auth_time);
    if (!owned) return fail(owned.error());
    return transaction->id;
  }
  store::AuthorizationTransaction created;
  created.id = crypto::random_hex(random_, kTransactionIdBytes);
  created.query = request.params.encode();
  created.client_id = request.client.client_id;
  created.created_at = clock_.now();
  created.expires_at = created.created_at + options_.transaction_lifetime;
  if (owner != nullptr) {
    // Already logged in: the session's login is the one this transaction stands on.
    created.authenticated_at = owner->auth_time;
    created.user_id = owner->user.user_id;
  }
  auto stored = transactions_.create(created);
  if (!stored) return fail(stored.error());
  return created.id;
}

http::Response AuthorizeEndpoint::issue(const AuthorizeRequest& request,
                                        const http::Request& http_request,
                                        const AuthenticatedSession& session,
                                        const store::AuthorizationTransaction* transaction,
                                        bool after_redirect) const {
  model::AuthorizationCode binding;
  // With nothing enabled the pipeline has nothing to add, so the facts are not gathered.
  if (rules_ != nullptr && !rules_->empty()) {
    auto claims = run_rules(request, http_request, session, transaction, after_redirect);
    if (!claims) return std::move(claims).error();
    binding.extra_claims = std::move(claims).value();
  }
  binding.client_id = request.client.client_id;
  binding.redirect_uri = request.target.redirect_uri;
  binding.code_challenge = request.pkce.challenge;
  binding.code_challenge_method = request.pkce.method;
  binding.nonce = request.nonce;
  binding.scopes = request.scopes;
  binding.audience = request.audience;
  binding.user_id = session.user.user_id;
  binding.session_id = session.session_id;
  binding.auth_time = session.auth_time;
  auto code = codes_.issue(std::move(binding));
  if (!code) {
    return refuse("code", unavailable("code store: " + std::string(store::to_string(code.error()))),
                  request);
  }
  forget(transaction);
  log_event(logger_, LogLevel::info, "authorization code issued",
            {{"client_id", request.client.client_id}, {"user_id", session.user.user_id}});
  return authorization_response(request.target, http::Params{{"code", std::move(code).value()}});
}

Result<nlohmann::json, http::Response> AuthorizeEndpoint::run_rules(
    const AuthorizeRequest& request, const http::Request& http_request,
    const AuthenticatedSession& session, const store::AuthorizationTransaction* transaction,
    bool after_redirect) const {
  LoginPipelineFacts facts;
  facts.protocol = after_redirect ? "redirect-callback" : "oidc-basic-profile";
  facts.ip = http_request.remote_address;
  facts.user_agent = std::string(http_request.header("User-Agent").value_or(""));
  for (const auto& [name, value] : request.params.items()) facts.query[name] = value;
  facts.scopes = request.scopes;
  facts.audience = request.audience;
  facts.session_id = session.session_id;
  if (after_redirect && transaction != nullptr && transaction->rules_redirect &&
      !transaction->rules_redirect->empty()) {
    facts.resumed_action = transaction->rules_redirect;
  }
  const LoginPipelineOutcome outcome = rules_->run(session.user, request.client, facts);
  switch (outcome.kind) {
    case LoginPipelineOutcome::Kind::ok:
      return outcome.extra_claims;
    case LoginPipelineOutcome::Kind::redirect:
      if (is_redirect_url(outcome.redirect_url)) {
        return fail(send_away(request, session, transaction, outcome));
      }
      forget(transaction);
      return fail(refuse(
          "rules", OAuthError::make(errors::kAccessDenied, "A rule redirected to an invalid URL"),
          request));
    case LoginPipelineOutcome::Kind::denied:
    case LoginPipelineOutcome::Kind::failed:
      break;
  }
  forget(transaction);
  return fail(
      refuse("rules", OAuthError::make(errors::kAccessDenied, outcome.description), request));
}

http::Response AuthorizeEndpoint::send_away(const AuthorizeRequest& request,
                                            const AuthenticatedSession& session,
                                            const store::AuthorizationTransaction* transaction,
                                            const LoginPipelineOutcome& outcome) const {
  // The transaction carries the login over the trip: one is opened when the session alone
  // allowed the code (no page was shown).
  auto id = open_transaction(request, transaction, &session);
  if (!id) {
    return refuse("transaction",
                  unavailable("transaction store: " + std::string(store::to_string(id.error()))),
                  request);
  }
  if (auto marked = transactions_.set_rules_redirect(*id, outcome.redirect_action); !marked) {
    return refuse(
        "transaction",
        unavailable("transaction store: " + std::string(store::to_string(marked.error()))),
        request);
  }
  log_event(logger_, LogLevel::info, "authorize redirected by rules",
            {{"client_id", request.client.client_id}, {"user_id", session.user.user_id}});
  return http::Response::redirect(append_query(outcome.redirect_url, http::Params{{"state", *id}}),
                                  302);
}

http::Response AuthorizeEndpoint::refuse(std::string_view step, const OAuthError& error,
                                         const AuthorizeRequest& request) const {
  log_event(logger_, LogLevel::info, "authorize request refused",
            {{"step", step},
             {"client_id", request.client.client_id},
             {"error", error.code},
             {"debug", error.debug}});
  // Only called after every check passed: the client and redirect_uri are verified.
  return render_redirect(error.redirectable(), request.target);
}

Result<store::AuthorizationTransaction, OAuthError> AuthorizeEndpoint::load_transaction(
    const http::Request& request) const {
  const OAuthError unknown = OAuthError::make(
      errors::kInvalidRequest, "The login transaction is unknown or has expired; start again");
  const auto state = request.query.get("state");
  if (!state || !state->has_value() || (*state)->empty()) return fail(unknown);
  auto transaction = transactions_.find(**state);
  if (!transaction) {
    if (transaction.error() == store::StoreError::not_found) return fail(unknown);
    return fail(
        unavailable("transaction store: " + std::string(store::to_string(transaction.error()))));
  }
  if (clock_.now() >= transaction->expires_at) return fail(unknown);
  return std::move(transaction).value();
}

void AuthorizeEndpoint::forget(const store::AuthorizationTransaction* transaction) const {
  if (transaction == nullptr) return;
  auto removed = transactions_.remove(transaction->id);
  if (!removed && removed.error() != store::StoreError::not_found) {
    log_event(logger_, LogLevel::warn, "authorize transaction not removed",
              {{"client_id", transaction->client_id},
               {"error", std::string(store::to_string(removed.error()))}});
  }
}

}  // namespace latchkey::oauth
