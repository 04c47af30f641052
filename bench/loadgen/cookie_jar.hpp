#pragma once
// A cookie jar for one origin (RFC 6265 §5.3, without domains: every request goes to the
// issuer's host). Paths matter: some providers scope interaction cookies to one path.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::loadgen {

class CookieJar {
 public:
  /// Stores one Set-Cookie header value received for a request to `request_path`. A cookie
  /// with Max-Age <= 0 or an Expires before `now` removes the stored one. Malformed headers
  /// are ignored.
  void store(std::string_view set_cookie, std::string_view request_path,
             std::chrono::system_clock::time_point now);

  /// Adds every "name=value" of a Cookie header the user supplied (path "/").
  void add_header(std::string_view cookie_header);

  /// The Cookie header for a request to `path` ("" when no cookie matches), longest paths first.
  [[nodiscard]] std::string header_for(std::string_view path) const;

  [[nodiscard]] bool empty() const { return cookies_.empty(); }

 private:
  struct Cookie {
    std::string name;
    std::string value;
    std::string path;
  };
  void put(Cookie cookie);
  void remove(std::string_view name, std::string_view path);

  std::vector<Cookie> cookies_;
};

/// RFC 6265 §5.1.4 path-match.
[[nodiscard]] bool path_matches(std::string_view request_path, std::string_view cookie_path);

/// RFC 6265 §5.1.4 default-path of a request path ("/a/b" -> "/a", "/a" -> "/").
[[nodiscard]] std::string default_path(std::string_view request_path);

/// Parses an IMF-fixdate ("Tue, 24 Nov 2026 10:09:37 GMT"); nullopt when it is not one.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_http_date(
    std::string_view text);

}  // namespace latchkey::loadgen
