#include "rules/auth0_objects.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"
#include "rules/pipeline.hpp"
#include "rules/platform_fixture.hpp"

namespace latchkey::rules {
namespace {

using nlohmann::json;

model::User stored_user() {
  model::User user;
  user.user_id = "auth0|abc123";
  user.email = "ada@example.com";
  user.email_verified = true;
  user.name = "Ada";
  user.nickname = "ada";
  user.password_hash = "$argon2id$secret";
  user.app_metadata = {{"roles", {"admin"}}};
  user.logins_count = 7;
  user.created_at = from_unix_seconds(1700000000);
  user.updated_at = from_unix_seconds(1700000100);
  return user;
}

TEST(Auth0Objects, UserIsAuth0sNormalizedProfileWithoutThePasswordHash) {
  const json user = rule_user(stored_user());
  EXPECT_EQ(user["user_id"], "auth0|abc123");
  EXPECT_EQ(user["app_metadata"]["roles"], json({"admin"}));
  EXPECT_EQ(user["user_metadata"], json::object());
  EXPECT_EQ(user["created_at"], "2023-11-14T22:13:20.000Z");
  EXPECT_EQ(user["last_login"], nullptr);
  EXPECT_EQ(user["identities"][0]["user_id"], "abc123");
  EXPECT_EQ(user["identities"][0]["connection"], "Username-Password-Authentication");
  EXPECT_EQ(user.dump().find("argon2id"), std::string::npos);
  EXPECT_FALSE(user.contains("blocked"));
}

TEST(Auth0Objects, ContextCarriesTheClientRequestAndScopesARuleReads) {
  model::Client client;
  client.client_id = "client-1";
  client.name = "Web App";
  client.client_metadata = {{"tier", "gold"}};
  LoginFacts facts;
  facts.tenant = "login.example.com";
  facts.ip = "203.0.113.9";
  facts.query = {{"scope", "openid email"}};
  facts.scopes = {"openid", "email"};
  const json context = rule_context(client, stored_user(), facts);
  EXPECT_EQ(context["clientID"], "client-1");
  EXPECT_EQ(context["clientMetadata"]["tier"], "gold");
  EXPECT_EQ(context["protocol"], "oidc-basic-profile");
  EXPECT_EQ(context["connectionStrategy"], "auth0");
  EXPECT_EQ(context["request"]["ip"], "203.0.113.9");
  EXPECT_EQ(context["stats"]["loginsCount"], 7);
  EXPECT_EQ(context["accessToken"]["scope"], json({"openid", "email"}));

  Engine engine(testing::test_platform(), EngineOptions{});
  PipelineInput input{rule_user(stored_user()), context, json::object(), std::nullopt};
  auto result = run_pipeline(engine, {{"read", R"(function (user, context, callback) {
    context.idToken.summary = `${context.clientName}/${context.request.ip}/${user.identities[0].provider}`;
    callback(null, user, context);
  })"}},
                             {}, input);
  ASSERT_EQ(result.outcome, Outcome::ok);
  EXPECT_EQ(result.id_token_claims["summary"], "Web App/203.0.113.9/auth0");
}

}  // namespace
}  // namespace latchkey::rules
