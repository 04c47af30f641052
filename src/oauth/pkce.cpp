#include "oauth/pkce.hpp"

#include <string>

#include "crypto/digest.hpp"
#include "jose/base64url.hpp"

namespace latchkey::oauth {
namespace {

bool is_unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

}  // namespace

bool is_valid_code_verifier(std::string_view verifier) {
  // RFC 7636 §4.1: code-verifier = 43*128unreserved
  if (verifier.size() < 43 || verifier.size() > 128) return false;
  for (const char c : verifier) {
    if (!is_unreserved(c)) return false;
  }
  return true;
}

std::string s256_challenge(std::string_view verifier) {
  const crypto::Sha256 digest = crypto::sha256(verifier);
  return jose::base64url_encode(std::span<const std::uint8_t>(digest));
}

bool verify_pkce(std::string_view verifier, std::string_view challenge, std::string_view method) {
  if (method != kPkceMethodS256) return false;
  if (!is_valid_code_verifier(verifier)) return false;
  // RFC 7636 §4.6: the server MUST compare the derived challenge with the stored one.
  return crypto::constant_time_equal(s256_challenge(verifier), challenge);
}

}  // namespace latchkey::oauth
