#pragma once
// response_type (RFC 6749 §3.1.1, §4.1.1) and response_mode (OAuth 2.0 Multiple Response Type
// Encoding Practices §2.1, OAuth 2.0 Form Post Response Mode §2).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth::checks {

inline constexpr std::string_view kResponseTypeCode = "code";
inline constexpr std::string_view kResponseModeQuery = "query";
inline constexpr std::string_view kResponseModeFormPost = "form_post";

/// `query` when absent (the default for `code`), or `form_post`. Any other value (fragment
/// included: a code must not travel in a fragment here) is invalid_request.
[[nodiscard]] Result<ResponseMode, OAuthError> check_response_mode(
    const std::optional<std::string>& response_mode);

/// Only `code` is supported: absent is invalid_request (RFC 6749 §4.1.1: REQUIRED), any other
/// value unsupported_response_type (RFC 6749 §4.1.2.1).
[[nodiscard]] Result<void, OAuthError> check_response_type(
    const std::optional<std::string>& response_type);

}  // namespace latchkey::oauth::checks
