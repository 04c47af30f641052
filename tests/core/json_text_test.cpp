#include "core/json_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace latchkey {
namespace {

std::string as_json_string(std::string_view text) {
  TextBuffer out;
  append_json_string(out, text);
  return {out.data(), out.size()};
}

std::string number(double value) {
  TextBuffer out;
  append_json_number(out, value);
  return {out.data(), out.size()};
}

// What the log lines held before: nlohmann::json's own writer, replacing bad UTF-8.
std::string reference(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonText, EscapesQuotesBackslashesAndControlCharacters) {
  EXPECT_EQ(as_json_string(R"(a"b\c/d)"), R"("a\"b\\c/d")");
  EXPECT_EQ(as_json_string("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(as_json_string(std::string_view("\0\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  for (int c = 0; c < 0x80; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(as_json_string(one), reference(one)) << "byte " << c;
  }
}

TEST(JsonText, KeepsUtf8AndReplacesEachBrokenSequenceAsNlohmannDoes) {
  EXPECT_EQ(as_json_string("caf\xC3\xA9 \xF0\x9F\x94\x91"), "\"caf\xC3\xA9 \xF0\x9F\x94\x91\"");
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(as_json_string("a\x80z"), "\"a" + replacement + "z\"");    // a lone continuation byte
  EXPECT_EQ(as_json_string("a\xC3z"), "\"a" + replacement + "z\"");    // a sequence cut short
  EXPECT_EQ(as_json_string("a\xE2\x82"), "\"a" + replacement + "\"");  // cut short by the end
  EXPECT_EQ(as_json_string("\xC0\xAF"), "\"" + replacement + replacement + "\"");  // overlong
  EXPECT_EQ(as_json_string("\xED\xA0\x80"), "\"" + replacement + replacement + replacement + "\"");
  int index = 0;
  for (const char* bad :
       {"a\x80z", "a\xC3z", "a\xE2\x82", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF5",
        "\xE0\x9F\x80", "\xF0\x8F\xBF\xBF\"", "\xE2\x82\xE2\x82\xAC", "\xF0\x9F\x94"}) {
    EXPECT_EQ(as_json_string(bad), reference(std::string(bad))) << "case " << index++;
  }
}

TEST(JsonText, MatchesNlohmannOnRandomBytes) {
  std::mt19937 bytes(20261124);  // fixed: a failure reproduces
  // Mostly high bytes and a few ASCII ones, so that every kind of broken sequence turns up.
  std::uniform_int_distribution<int> pick(0, 255);
  for (int round = 0; round < 20000; ++round) {
    std::string text(static_cast<std::size_t>(round % 9), '\0');
    for (char& c : text) {
      const int b = pick(bytes);
      c = static_cast<char>(b < 64 ? b : 0x7F + b % 0x81);
    }
    ASSERT_EQ(as_json_string(text), reference(text)) << "round " << round;
  }
}

// Plain text is scanned 8 bytes at a time: one byte that is not plain, of each kind and at every
// position of strings up to 40 bytes, is still escaped as nlohmann::json escapes it. The
// neighbours of each kind (0x1F/0x20, 0x7F/0x80, '!' and '#' beside '"', '[' and ']' beside
// '\\') are there too.
TEST(JsonText, MatchesNlohmannWithOneSpecialByteAnywhere) {
  const std::string specials[] = {"\"",   "\\",       std::string(1, '\0'),
                                  "\x1F", " ",        "\x7F",
                                  "\x80", "\xC3\xA9", "\xFF",
                                  "!",    "#",        "[",
                                  "]",    "\n",       "\xE2\x82"};
  for (std::size_t length = 0; length <= 40; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      for (const std::string& special : specials) {
        std::string text(length, 'a');
        for (std::size_t i = 0; i < length; ++i) text[i] = static_cast<char>('A' + (i * 7) % 58);
        text.insert(at, special);
        ASSERT_EQ(as_json_string(text), reference(text)) << length << " " << at;
      }
    }
  }
}

TEST(JsonText, WritesNumbersAsNlohmannDoes) {
  for (const double value :
       {0.0, -0.0, 1.0, 0.525, 0.001, 123456.789, 1e15, 1e16, 1e21, 1e-5, 1e-7, -2.5, 1.0 / 3.0,
        std::numeric_limits<double>::max(), std::numeric_limits<double>::denorm_min()}) {
    EXPECT_EQ(number(value), reference(value)) << value;
  }
  EXPECT_EQ(number(0.525), "0.525");
  EXPECT_EQ(number(2.0), "2.0");
  EXPECT_EQ(number(std::nan("")), "null");
  EXPECT_EQ(number(std::numeric_limits<double>::infinity()), "null");
  TextBuffer out;
  append_json_number(out, std::int64_t{-42});
  out.push_back(' ');
  append_json_number(out, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(std::string(out.data(), out.size()), "-42 18446744073709551615");
}

}  // namespace
}  // namespace latchkey
