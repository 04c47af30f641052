#include "login/cookie_support.hpp"

#include <algorithm>

#include "http/cookies.hpp"

namespace latchkey::login::detail {

bool is_hex_token(std::string_view value, std::size_t length) {
  if (value.size() != length) return false;
  return std::all_of(value.begin(), value.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> hex_cookie(const http::Request& request, std::string_view name,
                                      std::size_t length) {
  // Several Cookie header fields are allowed on HTTP/2 and seen in the wild; look at each.
  for (const auto header : request.headers.all("Cookie")) {
    auto value = http::find_cookie(header, name);
    if (value && is_hex_token(*value, length)) return value;
  }
  return std::nullopt;
}

}  // namespace latchkey::login::detail
