#pragma once
// Internal to latchkey_http: converts between Beast messages and the transport-free
// Request/Response, and maps transport failures to the responses the client gets.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace latchkey::http::detail {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

/// Builds the handler's Request, moving the body. Fails on a malformed target (400).
[[nodiscard]] Result<Request, TargetError> to_request(BeastRequest&& in, std::string remote_address,
                                                      bool secure);

/// A checked Response (see check_response) as it goes on the wire: `head` is the status line
/// and the fields (RFC 9112 §4, §5), then the transport-owned Content-Length (not for 204 and
/// 304, RFC 9110 §8.6) and Connection (close, or keep-alive for HTTP/1.0; RFC 9112 §9.3), and
/// the blank line; `body` follows it. With `head` (a HEAD request) the Content-Length is the
/// body's but the body is not sent (RFC 9110 §9.3.2).
struct WireResponse {
  std::string head;
  std::string body;
};
[[nodiscard]] WireResponse to_wire(Response response, unsigned version, bool keep_alive, bool head);

/// Makes a handler's response safe to send: a status outside 200..599 or a header that could
/// split the response becomes a bare 500 (returns false so the caller can log the bug);
/// transport-owned headers the handler set are dropped.
[[nodiscard]] bool check_response(Response& response);

/// The response for a failed read: 431, 413 or 400 (then close), or nullopt when the connection
/// should just be closed (timeout, end of stream, reset).
[[nodiscard]] std::optional<Response> transport_error_response(const boost::system::error_code& ec);

}  // namespace latchkey::http::detail
