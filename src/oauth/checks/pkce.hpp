#pragma once
// Proof Key for Code Exchange on the authorization request (RFC 7636 §4.3, RFC 9700 §2.1.1).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth::checks {

inline constexpr std::string_view kChallengeMethodS256 = "S256";

/// The challenge bound to the code; both strings are "" when the client sent none.
struct PkceChallenge {
  std::string challenge;
  std::string method;
};

/// Accepts a challenge only with method S256 (RFC 9700 §2.1.1: `plain` is not allowed; a
/// missing method would mean plain, RFC 7636 §4.3) and only as 43 base64url characters, the
/// encoding of a SHA-256 digest (RFC 7636 §4.2). A method without a challenge is an error.
/// Public clients (`spa`, `native`) MUST send a challenge (RFC 9700 §2.1.1). Every failure is
/// invalid_request.
[[nodiscard]] Result<PkceChallenge, OAuthError> check_pkce(
    const std::optional<std::string>& code_challenge,
    const std::optional<std::string>& code_challenge_method, model::AppType app_type);

}  // namespace latchkey::oauth::checks
