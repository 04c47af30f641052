#include "jose/detail/ecdsa_der.hpp"

#include <algorithm>
#include <cassert>

namespace latchkey::jose::detail {
namespace {

constexpr std::uint8_t kSequenceTag = 0x30;
constexpr std::uint8_t kIntegerTag = 0x02;

/// Reads one short-form DER INTEGER at `at` into `out` (right-aligned); advances `at`.
bool read_integer(std::span<const std::uint8_t> der, std::size_t& at, std::span<std::uint8_t> out) {
  if (at + 2 > der.size() || der[at] != kIntegerTag) return false;
  std::size_t length = der[at + 1];
  at += 2;
  if (length == 0 || length >= 0x80 || at + length > der.size()) return false;
  std::span<const std::uint8_t> value = der.subspan(at, length);
  at += length;
  if ((value[0] & 0x80) != 0) return false;  // negative: never a valid r or s
  while (value.size() > 1 && value[0] == 0) value = value.subspan(1);
  if (value.size() > out.size()) return false;
  std::fill(out.begin(), out.end(), std::uint8_t{0});
  std::copy(value.begin(), value.end(), out.end() - static_cast<std::ptrdiff_t>(value.size()));
  return true;
}

/// Writes `value` as a minimal DER INTEGER at `at`; advances `at`.
void write_integer(std::span<const std::uint8_t> value, std::span<std::uint8_t> der,
                   std::size_t& at) {
  while (value.size() > 1 && value[0] == 0) value = value.subspan(1);
  const bool pad = (value[0] & 0x80) != 0;  // a leading 0x00 keeps the INTEGER positive
  der[at++] = kIntegerTag;
  der[at++] = static_cast<std::uint8_t>(value.size() + (pad ? 1 : 0));
  if (pad) der[at++] = 0;
  std::copy(value.begin(), value.end(), der.begin() + static_cast<std::ptrdiff_t>(at));
  at += value.size();
}

}  // namespace

bool ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::span<std::uint8_t> raw) {
  if (der.size() < 2 || der[0] != kSequenceTag || der[1] >= 0x80) return false;
  if (static_cast<std::size_t>(der[1]) + 2 != der.size()) return false;
  const std::size_t half = raw.size() / 2;
  std::size_t at = 2;
  if (!read_integer(der, at, raw.first(half))) return false;
  if (!read_integer(der, at, raw.subspan(half, half))) return false;
  return at == der.size();
}

std::size_t ecdsa_raw_to_der(std::span<const std::uint8_t> raw, std::span<std::uint8_t> der) {
  assert(raw.size() >= 2 && raw.size() % 2 == 0 && raw.size() <= 64 &&
         der.size() >= kMaxP256DerSize);
  const std::size_t half = raw.size() / 2;
  std::size_t at = 2;
  write_integer(raw.first(half), der, at);
  write_integer(raw.subspan(half, half), der, at);
  der[0] = kSequenceTag;
  der[1] = static_cast<std::uint8_t>(at - 2);
  return at;
}

}  // namespace latchkey::jose::detail
