#include "oauth/grants/authorization_code_grant.hpp"

#include <gtest/gtest.h>

#include "oauth/pkce.hpp"
#include "oauth/token_endpoint_env.hpp"
#include "support/pkce_vectors.hpp"

namespace latchkey::oauth {
namespace {

using testing::decode_jwt;

using test::vectors::kRfc7636Challenge;
using test::vectors::kRfc7636Verifier;

class AuthorizationCodeGrantTest : public testing::TokenEndpointEnv {
 protected:
  void SetUp() override {
    TokenEndpointEnv::SetUp();
    add_client("web", "web-secret");
    auth_ = basic("web", "web-secret");
  }

  void expect_error(const http::Response& response, int status, const std::string& code) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(body_of(response)["error"], code) << response.body;
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
    EXPECT_EQ(response.headers.get("Pragma"), "no-cache");
  }

  std::string auth_;
};

TEST_F(AuthorizationCodeGrantTest, ACodeBuysAccessIdAndRefreshTokens) {
  add_api();
  const auto code = add_code("web", {"openid", "profile", "offline_access", "read:items"},
                             testing::kApiIdentifier, kRfc7636Challenge,
                             {{"access_token", {{"https://example.com/role", "admin"}}},
                              {"id_token", {{"https://example.com/team", "blue"}}}});
  const auto response = post(code_form(code, {{"code_verifier", kRfc7636Verifier}}), auth_);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(response.headers.get("Pragma"), "no-cache");
  const auto body = body_of(response);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 7200);
  EXPECT_EQ(body["scope"], "openid profile offline_access read:items");
  const auto access = decode_jwt(body["access_token"]);
  EXPECT_EQ(access.header["typ"], "at+jwt");
  EXPECT_EQ(access.claims["aud"],
            nlohmann::json::array({testing::kApiIdentifier, testing::kUserinfoAudience}));
  EXPECT_EQ(access.claims["https://example.com/role"], "admin");
  const auto id = decode_jwt(body["id_token"]);
  EXPECT_EQ(id.claims["aud"], "web");
  EXPECT_EQ(id.claims["nonce"], "n-0S6_WzA2Mj");
  EXPECT_EQ(id.claims["sid"], "session-digest");
  EXPECT_EQ(id.claims["name"], "Ada Lovelace");
  EXPECT_EQ(id.claims["https://example.com/team"], "blue");
  ASSERT_TRUE(body["refresh_token"].is_string());
  const auto stored =
      store_->refresh_tokens().find(crypto::sha256_hex(body["refresh_token"].get<std::string>()));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->client_id, "web");
  EXPECT_EQ(stored->user_id, testing::kUserId);
  EXPECT_EQ(stored->expires_at, clock_.now() + kRefreshTokenLifetime);
}

TEST_F(AuthorizationCodeGrantTest, AnEs256ClientGetsAnEs256IdTokenThatVerifiesWithTheJwks) {
  add_api();  // RS256 access tokens: the ID token's alg is the client's, not the API's
  set_id_token_alg("web", "ES256");
  const auto code = add_code("web", {"openid", "read:items"}, testing::kApiIdentifier);
  const auto response = post(code_form(code), auth_);
  ASSERT_EQ(response.status, 200) << response.body;
  const auto body = body_of(response);
  EXPECT_EQ(verified_alg(body["id_token"]), "ES256");
  EXPECT_EQ(decode_jwt(body["id_token"]).claims["aud"], "web");
  EXPECT_EQ(verified_alg(body["access_token"]), "RS256");
}

TEST_F(AuthorizationCodeGrantTest, NoOpenIdMeansNoIdTokenAndNoOfflineAccessNoRefreshToken) {
  add_api();
  const auto code = add_code("web", {"read:items"}, testing::kApiIdentifier);
  const auto body = body_of(post(code_form(code), auth_));
  EXPECT_TRUE(body.contains("access_token"));
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_FALSE(body.contains("refresh_token"));
}

TEST_F(AuthorizationCodeGrantTest, AnApiWithoutOfflineAccessGivesNoRefreshToken) {
  add_api("RS256", false);
  const auto code = add_code("web", {"openid", "offline_access"}, testing::kApiIdentifier);
  const auto response = post(code_form(code), auth_);
  ASSERT_EQ(response.status, 200);
  EXPECT_FALSE(body_of(response).contains("refresh_token"));
}

