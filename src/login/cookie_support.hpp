#pragma once
// Small cookie helpers shared by the session and CSRF cookies (login-internal).

#include <optional>
#include <string>
#include <string_view>

#include "http/request.hpp"

namespace latchkey::login::detail {

/// True for exactly `length` lower-case hex digits: the only shape our cookie values take, so
/// anything else is rejected before it reaches the store.
[[nodiscard]] bool is_hex_token(std::string_view value, std::size_t length);

/// The value of cookie `name` when it is a hex token of `length`; nullopt otherwise (missing
/// header, malformed header, other shape).
[[nodiscard]] std::optional<std::string> hex_cookie(const http::Request& request,
                                                    std::string_view name, std::size_t length);

}  // namespace latchkey::login::detail
