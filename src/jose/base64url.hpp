#pragma once
// base64url without padding (RFC 7515 §2, RFC 4648 §5), decoded strictly.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/status.hpp"

namespace latchkey::jose {

/// Length of the unpadded base64url text for `byte_count` bytes.
[[nodiscard]] constexpr std::size_t base64url_encoded_size(std::size_t byte_count) {
  return (byte_count / 3) * 4 + (byte_count % 3 == 0 ? 0 : byte_count % 3 + 1);
}

/// Encodes `bytes` as unpadded base64url.
[[nodiscard]] std::string base64url_encode(std::string_view bytes);
[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);

/// Appends the unpadded base64url of `bytes` to `out` (no temporary string).
void base64url_append(std::string& out, std::string_view bytes);

/// Size of the bytes that `encoded_size` characters of base64url decode to (lengths of 1 mod 4
/// are invalid and give the size of the shorter valid prefix).
[[nodiscard]] constexpr std::size_t base64url_decoded_size(std::size_t encoded_size) {
  return encoded_size / 4 * 3 + (encoded_size % 4 == 0 ? 0 : encoded_size % 4 - 1);
}

/// Decodes strictly (as base64url_decode) into `out`, which must hold
/// base64url_decoded_size(text.size()) bytes; returns the number of bytes written.
[[nodiscard]] Result<std::size_t, JoseStatus> base64url_decode_into(std::string_view text,
                                                                    std::span<char> out);

/// Decodes unpadded base64url. Fails with bad_base64 on padding, whitespace, any character
/// outside [A-Za-z0-9_-], a length of 1 mod 4, or non-zero trailing bits (non-canonical text,
/// which would let two different strings decode to the same bytes).
[[nodiscard]] Result<std::string, JoseStatus> base64url_decode(std::string_view text);

}  // namespace latchkey::jose
