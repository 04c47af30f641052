#pragma once
// The error responses the HTTP layer itself produces, in the RFC 6749 §5.2 JSON shape
// `{"error":"…","error_description":"…"}`. Each wire string is defined here once.

#include <string_view>

#include "http/response.hpp"

namespace latchkey::http {

/// Wire values of the "error" member.
inline constexpr std::string_view kErrorInvalidRequest = "invalid_request";
inline constexpr std::string_view kErrorNotFound = "not_found";
inline constexpr std::string_view kErrorMethodNotAllowed = "method_not_allowed";
inline constexpr std::string_view kErrorServerError = "server_error";
inline constexpr std::string_view kErrorTemporarilyUnavailable = "temporarily_unavailable";

/// A JSON error body; `description` is omitted when empty. It is sent to the client: never put
/// internal details in it.
[[nodiscard]] Response error_response(int status, std::string_view error,
                                      std::string_view description = {});

/// 400 invalid_request with the given (client-facing) description.
[[nodiscard]] Response bad_request(std::string_view description);
/// 404 not_found.
[[nodiscard]] Response not_found();
/// 405 method_not_allowed with `Allow: <allow>` (RFC 9110 §15.5.6: MUST send Allow).
[[nodiscard]] Response method_not_allowed(std::string_view allow);
/// 413 invalid_request: the body is over the limit.
[[nodiscard]] Response payload_too_large();
/// 431 invalid_request: the header block is over the limit.
[[nodiscard]] Response header_fields_too_large();
/// 500 server_error, with no description and no details, ever.
[[nodiscard]] Response server_error();
/// 503 temporarily_unavailable: the server is at capacity.
[[nodiscard]] Response service_unavailable();

}  // namespace latchkey::http
