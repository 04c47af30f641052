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
  std::uint32_t acc = 0;
  std::size_t bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::uint8_t v = kDecode[byte_at(text, i)];
    if (v == kInvalid) return fail(JoseStatus::bad_base64);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      *p++ = static_cast<char>((acc >> bits) & 0xff);
      acc &= (1u << bits) - 1;  // keep only the bits not yet written
    }
  }
  // RFC 4648 §3.5: the pad bits of the last character must be zero, so each byte string has
  // exactly one encoding.
  if ((acc & ((1u << bits) - 1)) != 0) return fail(JoseStatus::bad_base64);
  return out;
}

}  // namespace latchkey::jose
