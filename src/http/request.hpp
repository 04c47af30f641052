#pragma once
// The transport-free HTTP request that handlers see. The server fills it; tests build it by hand.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/form.hpp"
#include "http/headers.hpp"
#include "http/percent.hpp"

namespace latchkey::http {

/// Request methods the router knows; anything else is `other` (its text is in method_text).
enum class Method { get, head, post, put, patch, del, options, other };

/// Maps a method token ("GET") to a Method; method tokens are case-sensitive (RFC 9110 §9.1).
[[nodiscard]] Method parse_method(std::string_view text);
/// The token of a method ("GET"); "OTHER" for Method::other.
[[nodiscard]] std::string_view method_name(Method method);

/// The parts of a request target: percent-decoded path and the parsed query.
struct Target {
  std::string path;
  Params query;
};

enum class TargetError {
  unsupported_form,  ///< neither origin-form nor absolute-form (e.g. `*` or `host:port`)
  bad_encoding,      ///< malformed percent-encoding or a NUL byte in the path or query
};

/// A short description of a TargetError, safe to send to the client.
[[nodiscard]] std::string_view to_string(TargetError error);

/// Splits an origin-form (`/p?q`) or absolute-form (`https://h/p?q`, RFC 9112 §3.2.2) target.
/// Fails on malformed percent-encoding or NUL in the path or query, or any other target form.
[[nodiscard]] Result<Target, TargetError> parse_target(std::string_view target);

/// The raw path of a target, before '?', not decoded; what the access log records (never the
/// query).
[[nodiscard]] std::string_view target_path(std::string_view target);

enum class FormError {
  wrong_content_type,  ///< Content-Type is not application/x-www-form-urlencoded
  malformed,           ///< bad percent-encoding or a NUL byte in the body
};

struct Request {
  Method method = Method::get;
  std::string method_text = "GET";
  std::string target = "/";  ///< raw, as sent; may hold secrets, so never log it
  std::string path = "/";    ///< percent-decoded
  Params query;
  Headers headers;
  std::string body;
  std::string remote_address;
  bool secure = false;  ///< arrived over TLS
  Params path_params;   ///< values of `{name}` segments of the matched route

  /// The first value of header `name` (case-insensitive), nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const {
    return headers.get(name);
  }
  /// Parses the body as application/x-www-form-urlencoded. Fails when the Content-Type (ignoring
  /// parameters such as charset) is not that media type, or the body is malformed.
  [[nodiscard]] Result<Params, FormError> form() const;
};

}  // namespace latchkey::http
