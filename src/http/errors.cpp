#include "http/errors.hpp"

#include <string>

namespace latchkey::http {

Response error_response(int status, std::string_view error, std::string_view description) {
  nlohmann::json body = {{"error", error}};
  if (!description.empty()) body["error_description"] = description;
  return Response::json(status, body);
}

Response bad_request(std::string_view description) {
  return error_response(400, kErrorInvalidRequest, description);
}

Response not_found() { return error_response(404, kErrorNotFound, "no such endpoint"); }

Response method_not_allowed(std::string_view allow) {
  auto response = error_response(405, kErrorMethodNotAllowed, "method not allowed here");
  response.set_header("Allow", allow);
  return response;
}

Response payload_too_large() {
  return error_response(413, kErrorInvalidRequest, "request body too large");
}

Response header_fields_too_large() {
  return error_response(431, kErrorInvalidRequest, "request header fields too large");
}

Response server_error() { return error_response(500, kErrorServerError); }

Response service_unavailable() {
  return error_response(503, kErrorTemporarilyUnavailable, "server is busy, retry later");
}

}  // namespace latchkey::http
