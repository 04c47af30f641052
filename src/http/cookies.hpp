#pragma once
// Cookie parsing (RFC 6265 §5.4, tolerant) and Set-Cookie building (RFC 6265 §4.1, strict).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace latchkey::http {

struct Cookie {
  std::string name;
  std::string value;
  friend bool operator==(const Cookie&, const Cookie&) = default;
};

/// Parses a `Cookie` request header into name/value pairs in order. Tolerant: pieces without '=',
/// with an empty or non-token name, or with bytes outside cookie-octet are skipped. One pair of
/// surrounding double quotes is removed from a value. Values are not percent-decoded.
[[nodiscard]] std::vector<Cookie> parse_cookie_header(std::string_view header);

/// The first cookie called `name` in a Cookie header, nullopt when absent.
[[nodiscard]] std::optional<std::string> find_cookie(std::string_view header,
                                                     std::string_view name);

enum class SameSite { strict, lax, none };

struct CookieOptions {
  std::string path = "/";
  std::optional<std::string> domain;
  bool http_only = true;
  bool secure = true;
  SameSite same_site = SameSite::lax;
  std::optional<std::chrono::seconds> max_age;  ///< nullopt: a session cookie
};

enum class CookieError {
  bad_name,              ///< name is not an RFC 9110 token
  bad_value,             ///< value holds a byte outside cookie-octet
  bad_attribute,         ///< path or domain holds a control character or ';'
  none_requires_secure,  ///< SameSite=None without Secure is refused by browsers
};

/// Builds a Set-Cookie value: `name=value; Path=/; Max-Age=…; HttpOnly; Secure; SameSite=Lax`.
[[nodiscard]] Result<std::string, CookieError> build_set_cookie(std::string_view name,
                                                                std::string_view value,
                                                                const CookieOptions& options);

/// Builds a Set-Cookie value that deletes the cookie: empty value, Max-Age=0 and an Expires date
/// in 1970. Path and Domain must match the ones the cookie was set with.
[[nodiscard]] Result<std::string, CookieError> build_cookie_deletion(std::string_view name,
                                                                     CookieOptions options);

}  // namespace latchkey::http
