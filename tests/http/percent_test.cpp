#include "http/percent.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <optional>
#include <random>
#include <string>

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

// Byte by byte, as RFC 3986 §2.1 and the form rules read: the decoder copies runs at once and
// must give the same text, or the same refusal.
std::optional<std::string> reference_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
        return std::nullopt;
      }
      c = static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

TEST(PercentDecode, MatchesAByteByByteDecoderOnRandomText) {
  std::mt19937 random(20261125);  // fixed: a failure reproduces
  using namespace std::string_view_literals;
  constexpr std::string_view kAlphabet = "%%%++ab09AFgz/?\0\x80\xFF"sv;
  std::uniform_int_distribution<std::size_t> pick(0, kAlphabet.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string text(static_cast<std::size_t>(round % 24), 'x');
    for (char& c : text) c = kAlphabet[pick(random)];
    for (const bool plus_is_space : {false, true}) {
      const auto got = percent_decode(text, plus_is_space ? PlusMode::space : PlusMode::literal);
      const auto expected = reference_decode(text, plus_is_space);
      ASSERT_EQ(got.ok(), expected.has_value()) << "round " << round;
      if (expected) {
        ASSERT_EQ(*got, *expected) << "round " << round;
      }
    }
  }
}

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
