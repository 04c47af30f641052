#include "crypto/password.hpp"

#include <sodium.h>

namespace latchkey::crypto {
namespace {

bool sodium_ready() {
  // sodium_init is thread-safe and idempotent; it returns 1 when already initialised.
  return sodium_init() >= 0;
}

}  // namespace

std::optional<std::string> hash_password(std::string_view password, PasswordHashParams params) {
  if (!sodium_ready()) return std::nullopt;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops_limit,
                            params.mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return std::string(out);
}

bool verify_password(std::string_view encoded, std::string_view password) {
  if (!sodium_ready()) return false;
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string terminated(encoded);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

}  // namespace latchkey::crypto
