#pragma once
// Reading /authorize parameters: each at most once (RFC 6749 §3.1), and the one audience a
// request may name (`audience`, or `resource` per RFC 8707 §2).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/form.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth::checks {

/// Parameters of the authorization request that MUST NOT repeat (RFC 6749 §3.1). `resource`
/// is not among them: RFC 8707 §2 lets it repeat.
inline constexpr std::string_view kSingleParameters[] = {
    "client_id",  "redirect_uri", "response_type", "response_mode",  "scope",
    "state",      "nonce",        "audience",      "code_challenge", "code_challenge_method",
    "prompt",     "max_age",      "display",       "ui_locales",     "claims_locales",
    "acr_values", "login_hint",   "id_token_hint", "organization",   "invitation"};

/// The value of `name`, nullopt when absent; invalid_request when it is sent twice (RFC 6749
/// §3.1). The error is not yet redirectable.
[[nodiscard]] Result<std::optional<std::string>, OAuthError> single_parameter(
    const http::Params& params, std::string_view name);

/// invalid_request naming the first parameter of kSingleParameters that is sent more than once.
[[nodiscard]] Result<void, OAuthError> check_no_repeated_parameters(const http::Params& params);

/// The audience asked for: `audience`, else `resource` (RFC 8707 §2); "" when neither is sent.
/// latchkey issues tokens for one audience, so different values of `resource`, or an `audience`
/// and a `resource` that differ, are invalid_request; `audience` sent twice is invalid_request.
[[nodiscard]] Result<std::string, OAuthError> check_audience_parameters(const http::Params& params);

}  // namespace latchkey::oauth::checks
