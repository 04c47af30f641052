#include "oidc/userinfo.hpp"

#include <gtest/gtest.h>

#include "oauth/token_test_env.hpp"

namespace latchkey::oidc {
namespace {

class UserInfoTest : public testing::TokenTestEnv {
 protected:
  void SetUp() override {
    TokenTestEnv::SetUp();
    endpoint_ = std::make_unique<UserInfoEndpoint>(testing::kIssuer, *keyring_, store_->users(),
                                                   store_->revoked_tokens(), clock_);
  }

  oauth::IssuedToken token(std::vector<std::string> scopes, bool with_api = false) {
    oauth::AccessTokenSpec spec;
    spec.subject = testing::kUserId;
    spec.client_id = "web";
    spec.scopes = std::move(scopes);
    if (with_api) spec.resource_server = add_api();
    auto issued = issuer_->issue_access_token(spec);
    EXPECT_TRUE(issued.ok());
    return *issued;
  }

  http::Response get(const std::string& bearer) {
    http::Request request;
    request.method = http::Method::get;
    request.path = request.target = "/userinfo";
    if (!bearer.empty()) request.headers.set("Authorization", "Bearer " + bearer);
    return endpoint_->handle(request);
  }

  http::Response post(const std::string& body, const std::string& bearer = "") {
    auto request = form_post(body);
    request.path = request.target = "/userinfo";
    if (!bearer.empty()) request.headers.set("Authorization", "Bearer " + bearer);
    return endpoint_->handle(request);
  }

  static void expect_invalid_token(const http::Response& response) {
    EXPECT_EQ(response.status, 401) << response.body;
    const auto header = response.headers.get("WWW-Authenticate");
    ASSERT_TRUE(header.has_value());
    EXPECT_TRUE(header->starts_with("Bearer ")) << *header;
    EXPECT_NE(header->find("error=\"invalid_token\""), std::string_view::npos) << *header;
    EXPECT_NE(header->find("error_description=\""), std::string_view::npos) << *header;
  }

  std::unique_ptr<UserInfoEndpoint> endpoint_;
};

TEST_F(UserInfoTest, AGoodTokenInTheHeaderGivesClaimsByScope) {
  const auto response = get(token({"openid", "profile", "email"}).token);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["sub"], testing::kUserId);
  EXPECT_EQ(body["name"], "Ada Lovelace");
  EXPECT_EQ(body["nickname"], "ada");
  EXPECT_EQ(body["picture"], "https://img.example.com/ada.png");
  EXPECT_EQ(body["updated_at"], 1750000000);
  EXPECT_EQ(body["email"], "ada@example.com");
  EXPECT_EQ(body["email_verified"], true);
}

TEST_F(UserInfoTest, OnlyOpenIdGivesOnlySub) {
  const auto response = get(token({"openid"}).token);
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body), nlohmann::json({{"sub", testing::kUserId}}));
}

TEST_F(UserInfoTest, AnApiTokenWithOpenIdIsAlsoGoodHere) {
  const auto response = get(token({"openid", "email"}, true).token);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["email"], "ada@example.com");
}

TEST_F(UserInfoTest, ATokenInAPostBodyWorks) {
  const auto response = post("access_token=" + token({"openid", "email"}).token);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(nlohmann::json::parse(response.body)["email"], "ada@example.com");
}

TEST_F(UserInfoTest, ATokenInBothPlacesIsInvalidRequest) {
  const auto t = token({"openid"}).token;
  const auto response = post("access_token=" + t, t);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"], "invalid_request");
}

TEST_F(UserInfoTest, NoTokenIs401WithARealmAndNoError) {
  const auto response = get("");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Bearer realm=\"latchkey\"");
}

TEST_F(UserInfoTest, AnExpiredTokenIsInvalidToken) {
  const auto t = token({"openid"}).token;
  clock_.advance(std::chrono::seconds(86400 + 61));
  const auto response = get(t);
  expect_invalid_token(response);
  EXPECT_NE(response.headers.get("WWW-Authenticate")->find("expired"), std::string_view::npos);
}

TEST_F(UserInfoTest, AnApiOnlyTokenIsInvalidToken) {
  expect_invalid_token(get(token({"read:items"}, true).token));
}

TEST_F(UserInfoTest, ATokenSignedByARevokedKeyIsInvalidToken) {
  const auto t = token({"openid"}).token;
  const std::string kid = keyring_->snapshot()->signer(jose::Algorithm::rs256)->kid();
  ASSERT_TRUE(keyring_->rotate(jose::Algorithm::rs256).ok());
  ASSERT_EQ(get(t).status, 200) << "a previous key is still trusted";
  ASSERT_TRUE(keyring_->revoke(kid).ok());
  expect_invalid_token(get(t));
}

TEST_F(UserInfoTest, ARevokedJtiIsInvalidToken) {
  const auto issued = token({"openid"});
  ASSERT_TRUE(store_->revoked_tokens().revoke(issued.jti, issued.expires_at).ok());
  expect_invalid_token(get(issued.token));
}

TEST_F(UserInfoTest, AnIdTokenIsNotAnAccessToken) {
  oauth::IdTokenSpec spec{user(), "web", 36000, {"openid"}, clock_.now(), "", "", {}};
  auto id = issuer_->issue_id_token(spec);
  ASSERT_TRUE(id.ok());
  expect_invalid_token(get(id->token));
}

TEST_F(UserInfoTest, ATamperedOrGarbageTokenIsInvalidToken) {
  auto t = token({"openid"}).token;
  t[t.size() - 3] = t[t.size() - 3] == 'A' ? 'B' : 'A';
  expect_invalid_token(get(t));
  expect_invalid_token(get("not.a.jwt"));
  expect_invalid_token(get(std::string(20000, 'a')));
}

TEST_F(UserInfoTest, ATokenForADeletedOrBlockedUserIsInvalidToken) {
  const auto t = token({"openid"}).token;
  ASSERT_TRUE(store_->users().set_blocked(testing::kUserId, true).ok());
  expect_invalid_token(get(t));
  ASSERT_TRUE(store_->users().remove(testing::kUserId).ok());
  expect_invalid_token(get(t));
}

TEST_F(UserInfoTest, ATokenOfAnotherIssuerIsInvalidToken) {
  oauth::TokenIssuer other("https://other.example.com/", *keyring_, clock_, random_);
  oauth::AccessTokenSpec spec;
  spec.subject = testing::kUserId;
  spec.client_id = "web";
  spec.scopes = {"openid"};
  auto issued = other.issue_access_token(spec);
  ASSERT_TRUE(issued.ok());
  expect_invalid_token(get(issued->token));
}

}  // namespace
}  // namespace latchkey::oidc
