#pragma once
// Password hashing with argon2id (libsodium's crypto_pwhash).
//
// Parameters: 2 passes over 32 MiB, one lane. That sits between OWASP's minimum for argon2id
// (19 MiB, 2 passes) and libsodium's INTERACTIVE (64 MiB, 2 passes): roughly 30-40 ms of one
// core here, slow for an attacker, affordable per login. The encoded hash carries its own
// parameters, so raising them later still verifies old hashes. See docs/decisions.md.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace latchkey::crypto {

struct PasswordHashParams {
  unsigned long long ops_limit = 2;
  std::size_t mem_limit = 32u * 1024u * 1024u;
};

inline constexpr PasswordHashParams kDefaultPasswordParams{};

/// Hashes with argon2id into libsodium's "$argon2id$v=19$m=…" string. nullopt only when the
/// machine cannot allocate the memory the parameters ask for.
[[nodiscard]] std::optional<std::string> hash_password(
    std::string_view password, PasswordHashParams params = kDefaultPasswordParams);

/// True when `password` matches `encoded`. Malformed hashes never match.
[[nodiscard]] bool verify_password(std::string_view encoded, std::string_view password);

}  // namespace latchkey::crypto
