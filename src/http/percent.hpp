#pragma once
// Strict percent-decoding and encoding (RFC 3986 §2.1, §2.3).
//
// Decoding is strict: a '%' must be followed by two hex digits, and a decoded NUL byte (%00) is
// rejected because no OAuth parameter or path may carry one and C APIs further down would
// silently truncate at it.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace latchkey::http {

enum class PercentError {
  bad_escape,  ///< '%' not followed by two hex digits
  nul_byte,    ///< the input decodes to a NUL byte
};

/// How '+' is read: literally (URL paths) or as a space (application/x-www-form-urlencoded).
enum class PlusMode { literal, space };

/// The wire-independent name of a PercentError, for logs and error descriptions.
[[nodiscard]] std::string_view to_string(PercentError error);

/// Decodes %XX escapes. Fails on a malformed escape or a NUL byte (escaped or raw).
[[nodiscard]] Result<std::string, PercentError> percent_decode(std::string_view text,
                                                               PlusMode plus = PlusMode::literal);

/// Encodes every byte except the RFC 3986 unreserved set (ALPHA DIGIT - . _ ~) as %XX
/// (upper-case hex). Safe for a query value, a path segment or a fragment.
[[nodiscard]] std::string percent_encode(std::string_view text);

/// Encodes for application/x-www-form-urlencoded: like percent_encode, but a space becomes '+'.
[[nodiscard]] std::string form_encode(std::string_view text);

}  // namespace latchkey::http
