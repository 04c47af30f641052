#pragma once
// AES-256-GCM for secrets at rest: the keyring seals each signing key's private PEM under the
// key-encryption key. A sealed box is nonce (12 bytes, random) || ciphertext || tag (16 bytes).
// Random 96-bit nonces are safe for far more boxes per key than a keyring will ever seal
// (NIST SP 800-38D §8.3 bounds them at 2^32).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/random.hpp"

namespace latchkey::crypto {

inline constexpr std::size_t kAeadKeySize = 32;
inline constexpr std::size_t kAeadNonceSize = 12;
inline constexpr std::size_t kAeadTagSize = 16;
/// Bytes a sealed box adds to its plaintext.
inline constexpr std::size_t kAeadOverhead = kAeadNonceSize + kAeadTagSize;

enum class AeadError {
  bad_key_size,           // the key is not 32 bytes
  too_large,              // more than 2^31 - 1 bytes of plaintext or associated data
  truncated,              // shorter than nonce + tag: not a sealed box
  authentication_failed,  // wrong key, wrong associated data, or the box was altered
  internal,               // OpenSSL failed (out of memory)
};

[[nodiscard]] std::string_view to_string(AeadError error);

/// Views text as bytes, e.g. to seal a PEM or bind a kid as associated data.
[[nodiscard]] inline std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// Encrypts and authenticates `plaintext`, and authenticates `associated_data` (which is not
/// stored in the box: the same bytes must be given to aead_open). The nonce comes from `random`.
[[nodiscard]] Result<std::vector<std::uint8_t>, AeadError> aead_seal(
    std::span<const std::uint8_t> key, std::span<const std::uint8_t> plaintext,
    std::span<const std::uint8_t> associated_data, RandomSource& random);

/// Opens a box made by aead_seal. Any change to the box, the key or the associated data fails
/// with authentication_failed, and no plaintext is returned.
[[nodiscard]] Result<std::vector<std::uint8_t>, AeadError> aead_open(
    std::span<const std::uint8_t> key, std::span<const std::uint8_t> sealed,
    std::span<const std::uint8_t> associated_data);

}  // namespace latchkey::crypto
