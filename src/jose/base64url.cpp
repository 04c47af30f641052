#include "jose/base64url.hpp"

#include <array>

namespace latchkey::jose {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  for (std::uint8_t i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = i;
  }
  return table;
}

constexpr std::array<std::uint8_t, 256> kDecode = make_decode_table();

std::uint8_t byte_at(std::string_view s, std::size_t i) { return static_cast<std::uint8_t>(s[i]); }

}  // namespace

void base64url_append(std::string& out, std::string_view bytes) {
  const std::size_t start = out.size();
  out.resize(start + base64url_encoded_size(bytes.size()));
  char* p = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (std::uint32_t{byte_at(bytes, i)} << 16) |
                            (std::uint32_t{byte_at(bytes, i + 1)} << 8) | byte_at(bytes, i + 2);
    *p++ = kAlphabet[(v >> 18) & 0x3f];
    *p++ = kAlphabet[(v >> 12) & 0x3f];
    *p++ = kAlphabet[(v >> 6) & 0x3f];
    *p++ = kAlphabet[v & 0x3f];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 0) return;
  std::uint32_t v = std::uint32_t{byte_at(bytes, i)} << 16;
  if (rest == 2) v |= std::uint32_t{byte_at(bytes, i + 1)} << 8;
  *p++ = kAlphabet[(v >> 18) & 0x3f];
  *p++ = kAlphabet[(v >> 12) & 0x3f];
  if (rest == 2) *p++ = kAlphabet[(v >> 6) & 0x3f];
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  base64url_append(out, bytes);
  return out;
}

std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  return base64url_encode(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

Result<std::string, JoseStatus> base64url_decode(std::string_view text) {
  const std::size_t rest = text.size() % 4;
  // RFC 4648 §4: a final quantum of a single character carries fewer than 8 bits.
  if (rest == 1) return fail(JoseStatus::bad_base64);
  std::string out;
  out.resize(text.size() / 4 * 3 + (rest == 0 ? 0 : rest - 1));
  char* p = out.data();
  const std::size_t whole = text.size() - rest;
  std::uint32_t invalid = 0;  // any table entry of kInvalid sets its high bit
  for (std::size_t i = 0; i < whole; i += 4) {
    const std::uint32_t a = kDecode[byte_at(text, i)];
    const std::uint32_t b = kDecode[byte_at(text, i + 1)];
    const std::uint32_t c = kDecode[byte_at(text, i + 2)];
    const std::uint32_t d = kDecode[byte_at(text, i + 3)];
    invalid |= a | b | c | d;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6) | d;
    *p++ = static_cast<char>((v >> 16) & 0xff);
    *p++ = static_cast<char>((v >> 8) & 0xff);
    *p++ = static_cast<char>(v & 0xff);
  }
  if (rest != 0) {
    const std::uint32_t a = kDecode[byte_at(text, whole)];
    const std::uint32_t b = kDecode[byte_at(text, whole + 1)];
    const std::uint32_t c = rest == 3 ? kDecode[byte_at(text, whole + 2)] : 0;
    invalid |= a | b | c;
    const std::uint32_t v = (a << 18) | (b << 12) | (c << 6);
    // RFC 4648 §3.5: the pad bits of the last character must be zero, so each byte string has
    // exactly one encoding.
    const std::uint32_t pad_bits = rest == 2 ? (v & 0xffff) : (v & 0xff);
    if ((invalid & 0x80) == 0 && pad_bits != 0) return fail(JoseStatus::bad_base64);
    *p++ = static_cast<char>((v >> 16) & 0xff);
    if (rest == 3) *p++ = static_cast<char>((v >> 8) & 0xff);
  }
  if ((invalid & 0x80) != 0) return fail(JoseStatus::bad_base64);
  return out;
}

}  // namespace latchkey::jose
