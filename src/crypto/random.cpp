#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <cstdlib>
#include <limits>

namespace latchkey::crypto {

void OsRandom::fill(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t chunk =
        std::min<std::size_t>(out.size() - done, std::numeric_limits<int>::max());
    if (RAND_bytes(out.data() + done, static_cast<int>(chunk)) != 1) {
      // Without randomness no secret we hand out would be safe: stop rather than go on.
      std::abort();
    }
    done += chunk;
  }
}

std::vector<std::uint8_t> random_bytes(RandomSource& random, std::size_t count) {
  std::vector<std::uint8_t> bytes(count);
  random.fill(bytes);
  return bytes;
}

std::string random_hex(RandomSource& random, std::size_t count) {
  return to_hex(random_bytes(random, count));
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const std::uint8_t b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0x0f]);
  }
  return out;
}

}  // namespace latchkey::crypto
