#include "core/json_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace latchkey {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

void append_text(TextBuffer& out, std::string_view text) {
  out.append(text.data(), text.data() + text.size());
}

// A well-formed UTF-8 sequence's length from its lead byte, and the range its second byte must
// fall in (Unicode 15, table 3-7); length 0 for a byte that cannot start one.
struct Utf8Lead {
  std::size_t length;
  unsigned char low;
  unsigned char high;
};

Utf8Lead utf8_lead(unsigned char byte) {
  if (byte >= 0xC2 && byte <= 0xDF) return {2, 0x80, 0xBF};
  if (byte == 0xE0) return {3, 0xA0, 0xBF};
  if (byte == 0xED) return {3, 0x80, 0x9F};  // no UTF-16 surrogates
  if (byte >= 0xE1 && byte <= 0xEF) return {3, 0x80, 0xBF};
  if (byte == 0xF0) return {4, 0x90, 0xBF};
  if (byte >= 0xF1 && byte <= 0xF3) return {4, 0x80, 0xBF};
  if (byte == 0xF4) return {4, 0x80, 0x8F};  // nothing past U+10FFFF
  return {0, 0, 0};
}

// How many bytes of the sequence starting at `text[start]` are well-formed: its full length when
// it is complete, fewer when a byte breaks it (that byte then starts afresh) or the text ends.
std::size_t well_formed_prefix(std::string_view text, std::size_t start, const Utf8Lead& lead) {
  std::size_t i = start + 1;
  for (std::size_t k = 1; k < lead.length; ++k, ++i) {
    if (i == text.size()) return i - start;
    const auto byte = static_cast<unsigned char>(text[i]);
    const unsigned char low = k == 1 ? lead.low : 0x80;
    const unsigned char high = k == 1 ? lead.high : 0xBF;
    if (byte < low || byte > high) return i - start;
  }
  return lead.length;
}

void append_escaped_ascii(TextBuffer& out, char c) {
  switch (c) {
    case '"':
      return append_text(out, "\\\"");
    case '\\':
      return append_text(out, "\\\\");
    case '\b':
      return append_text(out, "\\b");
    case '\f':
      return append_text(out, "\\f");
    case '\n':
      return append_text(out, "\\n");
    case '\r':
      return append_text(out, "\\r");
    case '\t':
      return append_text(out, "\\t");
    default:
      break;
  }
  if (static_cast<unsigned char>(c) >= 0x20) {
    out.push_back(c);
    return;
  }
  static constexpr std::string_view kHex = "0123456789abcdef";
  const auto byte = static_cast<unsigned char>(c);
  const std::array<char, 6> escape = {'\\', 'u', '0', '0', kHex[byte >> 4U], kHex[byte & 0xFU]};
  out.append(escape.data(), escape.data() + escape.size());
}

// An ASCII byte that stands for itself inside a JSON string.
bool is_plain(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
}

// Whether any of the 8 bytes of `word` is not plain: below 0x20, from 0x80, '"' or '\\'. Each
// test is exact about whether such a byte exists (Hacker's Delight, 6-1: a zero or a smaller
// byte in a word).
bool any_not_plain(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const auto has_zero = [](std::uint64_t x) { return (x - kOnes) & ~x & kHigh; };
  const std::uint64_t below_space = (word - kOnes * 0x20U) & ~word & kHigh;
  return ((word & kHigh) | below_space | has_zero(word ^ (kOnes * '"')) |
          has_zero(word ^ (kOnes * '\\'))) != 0;
}

// The end of the run of plain bytes that starts at `i`: 8 bytes at a time, then byte by byte.
std::size_t plain_run_end(std::string_view text, std::size_t i) {
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof word);
    if (any_not_plain(word)) break;
  }
  while (i < text.size() && is_plain(text[i])) ++i;
  return i;
}

}  // namespace

void append_json_string(TextBuffer& out, std::string_view text) {
  out.push_back('"');
  std::size_t i = 0;
  while (i < text.size()) {
    // Runs of plain bytes (a token is nothing else) go in one copy.
    const std::size_t plain_end = plain_run_end(text, i);
    if (plain_end != i) {
      append_text(out, text.substr(i, plain_end - i));
      i = plain_end;
      continue;
    }
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      append_escaped_ascii(out, text[i++]);
      continue;
    }
    const Utf8Lead lead = utf8_lead(byte);
    const std::size_t good = lead.length == 0 ? 0 : well_formed_prefix(text, i, lead);
    if (good == lead.length && good != 0) {
      append_text(out, text.substr(i, good));
      i += good;
      continue;
    }
    // As error_handler_t::replace: one U+FFFD for the broken sequence; a byte that broke a
    // started sequence is read again, a byte that cannot start one is dropped.
    append_text(out, kReplacementCharacter);
    i += good == 0 ? 1 : good;
  }
  out.push_back('"');
}

void append_json_member_name(TextBuffer& out, std::string_view name, bool first) {
  if (!first) out.push_back(',');
  append_json_string(out, name);
  out.push_back(':');
}

void append_json_value(TextBuffer& out, const nlohmann::json& value) {
  append_text(out, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void append_json_number(TextBuffer& out, double number) {
  if (!std::isfinite(number)) return append_text(out, "null");
  std::array<char, 64> digits{};
  // The very routine nlohmann::json's serializer uses (Grisu2, then its own layout), so that a
  // number reads the same as before.
  const char* end =
      nlohmann::detail::to_chars(digits.data(), digits.data() + digits.size(), number);
  out.append(digits.data(), end);
}

void append_json_number(TextBuffer& out, std::int64_t number) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), number);
  out.append(digits.data(), result.ptr);
}

void append_json_number(TextBuffer& out, std::uint64_t number) {
  std::array<char, 24> digits{};
  const auto result = std::to_chars(digits.data(), digits.data() + digits.size(), number);
  out.append(digits.data(), result.ptr);
}

}  // namespace latchkey
