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
  const bool plus_is_space = plus == PlusMode::space;
  const auto copied_as_is = [plus_is_space](char c) {
    return c != '%' && c != '\0' && !(plus_is_space && c == '+');
  };
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    // The run up to the next byte that is not copied as it is goes in one append.
    std::size_t end = i;
    while (end < text.size() && copied_as_is(text[end])) ++end;
    out.append(text.substr(i, end - i));
    if (end == text.size()) break;
    char decoded = text[end];
    if (decoded == '%') {
      // RFC 3986 §2.1: pct-encoded = "%" HEXDIG HEXDIG; anything else is malformed.
      if (text.size() - end < 3) return fail(PercentError::bad_escape);
      const int high = hex_value(text[end + 1]);
      const int low = hex_value(text[end + 2]);
      if (high < 0 || low < 0) return fail(PercentError::bad_escape);
      decoded = static_cast<char>(high * 16 + low);
      i = end + 3;
    } else {
      if (decoded == '+') decoded = ' ';
      i = end + 1;
    }
    if (decoded == '\0') return fail(PercentError::nul_byte);
    out.push_back(decoded);
  }
  return out;
}

std::string percent_encode(std::string_view text) { return encode(text, false); }

std::string form_encode(std::string_view text) { return encode(text, true); }

}  // namespace latchkey::http
