#include "oauth/token_endpoint.hpp"

#include <stdexcept>
#include <string_view>
#include <unordered_set>

#include "core/json_text.hpp"
#include "oauth/client_auth.hpp"
#include "oauth/token_issuer.hpp"

namespace latchkey::oauth {
namespace {

Result<http::Params, OAuthError> parse_body(const http::Request& request) {
  auto form = request.form();
  if (form.ok()) return std::move(*form);
  if (form.error() == http::FormError::wrong_content_type) {
    // RFC 6749 §3.2: the client MUST use application/x-www-form-urlencoded.
    return fail(invalid_request("Content-Type must be application/x-www-form-urlencoded"));
  }
  return fail(invalid_request("malformed request body"));
}

// RFC 6749 §3.1: request parameters MUST NOT be included more than once. Some (RFC 8707
// resource) may repeat; none of the token endpoint's parameters do.
Result<void, OAuthError> reject_repeats(const http::Params& form) {
  std::unordered_set<std::string_view> seen;
  seen.reserve(form.size());
  for (const auto& [name, value] : form.items()) {
    if (name == "resource") continue;
    if (!seen.insert(name).second) return fail(invalid_request(name + " is repeated"));
  }
  return {};
}

http::Response success(const TokenResponse& response) {
  http::Response out = http::Response::json_text(200, to_json_text(response));
  out.set_header("Cache-Control", "no-store").set_header("Pragma", "no-cache");
  return out;
}

}  // namespace

std::string to_json_text(const TokenResponse& response) {
  TextBuffer out;
  // The tokens and the names around them, so the buffer grows once.
  const auto size = [](const std::optional<std::string>& text) { return text ? text->size() : 0; };
  out.reserve(response.access_token.size() + size(response.id_token) +
              size(response.refresh_token) + response.scope.size() + response.token_type.size() +
              128);
  out.push_back('{');
  bool first = true;
  const auto member = [&out, &first](std::string_view name) {
    append_json_member_name(out, name, first);
    first = false;
  };
  member("access_token");
  append_json_string(out, response.access_token);
  member("expires_in");
  append_json_number(out, response.expires_in);
  if (response.id_token) {
    member("id_token");
    append_json_string(out, *response.id_token);
  }
  if (response.refresh_token) {
    member("refresh_token");
    append_json_string(out, *response.refresh_token);
  }
  if (!response.scope.empty()) {
    member("scope");
    append_json_string(out, response.scope);
  }
  member("token_type");
  append_json_string(out, response.token_type);
  out.push_back('}');
  return {out.data(), out.size()};
}

std::string requested_grant_type(const http::Request& request) {
  auto form = request.form();
  if (!form.ok()) return {};
  auto grant_type = form->get("grant_type");
  if (!grant_type.ok() || !grant_type->has_value()) return {};
  return std::move(**grant_type);
}

TokenEndpoint::TokenEndpoint(store::ClientStore& clients, const Clock& clock,
                             std::vector<std::unique_ptr<Grant>> grants)
    : clients_(clients), clock_(clock) {
  for (auto& grant : grants) {
    std::string type(grant->grant_type());
    if (!grants_.emplace(type, std::move(grant)).second) {
      throw std::invalid_argument("two grants for grant_type " + type);
    }
  }
}

Result<TokenResponse, OAuthError> TokenEndpoint::process(const http::Request& request) const {
  auto form = parse_body(request);
  if (!form.ok()) return fail(form.error());
  auto unique = reject_repeats(*form);
  if (!unique.ok()) return fail(unique.error());
  const auto grant_type = form->get("grant_type");
  if (!grant_type.ok() || !grant_type->has_value() || (*grant_type)->empty()) {
    return fail(invalid_request("missing grant_type"));
  }
  auto client = authenticate_client(request, *form, clients_);
  if (!client.ok()) return fail(client.error());
  const auto grant = grants_.find(**grant_type);
  if (grant == grants_.end()) {
    return fail(OAuthError::make(errors::kUnsupportedGrantType, "unsupported grant_type"));
  }
  if (!has_scope(client->grant_types, **grant_type)) {
    return fail(
        OAuthError::make(errors::kUnauthorizedClient, "the client is not allowed this grant_type"));
  }
  return grant->second->handle(
      TokenRequest{std::move(*form), std::move(*client), clock_.now(), request.remote_address,
                   std::string(request.header("User-Agent").value_or(""))});
}

http::Response TokenEndpoint::handle(const http::Request& request) const {
  auto result = process(request);
  if (!result.ok()) return render_token_error(result.error());
  return success(*result);
}

http::Handler TokenEndpoint::handler() const {
  return [this](const http::Request& request) { return handle(request); };
}

}  // namespace latchkey::oauth
