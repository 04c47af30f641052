#include "oauth/grants/grant_support.hpp"

#include <cstdint>
#include <span>
#include <utility>

#include "jose/base64url.hpp"
#include "oauth/scope.hpp"

namespace latchkey::oauth {

Result<std::vector<std::string>, OAuthError> requested_scopes(const http::Params& form) {
  const auto scope = form.get("scope");
  if (!scope.ok()) return fail(invalid_request("scope is repeated"));
  return split_scope(scope->value_or(""));
}

std::string new_refresh_token(crypto::RandomSource& random) {
  const auto bytes = crypto::random_bytes(random, 32);
  return jose::base64url_encode(std::span<const std::uint8_t>(bytes));
}

OAuthError store_unavailable(store::StoreError error) {
  OAuthError out = OAuthError::make(errors::kServerError, "service unavailable", 503);
  out.debug = std::string(store::to_string(error));
  return out;
}

Result<model::User, OAuthError> load_token_user(store::UserStore& users, const std::string& user_id,
                                                std::string_view gone_description) {
  auto user = users.find(user_id);
  if (!user.ok()) {
    if (user.error() == store::StoreError::not_found) {
      return fail(invalid_grant(std::string(gone_description), "user no longer exists"));
    }
    return fail(store_unavailable(user.error()));
  }
  if (user->blocked) return fail(invalid_grant("user is blocked"));
  return std::move(*user);
}

nlohmann::json rule_claims(const nlohmann::json& extra, const char* kind) {
  if (!extra.is_object()) return nlohmann::json::object();
  const auto found = extra.find(kind);
  if (found == extra.end() || !found->is_object()) return nlohmann::json::object();
  return *found;
}

Result<std::optional<model::ResourceServer>, OAuthError> load_token_api(
    store::ResourceServerStore& apis, const std::string& audience,
    std::string_view gone_description) {
  if (audience.empty()) return std::optional<model::ResourceServer>();
  auto api = apis.find(audience);
  if (!api.ok()) {
    if (api.error() == store::StoreError::not_found) {
      return fail(invalid_grant(std::string(gone_description), "the API no longer exists"));
    }
    return fail(store_unavailable(api.error()));
  }
  return std::optional<model::ResourceServer>(std::move(*api));
}

}  // namespace latchkey::oauth
