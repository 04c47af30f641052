#include "oauth/grants/refresh_token_grant.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "oauth/grants/authorization_code_grant.hpp"
#include "oauth/login_pipeline.hpp"
#include "oauth/token_endpoint.hpp"
#include "oauth/token_test_env.hpp"

namespace latchkey::oauth {
namespace {

using testing::decode_jwt;

const std::vector<std::string> kOriginalScopes = {"openid", "profile", "offline_access",
                                                  "read:items", "write:items"};

// Rules and actions as the refresh grant sees them: off until a test enables them, then it
// answers `outcome` and records what it was asked.
class FakeRules final : public LoginPipeline {
 public:
  bool empty() override { return !enabled; }
  LoginPipelineOutcome run(const model::User& user, const model::Client& client,
                           const LoginPipelineFacts& facts) override {
    ++runs;
    seen_user = user.user_id;
    seen_client = client.client_id;
    seen = facts;
    return outcome;
  }

  bool enabled = false;
  LoginPipelineOutcome outcome;
  int runs = 0;
  std::string seen_user;
  std::string seen_client;
  LoginPipelineFacts seen;
};

// The token endpoint as the server wires it: client auth, the code grant and the refresh grant.
class RefreshTokenGrantTest : public testing::TokenTestEnv {
 protected:
  void SetUp() override {
    TokenTestEnv::SetUp();
    std::vector<std::unique_ptr<Grant>> grants;
    grants.push_back(std::make_unique<AuthorizationCodeGrant>(*store_, *issuer_, random_));
    grants.push_back(std::make_unique<RefreshTokenGrant>(*store_, *issuer_, random_, &rules_));
    endpoint_ = std::make_unique<TokenEndpoint>(store_->clients(), clock_, std::move(grants));
    add_client("web", "web-secret");
    add_api();
  }

  /// Stores a refresh token as the code grant would have issued it; returns it in the clear.
  std::string add_refresh(const std::string& client_id = "web",
                          std::vector<std::string> scopes = kOriginalScopes) {
    const std::string token = "rt-" + crypto::random_hex(random_, 16);
    model::RefreshToken record;
    record.token_digest = crypto::sha256_hex(token);
    record.family_id = "family-" + crypto::random_hex(random_, 8);
    record.client_id = client_id;
    record.user_id = testing::kUserId;
    record.audience = testing::kApiIdentifier;
    record.scopes = std::move(scopes);
    record.session_id = "session-digest";
    record.created_at = clock_.now();
    record.expires_at = clock_.now() + std::chrono::hours(24);
    EXPECT_TRUE(store_->refresh_tokens().create(record).ok());
    return token;
  }

  http::Response refresh(const std::string& token, const std::string& scope = "",
                         const std::string& client = "web", const std::string& secret = "") {
    http::Params form{{"grant_type", "refresh_token"}, {"refresh_token", token}};
    if (!scope.empty()) form.add("scope", scope);
    const std::string auth = client == "web" ? basic("web", "web-secret") : "";
    if (client != "web") form.add("client_id", client);
    if (!secret.empty()) form.add("client_secret", secret);
    auto request = form_post(form.encode(), auth);
    request.remote_address = "203.0.113.7";
    request.headers.set("User-Agent", "refresh-test/1.0");
    return endpoint_->handle(request);
  }

  static nlohmann::json body_of(const http::Response& response) {
    return nlohmann::json::parse(response.body);
  }

  static void expect_error(const http::Response& response, const std::string& code) {
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(body_of(response)["error"], code) << response.body;
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  }

  model::RefreshToken stored(const std::string& token) {
    auto found = store_->refresh_tokens().find(crypto::sha256_hex(token));
    EXPECT_TRUE(found.ok());
    return found.ok() ? *found : model::RefreshToken{};
  }

