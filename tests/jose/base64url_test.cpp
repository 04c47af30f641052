#include "jose/base64url.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace latchkey::jose {
namespace {

TEST(Base64Url, EncodesWithoutPaddingUsingTheUrlAlphabet) {
  EXPECT_EQ(base64url_encode(std::string_view("")), "");
  EXPECT_EQ(base64url_encode(std::string_view("f")), "Zg");
  EXPECT_EQ(base64url_encode(std::string_view("fo")), "Zm8");
  EXPECT_EQ(base64url_encode(std::string_view("foo")), "Zm9v");
  EXPECT_EQ(base64url_encode(std::string_view("foob")), "Zm9vYg");
  EXPECT_EQ(base64url_encode(std::string_view("\xfb\xff\xbf")), "-_-_");
}

TEST(Base64Url, EncodedSizeMatchesTheEncoding) {
  for (std::size_t n = 0; n < 20; ++n) {
    EXPECT_EQ(base64url_encoded_size(n), base64url_encode(std::string(n, 'x')).size()) << n;
  }
}

TEST(Base64Url, DecodesWhatItEncodesForEveryByteValue) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t length = 0; length <= all.size(); length += 37) {
    const std::string bytes = all.substr(0, length);
    auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, bytes);
  }
}

TEST(Base64Url, AppendKeepsWhatIsAlreadyThere) {
  std::string out = "head.";
  base64url_append(out, "foo");
  EXPECT_EQ(out, "head.Zm9v");
}

TEST(Base64Url, RejectsPadding) {
  EXPECT_EQ(base64url_decode("Zg==").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm8=").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm9v=").error(), JoseStatus::bad_base64);
}

TEST(Base64Url, RejectsWhitespaceAnywhere) {
  EXPECT_EQ(base64url_decode("Zm9v ").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode(" Zm9v").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm\n9v").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm\r9v").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm\t9v").error(), JoseStatus::bad_base64);
}

TEST(Base64Url, RejectsCharactersOutsideTheUrlAlphabet) {
  EXPECT_EQ(base64url_decode("+_-_").error(), JoseStatus::bad_base64);  // standard base64
  EXPECT_EQ(base64url_decode("-/-_").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm9v.").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode(std::string_view("Zm\0v", 4)).error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm9\xc3\xa9").error(), JoseStatus::bad_base64);
}

TEST(Base64Url, RejectsABadCharacterInEveryPosition) {
  // Exercises each path of the decoder: bulk quads, the last quad, and a 2- or 3-char tail.
  for (std::size_t bytes = 1; bytes <= 13; ++bytes) {
    const std::string good = base64url_encode(std::string(bytes, '\x5a'));
    ASSERT_TRUE(base64url_decode(good).ok());
    for (std::size_t at = 0; at < good.size(); ++at) {
      std::string bad = good;
      bad[at] = '!';
      EXPECT_EQ(base64url_decode(bad).error(), JoseStatus::bad_base64) << bytes << " " << at;
    }
  }
}

TEST(Base64Url, DecodeIntoRefusesAShortBuffer) {
  std::array<char, 2> out{};
  EXPECT_EQ(base64url_decode_into("Zm9v", out).error(), JoseStatus::bad_base64);
  std::array<char, 3> exact{};
  EXPECT_EQ(*base64url_decode_into("Zm9v", exact), 3u);
  EXPECT_EQ(std::string_view(exact.data(), 3), "foo");
}

TEST(Base64Url, RejectsALengthOfOneModuloFour) {
  EXPECT_EQ(base64url_decode("Z").error(), JoseStatus::bad_base64);
  EXPECT_EQ(base64url_decode("Zm9vY").error(), JoseStatus::bad_base64);
}

TEST(Base64Url, RejectsNonZeroTrailingBits) {
  // "Zg" is the canonical encoding of "f"; "Zh" carries the same byte with a stray low bit.
  ASSERT_TRUE(base64url_decode("Zg").ok());
  EXPECT_EQ(base64url_decode("Zh").error(), JoseStatus::bad_base64);
  ASSERT_TRUE(base64url_decode("Zm8").ok());
  EXPECT_EQ(base64url_decode("Zm9").error(), JoseStatus::bad_base64);
}

TEST(Base64Url, DecodesTheEmptyString) {
  auto decoded = base64url_decode("");
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(decoded->empty());
}

}  // namespace
}  // namespace latchkey::jose
