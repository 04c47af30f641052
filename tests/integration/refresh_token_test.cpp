// grant_type=refresh_token with rotation and reuse detection (RFC 9700 §4.14.2) through the real
// binary: a user logs in with offline_access to an API that allows it, the app refreshes twice
// (each time a new refresh token, a verifiable access token, a narrower scope when asked), and
// a replay of the first refresh token revokes the whole family.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/live_server.hpp"
#include "jose/jws.hpp"
#include "jose/key_set.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kApi = "https://notes.example.com/";
constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kEmail = "ada@example.com";
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kScope = "openid profile offline_access read:notes write:notes";

class RefreshTokenFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kApi, "--name", "Notes", "--scope",
                  "read:notes=Read notes", "--scope", "write:notes=Write notes",
                  "--allow-offline-access"});
    web_ = server_->create_client("Web", "regular_web", {kCallback});
    server_->create_user(kEmail, kPassword);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  /// Logs in through the hosted pages and redeems the code; returns the token response body.
  static nlohmann::json log_in() {
    Browser browser(server_->port());
    const auto done = walk(browser, *server_,
                           authorize_url({{"response_type", "code"},
                                          {"client_id", web_.id},
                                          {"redirect_uri", kCallback},
                                          {"scope", kScope},
                                          {"audience", kApi},
                                          {"state", "s1"},
                                          {"code_challenge", kPkceChallenge},
                                          {"code_challenge_method", "S256"}}),
                           {kEmail, kPassword, true});
    const auto code = query_param(done.location, "code");
    EXPECT_TRUE(code.has_value()) << done.location;
    if (!code) return nullptr;
    const auto response = redeem_code(browser, web_, *code, kCallback);
    EXPECT_TRUE(response && response->status == 200) << (response ? response->body : "");
    return body_of(response);
  }

  static std::optional<RawResponse> refresh(const std::string& token,
                                            const std::string& scope = "") {
    std::map<std::string, std::string> fields{{"grant_type", "refresh_token"},
                                              {"refresh_token", token}};
    if (!scope.empty()) fields["scope"] = scope;
    Browser browser(server_->port());
    return token_request(browser, fields, {basic_authorization(web_.id, web_.secret)});
  }

  static nlohmann::json body_of(const std::optional<RawResponse>& response) {
    if (!response) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  /// The verified claims of a token signed by the server's published keys.
  static nlohmann::json verified_claims(const std::string& token) {
    Browser browser(server_->port());
    const auto jwks = browser.get("/.well-known/jwks.json");
    EXPECT_TRUE(jwks && jwks->status == 200);
    if (!jwks) return nullptr;
    jose::KeySet keys;
    EXPECT_TRUE(keys.add_jwks(jwks->body).ok());
    const auto verified = jose::verify(token, keys);
    EXPECT_TRUE(verified.ok());
    if (!verified.ok()) return nullptr;
    return nlohmann::json::parse(verified->payload);
  }

  static void expect_invalid_grant(const std::optional<RawResponse>& response) {
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400) << response->body;
    EXPECT_EQ(json_error(response), "invalid_grant") << response->body;
    EXPECT_EQ(response->header("Cache-Control"), "no-store");
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient web_;
};

TEST_F(RefreshTokenFlow, RefreshesRotateAndAReplayRevokesTheWholeFamily) {
  const auto login = log_in();
  ASSERT_TRUE(login.is_object());
  ASSERT_TRUE(login["refresh_token"].is_string()) << login.dump();
  const std::string first = login["refresh_token"];

  // First refresh: everything originally granted, a new refresh token and a fresh ID token.
  const auto one = refresh(first);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_EQ(one->header("Cache-Control"), "no-store");
  const auto one_body = body_of(one);
  EXPECT_EQ(one_body["token_type"], "Bearer");
  EXPECT_EQ(one_body["scope"], kScope);
  ASSERT_TRUE(one_body["refresh_token"].is_string());
  const std::string second = one_body["refresh_token"];
  EXPECT_NE(second, first);
  const auto access = verified_claims(one_body["access_token"]);
  EXPECT_EQ(access["iss"], server_->issuer());
  EXPECT_EQ(access["azp"], web_.id);
  EXPECT_EQ(access["aud"], nlohmann::json::array({kApi, server_->issuer() + "userinfo"}));
  ASSERT_TRUE(one_body["id_token"].is_string());
  const auto id = verified_claims(one_body["id_token"]);
  EXPECT_EQ(id["aud"], web_.id);
  EXPECT_EQ(id["sub"], access["sub"]);
  EXPECT_FALSE(id.contains("nonce"));

  // Second refresh, narrowed: only what is asked for, and yet another refresh token.
  const auto two = refresh(second, "read:notes");
  ASSERT_TRUE(two);
  ASSERT_EQ(two->status, 200) << two->body;
  const auto two_body = body_of(two);
  EXPECT_EQ(two_body["scope"], "read:notes");
  EXPECT_FALSE(two_body.contains("id_token"));
  EXPECT_EQ(verified_claims(two_body["access_token"])["scope"], "read:notes");
  EXPECT_EQ(verified_claims(two_body["access_token"])["aud"], kApi);
  ASSERT_TRUE(two_body["refresh_token"].is_string());
  const std::string third = two_body["refresh_token"];
  EXPECT_NE(third, second);
  EXPECT_NE(third, first);

  // A replay of the first token: refused, and the latest token of the family dies with it.
  expect_invalid_grant(refresh(first));
  expect_invalid_grant(refresh(third));
  expect_invalid_grant(refresh(second));

  // Only digests are stored and nothing secret is logged.
  const std::string log = server_->settled_log();
  for (const auto& token : {first, second, third}) {
    EXPECT_EQ(log.find(token), std::string::npos) << "a refresh token reached the log";
  }
}

TEST_F(RefreshTokenFlow, AWiderScopeIsInvalidScopeAndTheTokenStillWorks) {
  const auto login = log_in();
  ASSERT_TRUE(login.is_object() && login["refresh_token"].is_string());
  const auto wider = refresh(login["refresh_token"], "read:notes delete:notes");
  ASSERT_TRUE(wider);
  EXPECT_EQ(wider->status, 400) << wider->body;
  EXPECT_EQ(json_error(wider), "invalid_scope");
  const auto again = refresh(login["refresh_token"]);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
}

TEST_F(RefreshTokenFlow, AnUnknownRefreshTokenIsInvalidGrant) {
  expect_invalid_grant(refresh("not-a-token-latchkey-issued"));
}

}  // namespace
}  // namespace latchkey::testing
