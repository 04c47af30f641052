#pragma once
// Standard base64 (RFC 4648 §4, with padding) for operator-supplied secrets such as
// LATCHKEY_KEK (`openssl rand -base64 32`). Tokens use base64url from jose/ instead.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::crypto {

[[nodiscard]] std::string encode_base64(std::span<const std::uint8_t> bytes);

/// Strict: the RFC 4648 §4 alphabet, length a multiple of 4, '=' only as final padding.
/// Surrounding whitespace (a trailing newline from a file) is ignored. nullopt otherwise.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text);

}  // namespace latchkey::crypto
