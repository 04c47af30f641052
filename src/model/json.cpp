#include "model/json.hpp"

namespace latchkey::model {

nlohmann::json to_json(const Client& client) {
  return {
      {"client_id", client.client_id},
      {"name", client.name},
      {"app_type", to_string(client.app_type)},
      {"token_endpoint_auth_method", client.token_endpoint_auth_method},
      {"callbacks", client.callbacks},
      {"allowed_logout_urls", client.allowed_logout_urls},
      {"grant_types", client.grant_types},
      {"is_first_party", client.is_first_party},
      {"id_token_signed_response_alg", client.id_token_signed_response_alg},
      // Auth0's Management API shape of the same settings.
      {"jwt_configuration",
       {{"alg", client.id_token_signed_response_alg},
        {"lifetime_in_seconds", client.id_token_lifetime_seconds}}},
      {"client_metadata", client.client_metadata},
      {"created_at", to_iso8601(client.created_at)},
  };
}

nlohmann::json to_json(const ResourceServer& api) {
  nlohmann::json scopes = nlohmann::json::array();
  for (const auto& scope : api.scopes) {
    scopes.push_back({{"value", scope.value}, {"description", scope.description}});
  }
  return {
      {"id", api.id},
      {"identifier", api.identifier},
      {"name", api.name},
      {"scopes", std::move(scopes)},
      {"signing_alg", api.signing_alg},
      {"token_lifetime", api.token_lifetime_seconds},
      {"allow_offline_access", api.allow_offline_access},
      {"skip_consent_for_verifiable_first_party_clients",
       api.skip_consent_for_verifiable_first_party_clients},
      {"created_at", to_iso8601(api.created_at)},
  };
}

nlohmann::json to_json(const User& user) {
  nlohmann::json json = {
      {"user_id", user.user_id},
      {"email", user.email},
      {"email_verified", user.email_verified},
      {"name", user.name},
      {"nickname", user.nickname},
      {"picture", user.picture},
      {"app_metadata", user.app_metadata},
      {"user_metadata", user.user_metadata},
      {"logins_count", user.logins_count},
      {"blocked", user.blocked},
      {"created_at", to_iso8601(user.created_at)},
      {"updated_at", to_iso8601(user.updated_at)},
      {"identities",
       nlohmann::json::array({{{"provider", "auth0"},
                               {"connection", "Username-Password-Authentication"},
                               {"user_id", user.user_id.substr(user.user_id.find('|') + 1)},
                               {"isSocial", false}}})},
  };
  json["last_login"] = user.last_login ? nlohmann::json(to_iso8601(*user.last_login)) : nullptr;
  return json;
}

nlohmann::json to_json(const ClientGrant& grant) {
  return {
      {"id", grant.id},
      {"client_id", grant.client_id},
      {"audience", grant.audience},
      {"scope", grant.scopes},
      {"created_at", to_iso8601(grant.created_at)},
  };
}

}  // namespace latchkey::model
