#include "http/cookies.hpp"

#include <algorithm>

#include "http/headers.hpp"

namespace latchkey::http {
namespace {

constexpr std::string_view kEpochExpires = "Thu, 01 Jan 1970 00:00:00 GMT";

// RFC 6265 §4.1.1 cookie-octet: visible ASCII except DQUOTE, comma, semicolon and backslash.
bool is_cookie_octet(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte >= 0x21 && byte <= 0x7E && c != '"' && c != ',' && c != ';' && c != '\\';
}

bool is_cookie_value(std::string_view value) {
  return std::all_of(value.begin(), value.end(), is_cookie_octet);
}

bool is_attribute_value(std::string_view value) {
  return std::all_of(value.begin(), value.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7F && c != ';';
  });
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string_view same_site_name(SameSite same_site) {
  switch (same_site) {
    case SameSite::strict:
      return "Strict";
    case SameSite::lax:
      return "Lax";
    case SameSite::none:
      return "None";
  }
  return "Lax";
}

std::optional<Cookie> parse_pair(std::string_view piece) {
  const std::size_t eq = piece.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  const std::string_view name = trim_ows(piece.substr(0, eq));
  std::string_view value = trim_ows(piece.substr(eq + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  if (!is_token(name) || !is_cookie_value(value)) return std::nullopt;
  return Cookie{std::string(name), std::string(value)};
}

}  // namespace

std::vector<Cookie> parse_cookie_header(std::string_view header) {
  std::vector<Cookie> cookies;
  while (!header.empty()) {
    const std::size_t semi = header.find(';');
    const std::string_view piece = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    if (auto cookie = parse_pair(piece)) cookies.push_back(std::move(*cookie));
  }
  return cookies;
}

std::optional<std::string> find_cookie(std::string_view header, std::string_view name) {
  for (auto& cookie : parse_cookie_header(header)) {
    if (cookie.name == name) return std::move(cookie.value);
  }
  return std::nullopt;
}

Result<std::string, CookieError> build_set_cookie(std::string_view name, std::string_view value,
                                                  const CookieOptions& options) {
  if (!is_token(name)) return fail(CookieError::bad_name);
  if (!is_cookie_value(value)) return fail(CookieError::bad_value);
  if (!is_attribute_value(options.path)) return fail(CookieError::bad_attribute);
  if (options.domain && !is_attribute_value(*options.domain)) {
    return fail(CookieError::bad_attribute);
  }
  if (options.same_site == SameSite::none && !options.secure) {
    return fail(CookieError::none_requires_secure);
  }
  std::string out = std::string(name) + "=" + std::string(value);
  if (!options.path.empty()) out += "; Path=" + options.path;
  if (options.domain) out += "; Domain=" + *options.domain;
  if (options.max_age) {
    out += "; Max-Age=" + std::to_string(std::max<long long>(0, options.max_age->count()));
    if (options.max_age->count() <= 0) out += "; Expires=" + std::string(kEpochExpires);
  }
  if (options.http_only) out += "; HttpOnly";
  if (options.secure) out += "; Secure";
  out += "; SameSite=" + std::string(same_site_name(options.same_site));
  return out;
}

Result<std::string, CookieError> build_cookie_deletion(std::string_view name,
                                                       CookieOptions options) {
  options.max_age = std::chrono::seconds(0);
  return build_set_cookie(name, "", options);
}

}  // namespace latchkey::http
