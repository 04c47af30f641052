#include "rules/auth0_objects.hpp"

#include "core/clock.hpp"

namespace latchkey::rules {

using nlohmann::json;

json rule_user(const model::User& user) {
  const std::string prefix = "auth0|";
  const std::string bare_id =
      user.user_id.starts_with(prefix) ? user.user_id.substr(prefix.size()) : user.user_id;
  json profile = {
      {"user_id", user.user_id},
      {"email", user.email},
      {"email_verified", user.email_verified},
      {"name", user.name},
      {"nickname", user.nickname},
      {"picture", user.picture},
      {"app_metadata", user.app_metadata.is_object() ? user.app_metadata : json::object()},
      {"user_metadata", user.user_metadata.is_object() ? user.user_metadata : json::object()},
      {"created_at", to_iso8601(user.created_at)},
      {"updated_at", to_iso8601(user.updated_at)},
      {"logins_count", user.logins_count},
      {"identities", json::array({{{"provider", "auth0"},
                                   {"user_id", bare_id},
                                   {"connection", kDatabaseConnection},
                                   {"isSocial", false}}})},
  };
  profile["last_login"] = user.last_login ? json(to_iso8601(*user.last_login)) : json(nullptr);
  return profile;
}

json rule_context(const model::Client& client, const model::User& user, const LoginFacts& facts) {
  return {
      {"tenant", facts.tenant},
      {"clientID", client.client_id},
      {"clientName", client.name},
      {"clientMetadata",
       client.client_metadata.is_object() ? client.client_metadata : json::object()},
      {"connection", kDatabaseConnection},
      {"connectionStrategy", "auth0"},
      {"protocol", facts.protocol},
      {"request",
       {{"ip", facts.ip},
        {"userAgent", facts.user_agent},
        {"hostname", facts.hostname},
        {"query", facts.query},
        {"body", facts.body}}},
      {"stats", {{"loginsCount", user.logins_count}}},
      {"sso",
       {{"with_auth0", false},
        {"with_dbconn", facts.with_sso},
        {"current_clients", facts.current_clients}}},
      {"accessToken", {{"scope", facts.scopes}}},
      {"idToken", json::object()},
      {"sessionID", facts.session_id},
      {"authentication", {{"methods", json::array({{{"name", "pwd"}}})}}},
  };
}

}  // namespace latchkey::rules
