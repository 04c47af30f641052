#pragma once
// Checks on what operators and the Management API may store. Each returns a message fit to show
// to the operator, naming the bad value.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace latchkey::model {

using Check = Result<void, std::string>;

/// An absolute http(s) URL without a fragment (RFC 6749 §3.1.2: the redirection endpoint URI
/// MUST be absolute and MUST NOT include a fragment), or a custom scheme for native apps.
[[nodiscard]] Check check_redirect_uri(std::string_view uri);

/// An API identifier (the audience): 1-600 visible ASCII characters, no spaces.
[[nodiscard]] Check check_api_identifier(std::string_view identifier);

/// RFC 6749 §3.3 scope-token: 1*( %x21 / %x23-5B / %x5D-7E ).
[[nodiscard]] Check check_scope_token(std::string_view scope);

/// A plausible email: one '@', a non-empty local part and a domain with a dot, no spaces.
[[nodiscard]] Check check_email(std::string_view email);

/// The minimum password policy: 8 to 256 bytes.
[[nodiscard]] Check check_password(std::string_view password);

/// A display name: 1-300 bytes, no control characters.
[[nodiscard]] Check check_name(std::string_view name);

/// Lower-cases ASCII letters; emails are stored and compared this way.
[[nodiscard]] std::string normalize_email(std::string_view email);

}  // namespace latchkey::model
