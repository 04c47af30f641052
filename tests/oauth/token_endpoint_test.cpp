#include "oauth/token_endpoint.hpp"

#include <gtest/gtest.h>

#include "oauth/token_endpoint_env.hpp"

namespace latchkey::oauth {
namespace {

class TokenEndpointTest : public testing::TokenEndpointEnv {
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

TEST_F(TokenEndpointTest, ANonFormContentTypeIsInvalidRequest) {
  auto request = form_post(code_form("c"), auth_);
  request.headers.set("Content-Type", "application/json");
  expect_error(endpoint_->handle(request), 400, "invalid_request");
  request.headers.remove("Content-Type");
  expect_error(endpoint_->handle(request), 400, "invalid_request");
}

TEST_F(TokenEndpointTest, AMalformedBodyIsInvalidRequest) {
  expect_error(post("grant_type=authorization_code&code=%zz", auth_), 400, "invalid_request");
  expect_error(post("grant_type=authorization_code&code=%00", auth_), 400, "invalid_request");
}

TEST_F(TokenEndpointTest, MissingGrantTypeIsInvalidRequest) {
  expect_error(post("code=abc", auth_), 400, "invalid_request");
}

TEST_F(TokenEndpointTest, ARepeatedParameterIsInvalidRequest) {
  expect_error(post("grant_type=authorization_code&grant_type=authorization_code", auth_), 400,
               "invalid_request");
  expect_error(post(code_form("c", {{"redirect_uri", "https://evil.example/"}}), auth_), 400,
               "invalid_request");
}

TEST_F(TokenEndpointTest, AnUnknownGrantTypeIsUnsupportedGrantType) {
  expect_error(post("grant_type=password&username=a&password=b", auth_), 400,
               "unsupported_grant_type");
}

TEST_F(TokenEndpointTest, AClientNotAllowedTheGrantIsUnauthorizedClient) {
  model::Client m2m;
  m2m.client_id = "m2m";
  m2m.secret_digest = crypto::sha256_hex("m2m-secret");
  m2m.grant_types = {"client_credentials"};
  ASSERT_TRUE(store_->clients().create(m2m).ok());
  const auto code = add_code("m2m", {"openid"});
  expect_error(post(code_form(code), basic("m2m", "m2m-secret")), 400, "unauthorized_client");
}

TEST_F(TokenEndpointTest, WrongSecretIs401WithWwwAuthenticate) {
  const auto response = post(code_form("c"), basic("web", "nope"));
  expect_error(response, 401, "invalid_client");
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Basic realm=\"latchkey\"");
}

TEST_F(TokenEndpointTest, SuccessIsNotCachedAndTheHandlerAnswersLikeHandle) {
  const auto code = add_code("web", {"openid"});
  const http::Handler handler = endpoint_->handler();
  const auto response = handler(form_post(code_form(code), auth_));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(response.headers.get("Pragma"), "no-cache");
  EXPECT_EQ(response.headers.get("Content-Type"), "application/json");
  const auto body = body_of(response);
  EXPECT_TRUE(body.contains("id_token"));
  EXPECT_EQ(body["scope"], "openid");
}

TEST_F(TokenEndpointTest, ResponsesNeverEchoTheSecretOrTheCode) {
  const auto code = add_code("web", {"openid"});
  const auto first = post(code_form(code), auth_);
  const auto replay = post(code_form(code), auth_);
  const auto bad_secret = post(code_form(code), basic("web", "web-secret-typo"));
  for (const auto* response : {&first, &replay, &bad_secret}) {
    EXPECT_EQ(response->body.find(code), std::string::npos);
    EXPECT_EQ(response->body.find("web-secret"), std::string::npos);
  }
}

// The body is written as text; it must stay what nlohmann::json wrote for it before.
TEST(TokenResponseBody, IsByteForByteTheJsonOfItsMembersSortedByName) {
  TokenResponse full;
  full.access_token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln";
  full.expires_in = 86400;
  full.id_token = "eyJ0eXAiOiJKV1QifQ.e30.c2ln";
  full.refresh_token = "v1.r\"ef\\resh";
  full.scope = "openid profile";
  EXPECT_EQ(to_json_text(full), nlohmann::json({{"access_token", full.access_token},
                                                {"token_type", "Bearer"},
                                                {"expires_in", 86400},
                                                {"id_token", *full.id_token},
                                                {"refresh_token", *full.refresh_token},
                                                {"scope", full.scope}})
                                    .dump());
  TokenResponse bare;
  bare.access_token = "at";
  bare.expires_in = 60;
  EXPECT_EQ(to_json_text(bare), R"({"access_token":"at","expires_in":60,"token_type":"Bearer"})");
}

TEST(TokenEndpointConstruction, TwoGrantsForOneTypeIsAStartUpBug) {
  struct Fake final : Grant {
    std::string_view grant_type() const override { return "x"; }
    Result<TokenResponse, OAuthError> handle(const TokenRequest&) override {
      return TokenResponse{};
    }
  };
  std::vector<std::unique_ptr<Grant>> grants;
  grants.push_back(std::make_unique<Fake>());
  grants.push_back(std::make_unique<Fake>());
  class NoClients final : public store::ClientStore {
    store::StoreResult<void> create(const model::Client&) override { return {}; }
    store::StoreResult<model::Client> find(std::string_view) override {
      return fail(store::StoreError::not_found);
    }
    store::StoreResult<std::vector<model::Client>> list() override {
      return std::vector<model::Client>{};
    }
    store::StoreResult<void> set_secret_digest(std::string_view, std::string_view) override {
      return {};
    }
    store::StoreResult<void> update(const model::Client&) override { return {}; }
    store::StoreResult<void> remove(std::string_view) override { return {}; }
  } clients;
  ManualClock clock(from_unix_seconds(0));
  EXPECT_THROW(TokenEndpoint(clients, clock, std::move(grants)), std::invalid_argument);
}

}  // namespace
}  // namespace latchkey::oauth
