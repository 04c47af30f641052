#pragma once
// Randomness is injected (STYLE.md rule 5): RAND_bytes appears only in OsRandom.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace latchkey::crypto {

/// Fills buffers with cryptographically secure random bytes.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  /// Fills `out` completely. A failing system RNG is unrecoverable and aborts.
  virtual void fill(std::span<std::uint8_t> out) = 0;
};

/// OpenSSL's DRBG, seeded by the operating system.
class OsRandom final : public RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override;
};

[[nodiscard]] std::vector<std::uint8_t> random_bytes(RandomSource& random, std::size_t count);

/// `count` random bytes as lower-case hex (2 * count characters).
[[nodiscard]] std::string random_hex(RandomSource& random, std::size_t count);

/// Lower-case hex of arbitrary bytes.
[[nodiscard]] std::string to_hex(std::span<const std::uint8_t> bytes);

}  // namespace latchkey::crypto
