#include "login/consent_handler.hpp"

#include <algorithm>
#include <array>
#include <variant>

#include "login/page_support.hpp"
#include "ui/pages.hpp"

namespace latchkey::login {
namespace {

constexpr std::array<std::string_view, 4> kOidcScopes{"openid", "profile", "email",
                                                      "offline_access"};

bool contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool defines(const std::vector<model::Scope>& defined, std::string_view value) {
  return std::any_of(defined.begin(), defined.end(),
                     [&](const model::Scope& scope) { return scope.value == value; });
}

/// Splits a space-delimited scope parameter (RFC 6749 §3.3), dropping empty pieces and repeats.
std::vector<std::string> split_scope(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto space = text.find(' ');
    const auto piece = text.substr(0, space);
    if (!piece.empty() && !contains(out, piece)) out.emplace_back(piece);
    if (space == std::string_view::npos) break;
    text.remove_prefix(space + 1);
  }
  return out;
}

}  // namespace

ConsentRequest read_consent_request(const store::AuthorizationTransaction& transaction) {
  const http::Params params = detail::transaction_params(transaction);
  ConsentRequest request;
  request.client_id = detail::single(params, "client_id").value_or(transaction.client_id);
  request.audience = detail::single(params, "audience").value_or(std::string());
  if (request.audience.empty()) {
    const auto resources = params.all("resource");
    if (!resources.empty()) request.audience = resources.front();
  }
  request.scopes = split_scope(detail::single(params, "scope").value_or(std::string()));
  return request;
}

std::vector<std::string> granted_scopes(const std::vector<std::string>& previous,
                                        const std::vector<std::string>& requested,
                                        const std::vector<model::Scope>& defined) {
  std::vector<std::string> out;
  for (const auto& scope : previous) {
    if (!contains(out, scope)) out.push_back(scope);
  }
  for (const auto& scope : requested) {
    const bool oidc = std::find(kOidcScopes.begin(), kOidcScopes.end(), scope) != kOidcScopes.end();
    if ((oidc || defines(defined, scope)) && !contains(out, scope)) out.push_back(scope);
  }
  return out;
}

ConsentHandler::ConsentHandler(store::ClientStore& clients, store::ResourceServerStore& apis,
                               store::GrantStore& grants, store::TransactionStore& transactions,
                               SessionManager& sessions, const ui::Renderer& renderer,
                               const Clock& clock, crypto::RandomSource& random, Logger& log,
                               PageOptions options)
    : clients_(clients),
      apis_(apis),
      grants_(grants),
      transactions_(transactions),
      sessions_(sessions),
      renderer_(renderer),
      clock_(clock),
      log_(log),
      csrf_(random, options.secure_cookies) {}

std::variant<store::AuthorizationTransaction, http::Response> ConsentHandler::load_owned(
    const http::Request& request, const std::optional<std::string>& state) {
  auto loaded = detail::load_transaction(transactions_, clock_, renderer_, state);
  if (std::holds_alternative<http::Response>(loaded)) return loaded;
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  const auto session = sessions_.current(request);
  if (!transaction.authenticated_at || !session || session->user.user_id != transaction.user_id) {
    return detail::forbidden_page(renderer_);
  }
  return loaded;
}

std::vector<model::Scope> ConsentHandler::api_scopes(const std::string& audience) {
  if (audience.empty()) return {};
  auto api = apis_.find(audience);
  if (!api) return {};
  return api->scopes;
}

http::Response ConsentHandler::handle_get(const http::Request& request) {
  auto loaded = load_owned(request, detail::single(request.query, "state"));
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  const ConsentRequest asked = read_consent_request(transaction);
  const CsrfToken csrf = csrf_.issue(request);
  ui::ConsentView view;
  view.action = detail::with_state(detail::kConsentPath, transaction.id);
  view.state = transaction.id;
  view.csrf = csrf.value;
  auto client = clients_.find(asked.client_id);
  view.client_name = client ? client->name : asked.client_id;
  if (const auto session = sessions_.current(request)) view.user_email = session->user.email;
  for (const auto& scope : api_scopes(asked.audience)) {
    if (contains(asked.scopes, scope.value))
      view.scopes.push_back({scope.value, scope.description});
  }
  auto response = detail::page_response(200, ui::render_consent(renderer_, view));
  if (csrf.set_cookie) response.add_header("Set-Cookie", *csrf.set_cookie);
  return response;
}

http::Response ConsentHandler::handle_post(const http::Request& request) {
  auto form = request.form();
  if (!form) return detail::error_page(renderer_, 400, "Invalid request", "The form is malformed.");
  if (!csrf_.verify(request, *form)) return detail::forbidden_page(renderer_);
  auto state = detail::single(*form, "state");
  if (!state) state = detail::single(request.query, "state");
  auto loaded = load_owned(request, state);
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  const auto action = detail::single(*form, "action");
  if (action == "accept") return accept(transaction);
  if (action != "decline") {
    return detail::error_page(renderer_, 400, "Invalid request", "Choose Accept or Decline.");
  }
  if (!transactions_.set_consent(transaction.id, kConsentDenied)) {
    return detail::unavailable_page(renderer_);
  }
  log_event(log_, LogLevel::info, "consent declined", {{"user_id", transaction.user_id}});
  return detail::resume(transaction.id, {});
}

http::Response ConsentHandler::accept(const store::AuthorizationTransaction& transaction) {
  const ConsentRequest asked = read_consent_request(transaction);
  const TimePoint now = clock_.now();
  model::Grant grant;
  grant.user_id = transaction.user_id;
  grant.client_id = asked.client_id;
  grant.audience = asked.audience;
  std::vector<std::string> previous;
  if (auto found = grants_.find(grant.user_id, grant.client_id, grant.audience)) {
    previous = found->scopes;
    grant.created_at = found->created_at;
  } else {
    grant.created_at = now;
  }
  grant.scopes = granted_scopes(previous, asked.scopes, api_scopes(asked.audience));
  grant.updated_at = now;
  if (!grants_.upsert(grant)) return detail::unavailable_page(renderer_);
  if (!transactions_.set_consent(transaction.id, kConsentGranted)) {
    return detail::unavailable_page(renderer_);
  }
  log_event(log_, LogLevel::info, "consent granted",
            {{"user_id", grant.user_id}, {"client_id", grant.client_id}});
  return detail::resume(transaction.id, {});
}

}  // namespace latchkey::login
