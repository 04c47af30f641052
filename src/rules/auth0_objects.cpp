#include "rules/auth0_objects.hpp"

#include "core/clock.hpp"
#include "model/json.hpp"

namespace latchkey::rules {

using nlohmann::json;

json rule_user(const model::User& user) {
  // Auth0's normalized profile is the user's JSON form (model/json.hpp) without latchkey's own
  // `blocked` flag, and with metadata always an object, as rules expect.
  json profile = model::to_json(user);
  profile.erase("blocked");
  for (const char* field : {"app_metadata", "user_metadata"}) {
    if (!profile[field].is_object()) profile[field] = json::object();
  }
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
