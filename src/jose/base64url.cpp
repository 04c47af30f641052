#include "jose/base64url.hpp"

#include <array>
#include <cstring>

namespace latchkey::jose {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint32_t kInvalid = 0x80000000u;

/// kDecode<S>[c] is the 6-bit value of character c shifted left by S, or kInvalid: four such
/// tables turn four characters into 24 bits with ORs alone, and an invalid character anywhere
/// leaves the high bit set.
template <int Shift>
constexpr std::array<std::uint32_t, 256> make_decode_table() {
  std::array<std::uint32_t, 256> table{};
  table.fill(kInvalid);
  for (std::uint32_t i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = i << Shift;
  }
  return table;
}

constexpr auto kDecode0 = make_decode_table<18>();
constexpr auto kDecode1 = make_decode_table<12>();
constexpr auto kDecode2 = make_decode_table<6>();
constexpr auto kDecode3 = make_decode_table<0>();

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

Result<std::size_t, JoseStatus> base64url_decode_into(std::string_view text, std::span<char> out) {
  const std::size_t rest = text.size() % 4;
  // RFC 4648 §4: a final quantum of a single character carries fewer than 8 bits.
  if (rest == 1) return fail(JoseStatus::bad_base64);
  if (out.size() < base64url_decoded_size(text.size())) return fail(JoseStatus::bad_base64);
  char* p = out.data();
  const std::size_t whole = text.size() - rest;
  std::uint32_t invalid = 0;
  std::size_t i = 0;
  // Every quad but the last is written as 4 bytes, the 4th overwritten by the next quad: one
  // store instead of three, and never past the end of `out`.
  for (; i + 4 < whole; i += 4) {
    const std::uint32_t v = kDecode0[byte_at(text, i)] | kDecode1[byte_at(text, i + 1)] |
                            kDecode2[byte_at(text, i + 2)] | kDecode3[byte_at(text, i + 3)];
    invalid |= v;
    const std::uint32_t big_endian = __builtin_bswap32(v << 8);
    std::memcpy(p, &big_endian, sizeof big_endian);
    p += 3;
  }
  if (i < whole) {  // the last whole quad, byte by byte
    const std::uint32_t v = kDecode0[byte_at(text, i)] | kDecode1[byte_at(text, i + 1)] |
                            kDecode2[byte_at(text, i + 2)] | kDecode3[byte_at(text, i + 3)];
    invalid |= v;
    *p++ = static_cast<char>((v >> 16) & 0xff);
    *p++ = static_cast<char>((v >> 8) & 0xff);
    *p++ = static_cast<char>(v & 0xff);
  }
  if (rest != 0) {
    const std::uint32_t v = kDecode0[byte_at(text, whole)] | kDecode1[byte_at(text, whole + 1)] |
                            (rest == 3 ? kDecode2[byte_at(text, whole + 2)] : 0);
    invalid |= v;
    // RFC 4648 §3.5: the pad bits of the last character must be zero, so each byte string has
    // exactly one encoding.
    const std::uint32_t pad_bits = rest == 2 ? (v & 0xffff) : (v & 0xff);
    if (pad_bits != 0) invalid |= kInvalid;
    *p++ = static_cast<char>((v >> 16) & 0xff);
    if (rest == 3) *p++ = static_cast<char>((v >> 8) & 0xff);
  }
  if ((invalid & kInvalid) != 0) return fail(JoseStatus::bad_base64);
  return static_cast<std::size_t>(p - out.data());
}

Result<std::string, JoseStatus> base64url_decode(std::string_view text) {
  std::string out;
  out.resize(base64url_decoded_size(text.size()));
  auto written = base64url_decode_into(text, out);
  if (!written) return fail(written.error());
  return out;
}

}  // namespace latchkey::jose
