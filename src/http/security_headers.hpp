#pragma once
// Headers every response carries, added by the server after the handler ran.

#include "http/response.hpp"

namespace latchkey::http {

/// Adds `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` to every response;
/// to HTML responses also `X-Frame-Options: DENY` and `frame-ancestors 'none'` (appended to a
/// Content-Security-Policy the handler set, or as the whole policy); and
/// `Strict-Transport-Security: max-age=31536000` only when `secure` (RFC 6797 §7.2: an HSTS
/// header received over plain HTTP MUST be ignored, so it is only sent over TLS).
void apply_security_headers(Response& response, bool secure);

}  // namespace latchkey::http
