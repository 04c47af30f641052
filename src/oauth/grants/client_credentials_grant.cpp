#include "oauth/grants/client_credentials_grant.hpp"

#include <algorithm>
#include <optional>
#include <utility>

#include "oauth/client_auth.hpp"
#include "oauth/grants/grant_support.hpp"
#include "oauth/scope.hpp"

namespace latchkey::oauth {
namespace {

// Auth0 answers an unknown API or a missing client grant with 403 access_denied.
OAuthError access_denied(std::string description) {
  return OAuthError::make(errors::kAccessDenied, std::move(description), 403);
}

// RFC 6749 §4.4.2: only confidential clients may use this grant (§2.1); a public client has no
// credentials to authenticate with.
Result<void, OAuthError> check_client(const model::Client& client) {
  if (client.token_endpoint_auth_method == kAuthMethodNone || client.secret_digest.empty()) {
    return fail(OAuthError::make(errors::kUnauthorizedClient,
                                 "client_credentials requires a confidential client"));
  }
  if (!has_scope(client.grant_types, kGrantTypeClientCredentials)) {
    return fail(
        OAuthError::make(errors::kUnauthorizedClient, "the client is not allowed this grant_type"));
  }
  return {};
}

// The API asked for: `audience` (Auth0) or RFC 8707 `resource`; one value, given either way.
Result<std::string, OAuthError> requested_audience(const http::Params& form) {
  const auto audience = form.get("audience");
  if (!audience.ok()) return fail(invalid_request("audience is repeated"));
  const auto resources = form.all("resource");
  if (resources.size() > 1) return fail(invalid_request("only one resource may be requested"));
  std::string target = audience->value_or("");
  if (!resources.empty() && !resources.front().empty()) {
    if (!target.empty() && target != resources.front()) {
      return fail(invalid_request("audience and resource name different APIs"));
    }
    target = resources.front();
  }
  if (target.empty()) return fail(invalid_request("audience is required"));
  return target;
}

bool api_defines(const model::ResourceServer& api, const std::string& scope) {
  return std::any_of(api.scopes.begin(), api.scopes.end(),
                     [&](const model::Scope& defined) { return defined.value == scope; });
}

}  // namespace

Result<std::vector<std::string>, OAuthError> client_credentials_scopes(
    const std::vector<std::string>& requested, const model::ClientGrant& grant,
    const model::ResourceServer& api) {
  const auto allowed = [&](const std::string& scope) {
    return has_scope(grant.scopes, scope) && api_defines(api, scope);
  };
  std::vector<std::string> out;
  if (requested.empty()) {
    std::copy_if(grant.scopes.begin(), grant.scopes.end(), std::back_inserter(out), allowed);
    return out;
  }
  // RFC 6749 §5.2: invalid_scope when the scope exceeds what the resource owner granted.
  for (const auto& scope : requested) {
    if (!allowed(scope)) {
      return fail(
          OAuthError::make(errors::kInvalidScope, "Client has not been granted scopes: " + scope));
    }
  }
  return requested;
}

ClientCredentialsGrant::ClientCredentialsGrant(store::ResourceServerStore& apis,
                                               store::ClientGrantStore& client_grants,
                                               const TokenIssuer& issuer)
    : apis_(apis), client_grants_(client_grants), issuer_(issuer) {}

Result<TokenResponse, OAuthError> ClientCredentialsGrant::handle(const TokenRequest& request) {
  const model::Client& client = request.client;
  if (auto checked = check_client(client); !checked.ok()) return fail(checked.error());
  auto audience = requested_audience(request.form);
  if (!audience.ok()) return fail(audience.error());
  auto requested = requested_scopes(request.form);
  if (!requested.ok()) return fail(requested.error());
  auto api = load_api(*audience);
  if (!api.ok()) return fail(api.error());
  auto grant = load_client_grant(client.client_id, api->identifier);
  if (!grant.ok()) return fail(grant.error());
  auto scopes = client_credentials_scopes(*requested, *grant, *api);
  if (!scopes.ok()) return fail(scopes.error());

  AccessTokenSpec spec{client.client_id + std::string(kClientSubjectSuffix), client.client_id,
                       *scopes, *api, nlohmann::json{{"gty", kGtyClientCredentials}}};
  auto access = issuer_.issue_access_token(spec);
  if (!access.ok()) return fail(access.error());
  TokenResponse response;
  response.access_token = std::move(access->token);
  response.expires_in = access->expires_in;
  response.scope = join_scopes(*scopes);
  return response;
}

Result<model::ResourceServer, OAuthError> ClientCredentialsGrant::load_api(
    const std::string& audience) {
  auto api = apis_.find(audience);
  if (!api.ok()) {
    if (api.error() == store::StoreError::not_found) {
      return fail(access_denied("Service not found: " + audience));
    }
    return fail(store_unavailable(api.error()));
  }
  // find() also matches an API's internal id; only its identifier names it as an audience.
  if (api->identifier != audience) return fail(access_denied("Service not found: " + audience));
  return std::move(*api);
}

Result<model::ClientGrant, OAuthError> ClientCredentialsGrant::load_client_grant(
    const std::string& client_id, const std::string& audience) {
  auto grant = client_grants_.find_for(client_id, audience);
  if (!grant.ok()) {
    if (grant.error() == store::StoreError::not_found) {
      return fail(
          access_denied("Client is not authorized to access \"" + audience +
                        "\". You need to create a \"client-grant\" associated to this API"));
    }
    return fail(store_unavailable(grant.error()));
  }
  return std::move(*grant);
}

}  // namespace latchkey::oauth
