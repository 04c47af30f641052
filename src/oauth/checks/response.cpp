#include "oauth/checks/response.hpp"

namespace latchkey::oauth::checks {

Result<ResponseMode, OAuthError> check_response_mode(
    const std::optional<std::string>& response_mode) {
  if (!response_mode || *response_mode == kResponseModeQuery) return ResponseMode::query;
  if (*response_mode == kResponseModeFormPost) return ResponseMode::form_post;
  return fail(OAuthError::make(errors::kInvalidRequest,
                               "Unsupported response_mode: use query or form_post"));
}

Result<void, OAuthError> check_response_type(const std::optional<std::string>& response_type) {
  if (!response_type || response_type->empty()) {
    // RFC 6749 §4.1.1: response_type is REQUIRED.
    return fail(
        OAuthError::make(errors::kInvalidRequest, "Missing required parameter: response_type"));
  }
  if (*response_type != kResponseTypeCode) {
    // RFC 6749 §4.1.2.1: unsupported_response_type.
    return fail(OAuthError::make(errors::kUnsupportedResponseType,
                                 "Unsupported response_type: only code is supported"));
  }
  return {};
}

}  // namespace latchkey::oauth::checks
