#pragma once
// What the hosted-page handlers share (login-internal): loading the transaction named by `state`,
// the resume URL, and HTML responses that are never cached.

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "http/form.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "store/transaction_store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::login::detail {

inline constexpr std::string_view kResumePath = "/authorize/resume";
inline constexpr std::string_view kLoginPath = "/u/login";
inline constexpr std::string_view kSignupPath = "/u/signup";
inline constexpr std::string_view kConsentPath = "/u/consent";

/// An HTML page with Cache-Control: no-store (the pages carry CSRF tokens and user data).
[[nodiscard]] http::Response page_response(int status, std::string body);
/// The error page with `status`; `message` is shown to the user, so never internals.
[[nodiscard]] http::Response error_page(const ui::Renderer& renderer, int status,
                                        std::string_view heading, std::string_view message);
/// 403 for a failed CSRF check or a transaction that is not this session's.
[[nodiscard]] http::Response forbidden_page(const ui::Renderer& renderer);
/// 503 when the store does not answer.
[[nodiscard]] http::Response unavailable_page(const ui::Renderer& renderer);

/// `path?state=<state>`, percent-encoded.
[[nodiscard]] std::string with_state(std::string_view path, std::string_view state);
/// 302 to /authorize/resume?state=<id>, adding each non-empty Set-Cookie.
[[nodiscard]] http::Response resume(std::string_view state,
                                    std::initializer_list<std::string_view> set_cookies);

/// The single value of `name`; nullopt when absent or repeated.
[[nodiscard]] std::optional<std::string> single(const http::Params& params, std::string_view name);

/// The transaction named by `state`, or the page to answer with: 400 when state is missing,
/// unknown or expired, 503 when the store fails.
[[nodiscard]] std::variant<store::AuthorizationTransaction, http::Response> load_transaction(
    store::TransactionStore& transactions, const Clock& clock, const ui::Renderer& renderer,
    const std::optional<std::string>& state);

/// The parameters of the original /authorize request; empty when they do not parse.
[[nodiscard]] http::Params transaction_params(const store::AuthorizationTransaction& transaction);

}  // namespace latchkey::login::detail
