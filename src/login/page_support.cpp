#include "login/page_support.hpp"

#include "http/percent.hpp"
#include "ui/pages.hpp"

namespace latchkey::login::detail {

http::Response page_response(int status, std::string body) {
  auto response = http::Response::html(status, std::move(body));
  response.set_header("Cache-Control", "no-store");
  return response;
}

http::Response error_page(const ui::Renderer& renderer, int status, std::string_view heading,
                          std::string_view message) {
  return page_response(status, ui::render_error(renderer, ui::ErrorView{std::string(heading),
                                                                        std::string(message)}));
}

http::Response forbidden_page(const ui::Renderer& renderer) {
  return error_page(renderer, 403, "Forbidden",
                    "This request could not be verified. Reload the page and try again.");
}

http::Response unavailable_page(const ui::Renderer& renderer) {
  return error_page(renderer, 503, "Temporarily unavailable",
                    "The service is busy. Please try again in a moment.");
}

std::string with_state(std::string_view path, std::string_view state) {
  return std::string(path) + "?state=" + http::percent_encode(state);
}

http::Response resume(std::string_view state, std::initializer_list<std::string_view> set_cookies) {
  auto response = http::Response::redirect(with_state(kResumePath, state));
  for (const auto cookie : set_cookies) {
    if (!cookie.empty()) response.add_header("Set-Cookie", cookie);
  }
  response.set_header("Cache-Control", "no-store");
  return response;
}

std::optional<std::string> single(const http::Params& params, std::string_view name) {
  auto value = params.get(name);
  if (!value) return std::nullopt;
  return *value;
}

std::variant<store::AuthorizationTransaction, http::Response> load_transaction(
    store::TransactionStore& transactions, const Clock& clock, const ui::Renderer& renderer,
    const std::optional<std::string>& state) {
  const auto invalid = [&] {
    return error_page(renderer, 400, "Invalid request",
                      "This login link is invalid or has expired. Go back to the application "
                      "and start again.");
  };
  if (!state || state->empty()) return invalid();
  auto found = transactions.find(*state);
  if (!found) {
    if (found.error() == store::StoreError::unavailable) return unavailable_page(renderer);
    return invalid();
  }
  if (clock.now() >= found->expires_at) return invalid();
  return std::move(found).value();
}

http::Params transaction_params(const store::AuthorizationTransaction& transaction) {
  auto params = http::parse_form(transaction.query);
  return params ? std::move(params).value() : http::Params{};
}

}  // namespace latchkey::login::detail
