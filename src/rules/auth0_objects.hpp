#pragma once
// The `user` and `context` objects Auth0 hands to rules, built from latchkey's model, so a rule
// written for Auth0 finds the fields it expects (issue 5, "Rules (Auth0's API)").

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace latchkey::rules {

/// Auth0's connection for password logins, as rules see it in context.connection.
inline constexpr std::string_view kDatabaseConnection = "Username-Password-Authentication";

/// context.protocol values.
inline constexpr std::string_view kProtocolCodeFlow = "oidc-basic-profile";
inline constexpr std::string_view kProtocolRefreshToken = "oauth2-refresh-token";
inline constexpr std::string_view kProtocolRedirectCallback = "redirect-callback";

/// Auth0's normalized profile of `user`: user_id, email, email_verified, name, nickname,
/// picture, app_metadata, user_metadata, created_at, updated_at, last_login, logins_count and
/// identities. Never includes the password hash or the blocked flag.
[[nodiscard]] nlohmann::json rule_user(const model::User& user);

/// What the login knows about the transaction, for context.
struct LoginFacts {
  std::string tenant;  ///< e.g. the issuer's host
  std::string protocol{kProtocolCodeFlow};
  std::string ip;
  std::string user_agent;
  std::string hostname;
  nlohmann::json query = nlohmann::json::object();  ///< the /authorize parameters
  nlohmann::json body = nlohmann::json::object();
  std::vector<std::string> scopes;  ///< granted scopes, for context.accessToken.scope
  std::string session_id;
  std::vector<std::string> current_clients;  ///< clients of the SSO session
  bool with_sso = false;                     ///< the login reused an SSO session
};

/// Auth0's rule `context` for `client` and `facts`: tenant, clientID, clientName, clientMetadata,
/// connection, connectionStrategy, protocol, request, stats, sso, accessToken {scope}, idToken,
/// sessionID and authentication {methods}.
[[nodiscard]] nlohmann::json rule_context(const model::Client& client, const model::User& user,
                                          const LoginFacts& facts);

}  // namespace latchkey::rules
