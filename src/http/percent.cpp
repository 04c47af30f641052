#include "http/percent.hpp"

namespace latchkey::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_unreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string encode(std::string_view text, bool space_as_plus) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (is_unreserved(c)) {
      out.push_back(c);
    } else if (c == ' ' && space_as_plus) {
      out.push_back('+');
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4U]);
      out.push_back(kHex[byte & 0x0FU]);
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(PercentError error) {
  switch (error) {
    case PercentError::bad_escape:
      return "malformed percent-encoding";
    case PercentError::nul_byte:
      return "NUL byte in percent-encoded text";
  }
  return "percent-encoding error";
}

Result<std::string, PercentError> percent_decode(std::string_view text, PlusMode plus) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG; anything else is malformed.
      if (text.size() - i < 3) return fail(PercentError::bad_escape);
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return fail(PercentError::bad_escape);
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus == PlusMode::space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
    if (out.back() == '\0') return fail(PercentError::nul_byte);
  }
  return out;
}

std::string percent_encode(std::string_view text) { return encode(text, false); }

std::string form_encode(std::string_view text) { return encode(text, true); }

}  // namespace latchkey::http
