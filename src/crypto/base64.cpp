#include "crypto/base64.hpp"

#include <array>

namespace latchkey::crypto {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> make_table() {
  std::array<int, 256> table{};
  table.fill(-1);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
  }
  return table;
}

constexpr std::array<int, 256> kTable = make_table();

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string encode_base64(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t chunk = static_cast<std::uint32_t>(bytes[i]) << 16;
    if (n > 1) chunk |= static_cast<std::uint32_t>(bytes[i + 1]) << 8;
    if (n > 2) chunk |= bytes[i + 2];
    for (std::size_t j = 0; j < 4; ++j) {
      out.push_back(j <= n ? kAlphabet[(chunk >> (18 - 6 * j)) & 0x3f] : '=');
    }
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view text) {
  text = trim(text);
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t chunk = 0;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    const int v = kTable[static_cast<unsigned char>(text[i])];
    if (v < 0) return std::nullopt;
    chunk = (chunk << 6) | static_cast<std::uint32_t>(v);
    if (i % 4 == 3) {
      out.push_back(static_cast<std::uint8_t>(chunk >> 16));
      out.push_back(static_cast<std::uint8_t>(chunk >> 8));
      out.push_back(static_cast<std::uint8_t>(chunk));
      chunk = 0;
    }
  }
  const std::size_t tail = (text.size() - padding) % 4;
  if (tail == 2) {
    if ((chunk & 0x0f) != 0) return std::nullopt;  // non-canonical trailing bits
    out.push_back(static_cast<std::uint8_t>(chunk >> 4));
  } else if (tail == 3) {
    if ((chunk & 0x03) != 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(chunk >> 10));
    out.push_back(static_cast<std::uint8_t>(chunk >> 2));
  }
  return out;
}

}  // namespace latchkey::crypto
