#include "http/detail/beast_message.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <string>

#include "http/errors.hpp"

namespace latchkey::http::detail {
namespace beast_http = boost::beast::http;

Result<Request, TargetError> to_request(BeastRequest&& in, std::string remote_address,
                                        bool secure) {
  auto target = parse_target(in.target());
  if (!target) return fail(target.error());
  Request request;
  request.method_text = std::string(in.method_string());
  request.method = parse_method(request.method_text);
  request.target = std::string(in.target());
  request.path = std::move(target->path);
  request.query = std::move(target->query);
  for (const auto& field : in) request.headers.add(field.name_string(), field.value());
  request.body = std::move(in.body());
  request.remote_address = std::move(remote_address);
  request.secure = secure;
  return request;
}

bool check_response(Response& response) {
  // The transport frames the message itself; a handler's framing headers would be wrong.
  for (const auto* name : {"Content-Length", "Transfer-Encoding", "Connection"}) {
    response.headers.remove(name);
  }
  if (response.status >= 200 && response.status <= 599 && response.headers.valid()) return true;
  response = server_error();
  return false;
}

WireResponse to_wire(Response response, unsigned version, bool keep_alive, bool head) {
  WireResponse out;
  std::string& text = out.head;
  const auto reason = beast_http::obsolete_reason(static_cast<beast_http::status>(response.status));
  std::size_t size = 40 + reason.size();
  for (const auto& [name, value] : response.headers.fields()) {
    size += name.size() + value.size() + 4;  // ": " and CRLF
  }
  text.reserve(size);
  text += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  text += std::to_string(response.status);
  text += ' ';
  text.append(reason.data(), reason.size());
  text += "\r\n";
  for (const auto& [name, value] : response.headers.fields()) {
    text += name;
    text += ": ";
    text += value;
    text += "\r\n";
  }
  // RFC 9110 §15.3.5, §15.4.5: 204 and 304 never carry content.
  if (response.status != 204 && response.status != 304) {
    text += "Content-Length: ";
    text += std::to_string(response.body.size());
    text += "\r\n";
    if (!head) out.body = std::move(response.body);
  }
  if (version == 10 && keep_alive) text += "Connection: keep-alive\r\n";
  if (version != 10 && !keep_alive) text += "Connection: close\r\n";
  text += "\r\n";
  return out;
}

std::optional<Response> transport_error_response(const boost::system::error_code& ec) {
  if (ec == beast_http::error::header_limit || ec == beast_http::error::buffer_overflow) {
    return header_fields_too_large();
  }
  if (ec == beast_http::error::body_limit) return payload_too_large();
  if (ec == beast_http::error::end_of_stream || ec == beast_http::error::partial_message) {
    return std::nullopt;
  }
  if (ec.category() == beast_http::make_error_code(beast_http::error::bad_method).category()) {
    return bad_request("malformed HTTP request");
  }
  return std::nullopt;  // timeouts, resets, aborts: nobody to answer
}

}  // namespace latchkey::http::detail
