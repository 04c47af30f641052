#include "crypto/random.hpp"

#include <gtest/gtest.h>

namespace latchkey::crypto {
namespace {

TEST(OsRandom, ProducesDistinctHexTokensOfTheAskedLength) {
  OsRandom random;
  const std::string a = random_hex(random, 32);
  const std::string b = random_hex(random, 32);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(ToHex, EncodesBytesLowerCase) {
  const std::uint8_t bytes[] = {0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(bytes), "00abff");
}

}  // namespace
}  // namespace latchkey::crypto
