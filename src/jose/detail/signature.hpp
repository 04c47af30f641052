#pragma once
// Internal to jose/: the raw JWS signature operations on one EVP_PKEY (RFC 7518 §3, RFC 8037 §3).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "jose/detail/key_material.hpp"

namespace latchkey::jose::detail {

/// A signature in its JWS form (R||S for ES256), in a buffer that needs no heap.
struct SignatureBytes {
  std::array<std::uint8_t, kMaxSignatureSize> data;  // only the first `size` bytes are meaningful
  std::size_t size = 0;

  [[nodiscard]] std::string_view view() const {
    return {reinterpret_cast<const char*>(data.data()), size};
  }
};

/// A digest context initialised for `key` in sign (or verify) mode, or null if OpenSSL fails;
/// stored in KeyMaterial as the template each call copies.
[[nodiscard]] EvpMdCtxPtr prepare_context(const KeyMaterial& key, bool for_signing);

/// Signs `input` with the key's own algorithm. False only if OpenSSL fails (out of memory).
[[nodiscard]] bool sign_input(const KeyMaterial& key, std::string_view input, SignatureBytes& out);

/// True when `signature` (JWS form) is valid for `input` under the key's own algorithm.
[[nodiscard]] bool verify_input(const KeyMaterial& key, std::string_view input,
                                std::span<const std::uint8_t> signature);

/// Signs and verifies a fixed message: proves that an imported private key matches its public
/// members.
[[nodiscard]] bool pairwise_consistent(const KeyMaterial& key);

}  // namespace latchkey::jose::detail