  FakeRules rules_;
  std::unique_ptr<TokenEndpoint> endpoint_;
};

TEST_F(RefreshTokenGrantTest, ARefreshTokenBuysNewAccessIdAndRefreshTokens) {
  const auto token = add_refresh();
  const auto response = refresh(token);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  const auto body = body_of(response);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 7200);
  EXPECT_EQ(body["scope"], "openid profile offline_access read:items write:items");
  const auto access = decode_jwt(body["access_token"]);
  EXPECT_EQ(access.header["typ"], "at+jwt");
  EXPECT_EQ(access.claims["sub"], testing::kUserId);
  EXPECT_EQ(access.claims["aud"],
            nlohmann::json::array({testing::kApiIdentifier, testing::kUserinfoAudience}));
  const auto id = decode_jwt(body["id_token"]);
  EXPECT_EQ(id.claims["aud"], "web");
  EXPECT_EQ(id.claims["sub"], testing::kUserId);
  EXPECT_EQ(id.claims["name"], "Ada Lovelace");
  EXPECT_FALSE(id.claims.contains("nonce"));
  ASSERT_TRUE(body["refresh_token"].is_string());
  EXPECT_NE(body["refresh_token"], token);
}

TEST_F(RefreshTokenGrantTest, AnEs256ClientGetsAnEs256IdTokenThatVerifiesWithTheJwks) {
  set_id_token_alg("web", "ES256");
  const auto response = refresh(add_refresh());
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = body_of(response);
  EXPECT_EQ(verified_alg(body["id_token"]), "ES256");
  EXPECT_EQ(verified_alg(body["access_token"]), "RS256");
}

TEST_F(RefreshTokenGrantTest, TheRotatedTokenJoinsTheFamilyWithTheOriginalGrant) {
  const auto token = add_refresh();
  const auto parent = stored(token);
  const auto response = refresh(token, "read:items");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto child = stored(body_of(response)["refresh_token"]);
  EXPECT_EQ(child.family_id, parent.family_id);
  EXPECT_EQ(child.parent_digest, parent.token_digest);
  EXPECT_EQ(child.scopes, kOriginalScopes);
  EXPECT_EQ(child.audience, testing::kApiIdentifier);
  EXPECT_EQ(child.expires_at, parent.expires_at);
}

TEST_F(RefreshTokenGrantTest, AUsedTokenCannotBeUsedAgain) {
  const auto token = add_refresh();
  ASSERT_EQ(refresh(token).status, 200);
  expect_error(refresh(token), "invalid_grant");
}

TEST_F(RefreshTokenGrantTest, ReusedTokenRevokesWholeFamily) {
  const auto first = add_refresh();
  const auto second_response = refresh(first);
  ASSERT_EQ(second_response.status, 200);
  const std::string second = body_of(second_response)["refresh_token"];
  const auto third_response = refresh(second);
  ASSERT_EQ(third_response.status, 200);
  const std::string third = body_of(third_response)["refresh_token"];

  expect_error(refresh(first), "invalid_grant");
  expect_error(refresh(third), "invalid_grant");
  for (const auto& token : {first, second, third}) {
    EXPECT_TRUE(stored(token).revoked_at.has_value());
  }
}

TEST_F(RefreshTokenGrantTest, NarrowerScopeIsGrantedAndLaterRefreshesMayWidenBackToTheOriginal) {
  const auto token = add_refresh();
  const auto narrowed = refresh(token, "read:items");
  ASSERT_EQ(narrowed.status, 200) << narrowed.body;
  const auto body = body_of(narrowed);
  EXPECT_EQ(body["scope"], "read:items");
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_EQ(decode_jwt(body["access_token"]).claims["scope"], "read:items");
  EXPECT_EQ(decode_jwt(body["access_token"]).claims["aud"], testing::kApiIdentifier);

  const auto widened = refresh(body["refresh_token"], "openid write:items");
  ASSERT_EQ(widened.status, 200) << widened.body;
  EXPECT_EQ(body_of(widened)["scope"], "openid write:items");
  EXPECT_TRUE(body_of(widened).contains("id_token"));
}

TEST_F(RefreshTokenGrantTest, WiderScopeIsInvalidScopeAndLeavesTheTokenUsable) {
  const auto token = add_refresh();
  expect_error(refresh(token, "read:items delete:items"), "invalid_scope");
  EXPECT_EQ(refresh(token).status, 200);
}

TEST_F(RefreshTokenGrantTest, UnknownExpiredRevokedAndForeignTokensAreInvalidGrant) {
  expect_error(refresh("no-such-token"), "invalid_grant");

  const auto expiring = add_refresh();
  clock_.advance(std::chrono::hours(24));
  expect_error(refresh(expiring), "invalid_grant");

  const auto revoked = add_refresh();
  ASSERT_TRUE(store_->refresh_tokens().revoke_family(stored(revoked).family_id, clock_.now()).ok());
  expect_error(refresh(revoked), "invalid_grant");

  add_client("other", "other-secret", "client_secret_post");
  const auto foreign = add_refresh();
  expect_error(refresh(foreign, "", "other", "other-secret"), "invalid_grant");
  // Presenting it from the wrong client neither spends nor revokes it.
  EXPECT_EQ(refresh(foreign).status, 200);
}

TEST_F(RefreshTokenGrantTest, ABlockedUserGetsInvalidGrant) {
  const auto token = add_refresh();
  ASSERT_TRUE(store_->users().set_blocked(testing::kUserId, true).ok());
  expect_error(refresh(token), "invalid_grant");
  ASSERT_TRUE(store_->users().set_blocked(testing::kUserId, false).ok());
  EXPECT_EQ(refresh(token).status, 200);
}

TEST_F(RefreshTokenGrantTest, ADeletedUserGetsInvalidGrant) {
  const auto token = add_refresh();
  ASSERT_TRUE(store_->users().remove(testing::kUserId).ok());
  expect_error(refresh(token), "invalid_grant");
}

TEST_F(RefreshTokenGrantTest, AClientWithoutTheRefreshGrantTypeIsUnauthorizedClient) {
  model::Client client = add_client("cc", "cc-secret", "client_secret_post");
  // add_client allows refresh_token; take it away again.
  ASSERT_TRUE(store_->clients().remove("cc").ok());
  client.grant_types = {"authorization_code"};
  ASSERT_TRUE(store_->clients().create(client).ok());
  const auto token = add_refresh("cc");
  expect_error(refresh(token, "", "cc", "cc-secret"), "unauthorized_client");
}

TEST_F(RefreshTokenGrantTest, APublicClientRefreshesWithItsClientIdAlone) {
  add_client("spa", "", "none");
  const auto token = add_refresh("spa");
  const auto response = refresh(token, "", "spa");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_TRUE(body_of(response)["refresh_token"].is_string());
}

TEST_F(RefreshTokenGrantTest, AMissingRefreshTokenIsInvalidRequest) {
  expect_error(refresh(""), "invalid_request");
}

TEST_F(RefreshTokenGrantTest, TheIdTokenCarriesTheSessionsAuthTime) {
  model::Session session;
  session.id_digest = "session-digest";
  session.user_id = testing::kUserId;
  session.auth_time = clock_.now() - std::chrono::minutes(5);
  session.created_at = session.auth_time;
  session.expires_at = clock_.now() + std::chrono::hours(1);
  session.last_seen_at = clock_.now();
  ASSERT_TRUE(store_->sessions().create(session).ok());
  const auto token = add_refresh();
  clock_.advance(std::chrono::minutes(10));
  const auto response = refresh(token);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto id = decode_jwt(body_of(response)["id_token"]);
  EXPECT_EQ(id.claims["auth_time"], to_unix_seconds(session.auth_time));
  EXPECT_EQ(id.claims["sid"], "session-digest");
}

// The session is gone (logged out, or expired and swept), yet every refreshed ID token of the
// family still carries the login's auth_time, which the code handed to the refresh token.
TEST_F(RefreshTokenGrantTest, RefreshedIdTokensKeepTheLoginsAuthTimeWithoutTheSession) {
  const TimePoint login = clock_.now() - std::chrono::seconds(30);  // add_code's auth_time
  const auto code = add_code("web", kOriginalScopes, testing::kApiIdentifier);
  const http::Params exchange{{"grant_type", "authorization_code"},
                              {"code", code},
                              {"redirect_uri", testing::kRedirectUri}};
  const auto exchanged =
      endpoint_->handle(form_post(exchange.encode(), basic("web", "web-secret")));
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  std::string token = body_of(exchanged)["refresh_token"];
  ASSERT_FALSE(store_->sessions().find("session-digest").ok());
  for (int rotation = 0; rotation < 2; ++rotation) {
    clock_.advance(std::chrono::minutes(10));
    const auto response = refresh(token);
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(decode_jwt(body_of(response)["id_token"]).claims["auth_time"],
              to_unix_seconds(login));
    token = body_of(response)["refresh_token"];
  }
}

TEST(RefreshScopes, EmptyRequestKeepsEveryGrantedScope) {
  const auto scopes = refresh_scopes({}, {"openid", "read:items"});
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(*scopes, (std::vector<std::string>{"openid", "read:items"}));
}

TEST(RefreshScopes, ScopeBeyondTheGrantIsNamedInTheError) {
  const auto scopes = refresh_scopes({"read:items", "admin"}, {"openid", "read:items"});
  ASSERT_FALSE(scopes.ok());
  EXPECT_EQ(scopes.error().code, "invalid_scope");
  EXPECT_NE(scopes.error().description.find("admin"), std::string::npos);
}

TEST_F(RefreshTokenGrantTest, NoRuleEnabledRunsNothing) {
  ASSERT_EQ(refresh(add_refresh()).status, 200);
  EXPECT_EQ(rules_.runs, 0);
}

TEST_F(RefreshTokenGrantTest, TheRulesRunAgainAndTheirClaimsGoIntoTheRefreshedTokens) {
  rules_.enabled = true;
  rules_.outcome.extra_claims = {{"id_token", {{"https://example.com/roles", {"admin"}}}},
                                 {"access_token", {{"https://example.com/tier", "gold"}}}};
  const auto token = add_refresh();
  const auto response = refresh(token, "openid read:items");
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = body_of(response);
  const auto access = decode_jwt(body["access_token"]).claims;
  const auto id = decode_jwt(body["id_token"]).claims;
  EXPECT_EQ(access["https://example.com/tier"], "gold");
  EXPECT_FALSE(access.contains("https://example.com/roles"));
  EXPECT_EQ(id["https://example.com/roles"], nlohmann::json::array({"admin"}));
  EXPECT_FALSE(id.contains("https://example.com/tier"));

  // Auth0's context for the exchange: its protocol, the caller, the refreshed grant.
  EXPECT_EQ(rules_.runs, 1);
  EXPECT_EQ(rules_.seen.protocol, "oauth2-refresh-token");
  EXPECT_EQ(rules_.seen_user, testing::kUserId);
  EXPECT_EQ(rules_.seen_client, "web");
  EXPECT_EQ(rules_.seen.ip, "203.0.113.7");
  EXPECT_EQ(rules_.seen.user_agent, "refresh-test/1.0");
  EXPECT_EQ(rules_.seen.scopes, (std::vector<std::string>{"openid", "read:items"}));
  EXPECT_EQ(rules_.seen.audience, testing::kApiIdentifier);
  EXPECT_EQ(rules_.seen.session_id, "session-digest");
  // The body holds the refresh token and perhaps the client's secret: the scripts see none of it.
  EXPECT_EQ(rules_.seen.query, nlohmann::json::object());

  // Each exchange runs them again: the claims are the latest run's.
  rules_.outcome.extra_claims = nlohmann::json::object();
  const auto again = refresh(body["refresh_token"]);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(rules_.runs, 2);
  EXPECT_FALSE(
      decode_jwt(body_of(again)["access_token"]).claims.contains("https://example.com/tier"));
}

TEST_F(RefreshTokenGrantTest, ADenialIsAccessDeniedWithTheRulesWordsAndSpendsNothing) {
  rules_.enabled = true;
  rules_.outcome.kind = LoginPipelineOutcome::Kind::denied;
  rules_.outcome.description = "Your subscription has ended";
  const auto token = add_refresh();
  const auto denied = refresh(token);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_EQ(body_of(denied)["error"], "access_denied");
  EXPECT_EQ(body_of(denied)["error_description"], "Your subscription has ended");
  EXPECT_EQ(denied.headers.get("Cache-Control"), "no-store");
  EXPECT_FALSE(stored(token).revoked_at.has_value());

  // Once the rules allow it again, the same token works: the denial neither spent nor revoked it.
  rules_.outcome = LoginPipelineOutcome{};
  EXPECT_EQ(refresh(token).status, 200);
}

TEST_F(RefreshTokenGrantTest, AFailedRuleOrARedirectIsAccessDenied) {
  rules_.enabled = true;
  const auto token = add_refresh();
  rules_.outcome.kind = LoginPipelineOutcome::Kind::failed;
  rules_.outcome.description = "Login was stopped by a rule";
  const auto failed = refresh(token);
  EXPECT_EQ(failed.status, 403) << failed.body;
  EXPECT_EQ(body_of(failed)["error"], "access_denied");
  EXPECT_EQ(body_of(failed)["error_description"], "Login was stopped by a rule");

  // A token request cannot follow a redirect (Auth0 answers it with an error too).
  rules_.outcome.kind = LoginPipelineOutcome::Kind::redirect;
  rules_.outcome.redirect_url = "https://mfa.example.com/";
  const auto redirected = refresh(token);
  EXPECT_EQ(redirected.status, 403) << redirected.body;
  EXPECT_EQ(body_of(redirected)["error"], "access_denied");
  EXPECT_EQ(redirected.body.find("mfa.example.com"), std::string::npos);
  EXPECT_EQ(rules_.runs, 2);

  rules_.outcome = LoginPipelineOutcome{};
  EXPECT_EQ(refresh(token).status, 200);
}

TEST(RequestedGrantType, ReadsTheFormsGrantTypeAndNothingElse) {
  http::Request request;
  request.method = http::Method::post;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = "grant_type=refresh_token&refresh_token=x";
  EXPECT_EQ(requested_grant_type(request), "refresh_token");
  request.body = "refresh_token=x";
  EXPECT_EQ(requested_grant_type(request), "");
  request.body = "grant_type=%zz";
  EXPECT_EQ(requested_grant_type(request), "");
  request.headers.set("Content-Type", "application/json");
  request.body = R"({"grant_type":"refresh_token"})";
  EXPECT_EQ(requested_grant_type(request), "");
}

}  // namespace
}  // namespace latchkey::oauth
