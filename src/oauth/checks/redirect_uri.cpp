#include "oauth/checks/redirect_uri.hpp"

#include <algorithm>

namespace latchkey::oauth::checks {

Result<std::string, OAuthError> check_redirect_uri(const std::optional<std::string>& redirect_uri,
                                                   const model::Client& client) {
  const auto& callbacks = client.callbacks;
  if (!redirect_uri) {
    // RFC 6749 §3.1.2.3: may be omitted when exactly one redirection URI is registered.
    if (callbacks.size() == 1) return callbacks.front();
    return fail(
        OAuthError::make(errors::kInvalidRequest, "Missing required parameter: redirect_uri"));
  }
  // RFC 9700 §2.1 and RFC 6749 §3.1.2.3: exact string matching, no patterns or normalisation.
  if (std::find(callbacks.begin(), callbacks.end(), *redirect_uri) != callbacks.end()) {
    return *redirect_uri;
  }
  return fail(OAuthError::make(
      errors::kInvalidRequest,
      "The redirect_uri is not in the list of allowed callback URLs of the client"));
}

}  // namespace latchkey::oauth::checks
