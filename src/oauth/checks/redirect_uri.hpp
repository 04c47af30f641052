#pragma once
// The redirect_uri of an authorization request (RFC 6749 §3.1.2, RFC 9700 §2.1).

#include <optional>
#include <string>

#include "core/result.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth::checks {

/// The redirect_uri to answer to: `redirect_uri` when it equals one of the client's callbacks
/// exactly (simple string comparison, RFC 9700 §2.1 and RFC 6749 §3.1.2.3), or the single
/// callback of a client that has exactly one when the parameter is omitted (RFC 6749
/// §3.1.2.3). Anything else is invalid_request, never redirectable (RFC 6749 §4.1.2.1).
[[nodiscard]] Result<std::string, OAuthError> check_redirect_uri(
    const std::optional<std::string>& redirect_uri, const model::Client& client);

}  // namespace latchkey::oauth::checks