TEST_F(AuthorizationCodeGrantTest, ReplayIsInvalidGrantAndRevokesWhatTheFirstIssued) {
  add_api();
  const auto code = add_code("web", {"openid", "offline_access"}, testing::kApiIdentifier);
  const auto first = post(code_form(code), auth_);
  ASSERT_EQ(first.status, 200);
  const auto body = body_of(first);
  const std::string jti = decode_jwt(body["access_token"]).claims["jti"];
  const std::string refresh_digest = crypto::sha256_hex(body["refresh_token"].get<std::string>());
  EXPECT_FALSE(*store_->revoked_tokens().is_revoked(jti));

  clock_.advance(std::chrono::seconds(5));
  expect_error(post(code_form(code), auth_), 400, "invalid_grant");
  EXPECT_TRUE(*store_->revoked_tokens().is_revoked(jti));
  const auto refresh = store_->refresh_tokens().find(refresh_digest);
  ASSERT_TRUE(refresh.ok());
  EXPECT_TRUE(refresh->revoked_at.has_value());
}

TEST_F(AuthorizationCodeGrantTest, ExpiredCodeIsInvalidGrant) {
  const auto code = add_code("web", {"openid"});
  clock_.advance(std::chrono::seconds(61));
  expect_error(post(code_form(code), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, UnknownCodeIsInvalidGrant) {
  expect_error(post(code_form("never-issued"), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, RedirectUriMustBeIdentical) {
  const auto code = add_code("web", {"openid"});
  http::Params params{{"grant_type", "authorization_code"},
                      {"code", code},
                      {"redirect_uri", "https://app.example.com/callback/"}};
  expect_error(post(params.encode(), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, ACodeOfAnotherClientIsInvalidGrant) {
  add_client("other", "other-secret");
  const auto code = add_code("other", {"openid"});
  expect_error(post(code_form(code), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, MissingVerifierForAChallengedCodeIsInvalidRequest) {
  const auto code = add_code("web", {"openid"}, "", kRfc7636Challenge);
  expect_error(post(code_form(code), auth_), 400, "invalid_request");
}

TEST_F(AuthorizationCodeGrantTest, WrongVerifierIsInvalidGrant) {
  const auto code = add_code("web", {"openid"}, "", kRfc7636Challenge);
  const std::string wrong(43, 'x');
  expect_error(post(code_form(code, {{"code_verifier", wrong}}), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, AVerifierWithoutAChallengeIsInvalidGrant) {
  const auto code = add_code("web", {"openid"});
  expect_error(post(code_form(code, {{"code_verifier", kRfc7636Verifier}}), auth_), 400,
               "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, PublicClientNeedsPkce) {
  add_client("spa", "", "none");
  const auto without = add_code("spa", {"openid"});
  http::Params id{{"client_id", "spa"}};
  expect_error(post(code_form(without, id)), 400, "invalid_grant");
  const auto with = add_code("spa", {"openid"}, "", kRfc7636Challenge);
  const auto response =
      post(code_form(with, {{"client_id", "spa"}, {"code_verifier", kRfc7636Verifier}}));
  EXPECT_EQ(response.status, 200) << response.body;
}

TEST_F(AuthorizationCodeGrantTest, MissingCodeOrRedirectUriIsInvalidRequest) {
  expect_error(post("grant_type=authorization_code&redirect_uri=x", auth_), 400, "invalid_request");
  const auto code = add_code("web", {"openid"});
  expect_error(post("grant_type=authorization_code&code=" + code, auth_), 400, "invalid_request");
}

TEST_F(AuthorizationCodeGrantTest, ABlockedUserGetsNoTokens) {
  ASSERT_TRUE(store_->users().set_blocked(testing::kUserId, true).ok());
  const auto code = add_code("web", {"openid"});
  expect_error(post(code_form(code), auth_), 400, "invalid_grant");
}

TEST_F(AuthorizationCodeGrantTest, ARepeatedCodeParameterIsInvalidRequest) {
  const auto code = add_code("web", {"openid"});
  expect_error(post(code_form(code, {{"code", code}}), auth_), 400, "invalid_request");
}

}  // namespace
}  // namespace latchkey::oauth
