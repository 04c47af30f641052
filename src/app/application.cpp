#include "app/application.hpp"

#include <vector>

#include "app/health.hpp"
#include "oauth/grants/authorization_code_grant.hpp"

namespace latchkey::app {
namespace {

std::vector<std::unique_ptr<oauth::Grant>> make_grants(Dependencies& deps,
                                                       const oauth::TokenIssuer& issuer) {
  std::vector<std::unique_ptr<oauth::Grant>> grants;
  grants.push_back(
      std::make_unique<oauth::AuthorizationCodeGrant>(deps.store, issuer, deps.random));
  return grants;
}

}  // namespace

Application::Application(Dependencies deps)
    : deps_(std::move(deps)),
      token_issuer_(deps_.issuer, deps_.keyring, deps_.clock, deps_.random),
      token_endpoint_(deps_.store.clients(), deps_.clock, make_grants(deps_, token_issuer_)),
      userinfo_(deps_.issuer, deps_.keyring, deps_.store.users(), deps_.store.revoked_tokens(),
                deps_.clock) {}

oidc::ProviderMetadata Application::metadata() const {
  oidc::ProviderMetadata m;
  m.issuer = deps_.issuer;
  m.jwks_uri = oidc::endpoint_url(deps_.issuer, oidc::kJwksPath);
  m.token_endpoint = oidc::endpoint_url(deps_.issuer, oauth::kTokenPath);
  m.userinfo_endpoint = oidc::endpoint_url(deps_.issuer, oidc::kUserInfoPath);
  m.grant_types_supported = {std::string(oauth::kGrantTypeAuthorizationCode)};
  m.token_endpoint_auth_methods_supported = {"client_secret_basic", "client_secret_post", "none"};
  m.id_token_signing_alg_values_supported = {"RS256"};
  m.code_challenge_methods_supported = {"S256"};
  m.scopes_supported = {"openid", "profile", "email", "offline_access"};
  m.claims_supported = {"aud",     "auth_time", "email", "email_verified", "exp",
                        "iat",     "iss",       "name",  "nickname",       "nonce",
                        "picture", "sid",       "sub",   "updated_at",     "azp"};
  return m;
}

http::Router Application::routes() const {
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

  router.add(http::Method::post, std::string(oauth::kTokenPath), token_endpoint_.handler());
  router.add(http::Method::get, std::string(oidc::kUserInfoPath), userinfo_.handler());
  router.add(http::Method::post, std::string(oidc::kUserInfoPath), userinfo_.handler());
  return router;
}

}  // namespace latchkey::app
