#pragma once
// A minimal scripted browser for flow tests against a server on 127.0.0.1: a cookie jar, GET and
// form POST, no automatic redirects (tests assert each hop), and HTML form scraping.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "http/raw_client.hpp"

namespace latchkey::testing {

/// The named fields of an HTML page's first form matching `action_contains` (hidden inputs and
/// inputs with a value), and its action.
struct HtmlForm {
  std::string action;
  std::map<std::string, std::string> fields;
};

[[nodiscard]] std::optional<HtmlForm> find_form(const std::string& html,
                                                const std::string& action_contains = "");

/// Percent-encodes for a query or form value.
[[nodiscard]] std::string url_encode(const std::string& text);

/// The value of `name` in a URL's query (decoded), or nullopt.
[[nodiscard]] std::optional<std::string> query_param(const std::string& url,
                                                     const std::string& name);

class Browser {
 public:
  explicit Browser(std::uint16_t port) : port_(port) {}

  /// GET `target` (a path with query, or an absolute http://127.0.0.1:port/... URL).
  [[nodiscard]] std::optional<RawResponse> get(const std::string& target,
                                               const std::vector<std::string>& headers = {});
  /// POST an application/x-www-form-urlencoded body.
  [[nodiscard]] std::optional<RawResponse> post_form(
      const std::string& target, const std::map<std::string, std::string>& fields,
      const std::vector<std::string>& headers = {});

  [[nodiscard]] std::optional<std::string> cookie(const std::string& name) const;
  /// Puts a cookie in the jar by hand (e.g. to replay one the server has since cleared).
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  void clear_cookies() { cookies_.clear(); }
  /// Connects from this local IPv4 address (e.g. "127.0.0.2"); empty: the kernel's choice.
  void set_source_address(std::string source) { source_ = std::move(source); }

 private:
  std::string path_of(const std::string& target) const;
  std::optional<RawResponse> send(const std::string& request);
  std::string cookie_header() const;

  std::uint16_t port_;
  std::string source_;
  std::map<std::string, std::string> cookies_;
};

/// Encodes fields as application/x-www-form-urlencoded.
[[nodiscard]] std::string form_body(const std::map<std::string, std::string>& fields);

}  // namespace latchkey::testing
