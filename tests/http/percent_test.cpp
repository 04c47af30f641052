#include "http/percent.hpp"

#include <gtest/gtest.h>

namespace latchkey::http {
namespace {

TEST(PercentDecode, DecodesEscapesInEitherCase) {
  auto decoded = percent_decode("a%2Fb%2fc%20d");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, "a/b/c d");
}

TEST(PercentDecode, KeepsPlusLiteralInPaths) { EXPECT_EQ(*percent_decode("a+b"), "a+b"); }

TEST(PercentDecode, ReadsPlusAsSpaceInForms) {
  EXPECT_EQ(*percent_decode("a+b%2B", PlusMode::space), "a b+");
}

TEST(PercentDecode, RejectsPercentNotFollowedByTwoHexDigits) {
  for (const char* bad : {"%", "%4", "abc%", "%zz", "%4g", "%%41", "a%2"}) {
    auto decoded = percent_decode(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_EQ(decoded.error(), PercentError::bad_escape) << bad;
  }
}

TEST(PercentDecode, RejectsEncodedAndRawNulBytes) {
  auto escaped = percent_decode("a%00b");
  ASSERT_FALSE(escaped.ok());
  EXPECT_EQ(escaped.error(), PercentError::nul_byte);
  auto raw = percent_decode(std::string_view("a\0b", 3));
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), PercentError::nul_byte);
}

TEST(PercentDecode, PassesHighBytesThrough) { EXPECT_EQ(*percent_decode("%C3%A9"), "\xC3\xA9"); }

TEST(PercentEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(percent_encode("aZ09-._~"), "aZ09-._~");
  EXPECT_EQ(percent_encode("a b/c?d=e&f+\xC3\xA9"), "a%20b%2Fc%3Fd%3De%26f%2B%C3%A9");
}

TEST(PercentEncode, FormEncodingTurnsSpaceIntoPlus) { EXPECT_EQ(form_encode("a b+c"), "a+b%2Bc"); }

TEST(PercentEncode, RoundTripsEveryNonNulByte) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(*percent_decode(percent_encode(all)), all);
  EXPECT_EQ(*percent_decode(form_encode(all), PlusMode::space), all);
}

}  // namespace
}  // namespace latchkey::http
