#include "jose/detail/ecdsa_der.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace latchkey::jose::detail {
namespace {

std::array<std::uint8_t, 64> raw_with(std::uint8_t r_first, std::uint8_t s_first) {
  std::array<std::uint8_t, 64> raw{};
  raw.fill(0x11);
  raw[0] = r_first;
  raw[32] = s_first;
  return raw;
}

TEST(EcdsaDer, RoundTripsThroughDer) {
  for (const auto& raw : {raw_with(0x7f, 0x01), raw_with(0x80, 0xff), raw_with(0x00, 0x00)}) {
    std::array<std::uint8_t, kMaxP256DerSize> der{};
    const std::size_t size = ecdsa_raw_to_der(raw, der);
    std::array<std::uint8_t, 64> back{};
    ASSERT_TRUE(ecdsa_der_to_raw(std::span(der).first(size), back));
    EXPECT_EQ(back, raw);
  }
}

TEST(EcdsaDer, AddsALeadingZeroWhenTheHighBitIsSet) {
  std::array<std::uint8_t, kMaxP256DerSize> der{};
  EXPECT_EQ(ecdsa_raw_to_der(raw_with(0x80, 0x80), der), 72u);
  EXPECT_EQ(der[3], 33);
  EXPECT_EQ(der[4], 0x00);
}

TEST(EcdsaDer, RefusesMalformedDer) {
  std::array<std::uint8_t, 64> raw{};
  const std::vector<std::vector<std::uint8_t>> bad = {
      {},
      {0x30},
      {0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01},        // not a SEQUENCE
      {0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01},        // length mismatch
      {0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01},        // negative r
      {0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x01},        // s not an INTEGER
      {0x30, 0x07, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00},  // trailing byte
      {0x30, 0x03, 0x02, 0x00, 0x00},                          // empty INTEGER
  };
  for (const auto& der : bad) EXPECT_FALSE(ecdsa_der_to_raw(der, raw));
  std::vector<std::uint8_t> too_long = {0x30, 0x26, 0x02, 0x21};
  too_long.insert(too_long.end(), 33, 0x01);  // 33 bytes without a sign byte: > 32
  too_long.insert(too_long.end(), {0x02, 0x01, 0x01});
  EXPECT_FALSE(ecdsa_der_to_raw(too_long, raw));
}

}  // namespace
}  // namespace latchkey::jose::detail
