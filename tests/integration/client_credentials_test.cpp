// grant_type=client_credentials (RFC 6749 §4.4) through the real binary, provisioned with the CLI
// as an operator would: a machine-to-machine client, an API and a client grant. The token is
// checked against the server's own /.well-known/jwks.json.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "integration/live_server.hpp"
#include "jose/jws.hpp"
#include "jose/key_set.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kApi = "https://m2m.example.com/";
constexpr const char* kUngrantedApi = "https://other.example.com/";

class ClientCredentials : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kApi, "--name", "M2M", "--scope",
                  "read:messages=Read", "--scope", "write:messages=Write", "--scope", "admin=Admin",
                  "--token-lifetime", "900", "--signing-alg", "ES256"});
    server_->cli({"apis", "create", "--identifier", kUngrantedApi, "--name", "Other"});
    worker_ = server_->create_client("Worker", "non_interactive", {});
    web_ = server_->create_client("Web", "regular_web", {"https://app.example.com/cb"},
                                  {"--grant-types", "authorization_code"});
    for (const auto* client : {&worker_, &web_}) {
      server_->cli({"client-grants", "create", "--client-id", client->id, "--audience", kApi,
                    "--scope", "read:messages write:messages"});
    }
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  static std::optional<RawResponse> token(std::map<std::string, std::string> fields,
                                          const std::vector<std::string>& headers = {}) {
    fields["grant_type"] = "client_credentials";
    Browser browser(server_->port());
    return token_request(browser, fields, headers);
  }

  // The worker is non_interactive: Auth0 makes those client_secret_post.
  static std::optional<RawResponse> worker_token(std::map<std::string, std::string> fields) {
    fields["client_id"] = worker_.id;
    fields["client_secret"] = worker_.secret;
    return token(std::move(fields));
  }

  static nlohmann::json body_of(const std::optional<RawResponse>& response) {
    if (!response) return nullptr;
    return nlohmann::json::parse(response->body, nullptr, false);
  }

  static void expect_error(const std::optional<RawResponse>& response, int status,
                           const std::string& code) {
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, status) << response->body;
    EXPECT_EQ(json_error(response), code) << response->body;
    EXPECT_EQ(response->header("Cache-Control"), "no-store");
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient worker_;
  static inline LiveClient web_;
};

TEST_F(ClientCredentials, AWorkerGetsASignedTokenForTheApiItIsGranted) {
  const auto response = worker_token({{"audience", kApi}});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(response->header("Cache-Control"), "no-store");
  const auto body = body_of(response);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 900);
  EXPECT_EQ(body["scope"], "read:messages write:messages");
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_FALSE(body.contains("refresh_token"));

  Browser browser(server_->port());
  const auto jwks = browser.get("/.well-known/jwks.json");
  ASSERT_TRUE(jwks && jwks->status == 200);
  jose::KeySet keys;
  ASSERT_TRUE(keys.add_jwks(jwks->body).ok());
  const auto verified = jose::verify(body["access_token"].get<std::string>(), keys);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified->header["typ"], "at+jwt");
  EXPECT_EQ(verified->header["alg"], "ES256");
  const auto claims = nlohmann::json::parse(verified->payload);
  EXPECT_EQ(claims["iss"], server_->issuer());
  EXPECT_EQ(claims["sub"], worker_.id + "@clients");
  EXPECT_EQ(claims["aud"], kApi);
  EXPECT_EQ(claims["azp"], worker_.id);
  EXPECT_EQ(claims["gty"], "client-credentials");
  EXPECT_EQ(claims["scope"], "read:messages write:messages");
  EXPECT_EQ(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>(), 900);
}

TEST_F(ClientCredentials, ANarrowerScopeIsIssuedAndAWiderOneIsInvalidScope) {
  const auto narrow = worker_token({{"audience", kApi}, {"scope", "read:messages"}});
  ASSERT_TRUE(narrow);
  EXPECT_EQ(narrow->status, 200) << narrow->body;
  EXPECT_EQ(body_of(narrow)["scope"], "read:messages");
  expect_error(worker_token({{"audience", kApi}, {"scope", "read:messages admin"}}), 400,
               "invalid_scope");
}

TEST_F(ClientCredentials, TheAudienceMayBeGivenAsAResource) {
  const auto response = worker_token({{"resource", kApi}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200) << response->body;
}

TEST_F(ClientCredentials, WithoutAnAudienceTheRequestIsInvalid) {
  expect_error(worker_token({}), 400, "invalid_request");
  EXPECT_EQ(body_of(worker_token({}))["error_description"], "audience is required");
}

TEST_F(ClientCredentials, AnUnknownApiOrOneWithoutAClientGrantIsAccessDenied) {
  expect_error(worker_token({{"audience", "https://nowhere.example.com/"}}), 403, "access_denied");
  const auto ungranted = worker_token({{"audience", kUngrantedApi}});
  expect_error(ungranted, 403, "access_denied");
  EXPECT_NE(body_of(ungranted)["error_description"].get<std::string>().find("client-grant"),
            std::string::npos);
}

TEST_F(ClientCredentials, AClientNotAllowedTheGrantTypeIsUnauthorizedClient) {
  expect_error(token({{"audience", kApi}}, {basic_authorization(web_.id, web_.secret)}), 400,
               "unauthorized_client");
}

TEST_F(ClientCredentials, AWrongSecretIsInvalidClient) {
  expect_error(token({{"client_id", worker_.id}, {"client_secret", "wrong"}, {"audience", kApi}}),
               401, "invalid_client");
}

TEST_F(ClientCredentials, DiscoveryListsTheGrantType) {
  Browser browser(server_->port());
  const auto response = browser.get("/.well-known/openid-configuration");
  ASSERT_TRUE(response && response->status == 200);
  const auto types = body_of(response)["grant_types_supported"];
  EXPECT_NE(std::find(types.begin(), types.end(), "client_credentials"), types.end()) << types;
}

}  // namespace
}  // namespace latchkey::testing
