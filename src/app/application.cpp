#include "app/application.hpp"

#include <vector>

#include "app/health.hpp"
#include "jose/algorithm.hpp"
#include "oauth/grants/authorization_code_grant.hpp"
#include "oauth/grants/client_credentials_grant.hpp"
#include "oauth/grants/refresh_token_grant.hpp"
#include "store/transaction_store.hpp"

namespace latchkey::app {
namespace {

constexpr std::string_view kAuthorizePath = "/authorize";

std::vector<std::unique_ptr<oauth::Grant>> make_grants(Dependencies& deps,
                                                       const oauth::TokenIssuer& issuer) {
  std::vector<std::unique_ptr<oauth::Grant>> grants;
  grants.push_back(
      std::make_unique<oauth::AuthorizationCodeGrant>(deps.store, issuer, deps.random));
  grants.push_back(std::make_unique<oauth::RefreshTokenGrant>(deps.store, issuer, deps.random,
                                                              deps.login_pipeline));
  grants.push_back(std::make_unique<oauth::ClientCredentialsGrant>(
      deps.store.resource_servers(), deps.store.client_grants(), issuer));
  return grants;
}

}  // namespace

Application::Application(Dependencies deps)
    : deps_(std::move(deps)),
      renderer_(deps_.config.templates_dir),
      hasher_(crypto::hashes_within(std::size_t{deps_.config.password_hash_memory_mb} << 20U)),
      sessions_(deps_.store.sessions(), deps_.store.users(), deps_.clock, deps_.random,
                page_options().secure_cookies),
      login_(deps_.store.users(), deps_.store.clients(), deps_.store.login_attempts(),
             deps_.store.transactions(), sessions_, renderer_, deps_.clock, deps_.random, hasher_,
             deps_.log, page_options()),
      signup_(deps_.store.users(), deps_.store.clients(), deps_.store.transactions(), sessions_,
              renderer_, deps_.clock, deps_.random, hasher_, deps_.log, page_options()),
      consent_(deps_.store.clients(), deps_.store.resource_servers(), deps_.store.grants(),
               deps_.store.transactions(), sessions_, renderer_, deps_.clock, deps_.random,
               deps_.log, page_options()),
      authorize_(deps_.issuer, deps_.store, deps_.store.transactions(), session_lookup(),
                 deps_.clock, deps_.random, deps_.log, oauth::AuthorizeOptions{},
                 deps_.login_pipeline),
      token_issuer_(deps_.issuer, deps_.keyring, deps_.clock, deps_.random),
      token_endpoint_(deps_.store.clients(), deps_.clock, make_grants(deps_, token_issuer_)),
      userinfo_(deps_.issuer, deps_.keyring, deps_.store.users(), deps_.store.revoked_tokens(),
                deps_.clock),
      logout_(deps_.issuer, deps_.store.clients(), deps_.keyring, sessions_, renderer_, deps_.clock,
              deps_.log) {}

login::PageOptions Application::page_options() const {
  login::PageOptions options;
  options.secure_cookies = deps_.issuer.starts_with("https://");
  options.signup_enabled = deps_.config.signup_enabled;
  return options;
}

oauth::SessionLookup Application::session_lookup() {
  return [this](const http::Request& request) -> std::optional<oauth::AuthenticatedSession> {
    auto session = sessions_.current(request);
    if (!session) return std::nullopt;
    return oauth::AuthenticatedSession{session->session_id_digest, std::move(session->user),
                                       session->auth_time};
  };
}

oidc::ProviderMetadata Application::metadata() const {
  oidc::ProviderMetadata m;
  m.issuer = deps_.issuer;
  m.jwks_uri = oidc::endpoint_url(deps_.issuer, oidc::kJwksPath);
  m.authorization_endpoint = oidc::endpoint_url(deps_.issuer, kAuthorizePath);
  m.token_endpoint = oidc::endpoint_url(deps_.issuer, oauth::kTokenPath);
  m.response_types_supported = {"code"};
  m.response_modes_supported = {"query", "form_post"};
  m.authorization_response_iss_parameter_supported = true;
  m.userinfo_endpoint = oidc::endpoint_url(deps_.issuer, oidc::kUserInfoPath);
  m.end_session_endpoint = oidc::endpoint_url(deps_.issuer, oidc::kEndSessionPath);
  m.grant_types_supported = {std::string(oauth::kGrantTypeAuthorizationCode),
                             std::string(oauth::kGrantTypeRefreshToken),
                             std::string(oauth::kGrantTypeClientCredentials)};
  m.token_endpoint_auth_methods_supported = {"client_secret_basic", "client_secret_post", "none"};
  // Every alg a client may pick as its id_token_signed_response_alg, RS256 (the default) first.
  m.id_token_signing_alg_values_supported = jose::algorithm_names();
  m.code_challenge_methods_supported = {"S256"};
  m.scopes_supported = {"openid", "profile", "email", "offline_access"};
  m.claims_supported = {"aud",     "auth_time", "email", "email_verified", "exp",
                        "iat",     "iss",       "name",  "nickname",       "nonce",
                        "picture", "sid",       "sub",   "updated_at",     "azp"};
  return m;
}

http::Router Application::routes() {
  http::Router router;
  router.add(http::Method::get, "/healthz", healthz);
  router.add(http::Method::get, "/readyz",
             [&store = deps_.store](const http::Request&) { return readyz(store); });

  const nlohmann::json metadata = oidc::to_json(this->metadata());
  const auto serve_metadata = [metadata](const http::Request&) {
    return oidc::metadata_response(metadata);
  };
  router.add(http::Method::get, std::string(oidc::kDiscoveryPath), serve_metadata);
  router.add(http::Method::get, std::string(oidc::kOAuthMetadataPath), serve_metadata);
  router.add(http::Method::get, std::string(oidc::kJwksPath),
             [&keyring = deps_.keyring](const http::Request&) {
               return oidc::jwks_response(keyring.snapshot()->jwks, kJwksMaxAgeSeconds);
             });

  // Rules may run for seconds: while any is enabled, the routes that can issue a code run on
  // the worker pool, and so do refresh token exchanges, which run them again.
  http::RouteOptions rules_offload;
  http::RouteOptions refresh_offload;
  if (auto* pipeline = deps_.login_pipeline; pipeline != nullptr) {
    rules_offload.offload_when = [pipeline](const http::Request&) { return !pipeline->empty(); };
    refresh_offload.offload_when = [pipeline](const http::Request& request) {
      return !pipeline->empty() &&
             oauth::requested_grant_type(request) == oauth::kGrantTypeRefreshToken;
    };
  }
  const auto authorize = [this](const http::Request& r) { return authorize_.handle(r); };
  router.add(http::Method::get, std::string(kAuthorizePath), authorize, rules_offload);
  router.add(http::Method::post, std::string(kAuthorizePath), authorize, rules_offload);
  router.add(
      http::Method::get, "/authorize/resume",
      [this](const http::Request& r) { return authorize_.resume(r); }, rules_offload);
  router.add(
      http::Method::get, "/continue",
      [this](const http::Request& r) { return authorize_.resume_after_redirect(r); },
      rules_offload);
  // Password hashing runs on the worker pool, never on an I/O thread.
  const http::RouteOptions offload{.offload = true};
  router.add(http::Method::get, "/u/login",
             [this](const http::Request& r) { return login_.handle_get(r); });
  router.add(
      http::Method::post, "/u/login",
      [this](const http::Request& r) { return login_.handle_post(r); }, offload);
  router.add(http::Method::get, "/u/signup",
             [this](const http::Request& r) { return signup_.handle_get(r); });
  router.add(
      http::Method::post, "/u/signup",
      [this](const http::Request& r) { return signup_.handle_post(r); }, offload);
  router.add(http::Method::get, "/u/consent",
             [this](const http::Request& r) { return consent_.handle_get(r); });
  router.add(http::Method::post, "/u/consent",
             [this](const http::Request& r) { return consent_.handle_post(r); });

  router.add(http::Method::post, std::string(oauth::kTokenPath), token_endpoint_.handler(),
             refresh_offload);
  router.add(http::Method::get, std::string(oidc::kUserInfoPath), userinfo_.handler());
  router.add(http::Method::post, std::string(oidc::kUserInfoPath), userinfo_.handler());

  router.add(http::Method::get, std::string(oidc::kLogoutPath),
             [this](const http::Request& r) { return logout_.handle_logout(r); });
  const auto end_session = [this](const http::Request& r) { return logout_.handle_end_session(r); };
  router.add(http::Method::get, std::string(oidc::kEndSessionPath), end_session);
  router.add(http::Method::post, std::string(oidc::kEndSessionPath), end_session);
  return router;
}

}  // namespace latchkey::app
