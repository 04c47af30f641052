#pragma once
// The transport-free HTTP response that handlers return.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "http/headers.hpp"

namespace latchkey::http {

/// Content-Type values, defined once.
inline constexpr std::string_view kJsonContentType = "application/json";
inline constexpr std::string_view kHtmlContentType = "text/html; charset=utf-8";
inline constexpr std::string_view kTextContentType = "text/plain; charset=utf-8";

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  /// A JSON body (invalid UTF-8 in strings is replaced, never thrown).
  [[nodiscard]] static Response json(int status, const nlohmann::json& body);
  /// A body already written as JSON text.
  [[nodiscard]] static Response json_text(int status, std::string body);
  [[nodiscard]] static Response html(int status, std::string body);
  [[nodiscard]] static Response text(int status, std::string body);
  /// A redirect to `url` with a Location header and no body. The caller validates `url`;
  /// a CR or LF in it makes the server refuse to send the response (500).
  [[nodiscard]] static Response redirect(std::string_view url, int status = 302);
  /// A response with no body, e.g. 204.
  [[nodiscard]] static Response empty(int status);

  /// Replaces header `name`; returns *this for chaining.
  Response& set_header(std::string_view name, std::string_view value);
  /// Appends header `name` (e.g. a second Set-Cookie); returns *this for chaining.
  Response& add_header(std::string_view name, std::string_view value);

  /// True when the Content-Type is text/html (the server then adds the HTML-only headers).
  [[nodiscard]] bool is_html() const;
};

}  // namespace latchkey::http
