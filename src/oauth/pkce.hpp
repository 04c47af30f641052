#pragma once
// Proof Key for Code Exchange (RFC 7636), S256 only: "plain" would hand the verifier to anyone
// who sees the authorization request, so latchkey never accepts it.

#include <string>
#include <string_view>

namespace latchkey::oauth {

/// The only code_challenge_method latchkey accepts (RFC 7636 §4.3).
inline constexpr std::string_view kPkceMethodS256 = "S256";

/// True when `verifier` is 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1).
[[nodiscard]] bool is_valid_code_verifier(std::string_view verifier);

/// BASE64URL(SHA256(ASCII(verifier))), the S256 code challenge (RFC 7636 §4.2).
[[nodiscard]] std::string s256_challenge(std::string_view verifier);

/// True when `verifier` is well-formed and its S256 challenge equals `challenge`, compared in
/// constant time (RFC 7636 §4.6). Any other `method` than "S256" fails.
[[nodiscard]] bool verify_pkce(std::string_view verifier, std::string_view challenge,
                               std::string_view method);

}  // namespace latchkey::oauth
