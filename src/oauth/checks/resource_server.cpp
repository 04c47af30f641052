#include "oauth/checks/resource_server.hpp"

namespace latchkey::oauth::checks {

Result<std::optional<model::ResourceServer>, OAuthError> check_resource_server(
    const std::string& audience, store::ResourceServerStore& resource_servers) {
  using Found = std::optional<model::ResourceServer>;
  if (audience.empty()) return Found();
  auto api = resource_servers.find(audience);
  // find() also matches the internal id; only the identifier is an audience.
  if (api && api->identifier == audience) return Found(std::move(api).value());
  if (api || api.error() == store::StoreError::not_found) {
    return fail(OAuthError::make(errors::kAccessDenied, "Service not found: " + audience));
  }
  OAuthError error = OAuthError::make(errors::kTemporarilyUnavailable,
                                      "The service is temporarily unavailable", 503);
  error.debug = "resource server store: " + std::string(store::to_string(api.error()));
  return fail(std::move(error));
}

}  // namespace latchkey::oauth::checks
