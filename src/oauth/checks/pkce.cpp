#include "oauth/checks/pkce.hpp"

#include "jose/base64url.hpp"

namespace latchkey::oauth::checks {
namespace {

constexpr std::size_t kS256ChallengeLength = 43;
constexpr std::size_t kSha256Size = 32;

/// RFC 7636 §4.2: BASE64URL(SHA256(verifier)), i.e. 43 canonical base64url characters.
bool is_s256_challenge(const std::string& challenge) {
  if (challenge.size() != kS256ChallengeLength) return false;
  const auto decoded = jose::base64url_decode(challenge);
  return decoded && decoded->size() == kSha256Size;
}

bool is_public_client(model::AppType type) {
  return type == model::AppType::spa || type == model::AppType::native;
}

}  // namespace

Result<PkceChallenge, OAuthError> check_pkce(
    const std::optional<std::string>& code_challenge,
    const std::optional<std::string>& code_challenge_method, model::AppType app_type) {
  if (!code_challenge) {
    if (code_challenge_method) {
      return fail(invalid_request("code_challenge_method was sent without a code_challenge"));
    }
    if (is_public_client(app_type)) {
      // RFC 9700 §2.1.1: public clients MUST use PKCE.
      return fail(invalid_request("Missing required parameter: code_challenge"));
    }
    return PkceChallenge{};
  }
  // RFC 7636 §4.3 defaults the method to plain, which RFC 9700 §2.1.1 rules out.
  if (!code_challenge_method || *code_challenge_method != kChallengeMethodS256) {
    return fail(invalid_request("code_challenge_method must be S256"));
  }
  if (!is_s256_challenge(*code_challenge)) {
    return fail(invalid_request("code_challenge must be 43 base64url characters (S256)"));
  }
  return PkceChallenge{*code_challenge, std::string(kChallengeMethodS256)};
}

}  // namespace latchkey::oauth::checks
