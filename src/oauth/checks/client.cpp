#include "oauth/checks/client.hpp"

namespace latchkey::oauth::checks {

Result<model::Client, OAuthError> check_client(const std::optional<std::string>& client_id,
                                               store::ClientStore& clients) {
  if (!client_id || client_id->empty()) {
    return fail(OAuthError::make(errors::kInvalidRequest, "Missing required parameter: client_id"));
  }
  auto client = clients.find(*client_id);
  if (client) return std::move(client).value();
  if (client.error() == store::StoreError::not_found) {
    // RFC 6749 §4.1.2.1: the authorization server MUST NOT redirect to an unknown client.
    return fail(OAuthError::make(errors::kInvalidRequest, "Unknown client: " + *client_id));
  }
  OAuthError error = OAuthError::make(errors::kTemporarilyUnavailable,
                                      "The service is temporarily unavailable", 503);
  error.debug = "client store: " + std::string(store::to_string(client.error()));
  return fail(std::move(error));
}

}  // namespace latchkey::oauth::checks
