#pragma once
// Digests of secrets at rest, and constant-time comparison.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace latchkey::crypto {

using Sha256 = std::array<std::uint8_t, 32>;

[[nodiscard]] Sha256 sha256(std::string_view data);

/// Lower-case hex SHA-256: how client secrets, codes and refresh tokens are stored.
[[nodiscard]] std::string sha256_hex(std::string_view data);

/// Compares in time that depends only on the lengths, never on where the inputs differ.
[[nodiscard]] bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace latchkey::crypto
