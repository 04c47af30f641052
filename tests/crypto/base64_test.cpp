#include "crypto/base64.hpp"

#include <gtest/gtest.h>

namespace latchkey::crypto {
namespace {

std::vector<std::uint8_t> bytes(std::string_view s) { return {s.begin(), s.end()}; }

TEST(Base64, MatchesTheRfc4648TestVectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(encode_base64(bytes(plain)), encoded);
    EXPECT_EQ(decode_base64(encoded), bytes(plain)) << encoded;
  }
}

TEST(Base64, IgnoresSurroundingWhitespaceOnly) {
  EXPECT_EQ(decode_base64("Zm9v\n"), bytes("foo"));
  EXPECT_FALSE(decode_base64("Zm 9v").has_value());
}

TEST(Base64, RejectsMalformedInput) {
  EXPECT_FALSE(decode_base64("Zm9").has_value());   // length
  EXPECT_FALSE(decode_base64("Zm9-").has_value());  // base64url alphabet
  EXPECT_FALSE(decode_base64("Zg=a").has_value());  // padding in the middle
  EXPECT_FALSE(decode_base64("Zh==").has_value());  // non-canonical bits
  EXPECT_FALSE(decode_base64("====").has_value());
}

}  // namespace
}  // namespace latchkey::crypto
