// grant_type=client_credentials through the token endpoint as the server wires it (client auth,
// the grant map, error rendering) on a real SQLite store and keyring.
#include "oauth/grants/client_credentials_grant.hpp"

#include <gtest/gtest.h>

#include "jose/jws.hpp"
#include "oauth/grants/authorization_code_grant.hpp"
#include "oauth/token_endpoint.hpp"
#include "oauth/token_test_env.hpp"

namespace latchkey::oauth {
namespace {

constexpr const char* kM2mApi = "https://m2m.example.com/";
constexpr const char* kOtherApi = "https://other.example.com/";

class ClientCredentialsGrantTest : public testing::TokenTestEnv {
 protected:
  void SetUp() override {
    TokenTestEnv::SetUp();
    std::vector<std::unique_ptr<Grant>> grants;
    grants.push_back(std::make_unique<AuthorizationCodeGrant>(*store_, *issuer_, random_));
    grants.push_back(std::make_unique<ClientCredentialsGrant>(store_->resource_servers(),
                                                              store_->client_grants(), *issuer_));
    endpoint_ = std::make_unique<TokenEndpoint>(store_->clients(), clock_, std::move(grants));
    add_m2m_client("m2m", "m2m-secret", "client_secret_basic");
    add_api_with_scopes("api-m2m", kM2mApi, "ES256", 3600);
    add_api_with_scopes("api-other", kOtherApi, "RS256", 600);
    add_client_grant("cgr_1", "m2m", kM2mApi, {"read:messages", "write:messages"});
  }

  void add_m2m_client(const std::string& id, const std::string& secret, const std::string& method,
                      std::vector<std::string> grant_types = {"client_credentials"}) {
    model::Client client;
    client.client_id = id;
    client.name = "service " + id;
    client.app_type = model::AppType::non_interactive;
    client.secret_digest = secret.empty() ? "" : crypto::sha256_hex(secret);
    client.token_endpoint_auth_method = method;
    client.grant_types = std::move(grant_types);
    ASSERT_TRUE(store_->clients().create(client).ok());
  }

  void add_api_with_scopes(const std::string& id, const std::string& identifier,
                           const std::string& alg, std::int64_t lifetime) {
    model::ResourceServer api;
    api.id = id;
    api.identifier = identifier;
    api.name = "API " + id;
    api.signing_alg = alg;
    api.token_lifetime_seconds = lifetime;
    api.scopes = {{"read:messages", "Read"}, {"write:messages", "Write"}, {"admin", "Admin"}};
    ASSERT_TRUE(store_->resource_servers().create(api).ok());
  }

  void add_client_grant(const std::string& id, const std::string& client_id,
                        const std::string& audience, std::vector<std::string> scopes) {
    model::ClientGrant grant{id, client_id, audience, std::move(scopes), clock_.now()};
    ASSERT_TRUE(store_->client_grants().create(grant).ok());
  }

  static std::string cc_form(http::Params extra) {
    http::Params params{{"grant_type", "client_credentials"}};
    for (const auto& [name, value] : extra.items()) params.add(name, value);
    return params.encode();
  }

  http::Response post(const std::string& body, const std::string& authorization = "") {
    return endpoint_->handle(form_post(body, authorization));
  }

  http::Response post_basic(http::Params extra) {
    return post(cc_form(std::move(extra)), basic("m2m", "m2m-secret"));
  }

  static nlohmann::json body_of(const http::Response& response) {
    return nlohmann::json::parse(response.body, nullptr, false);
  }

  static void expect_error(const http::Response& response, int status, const std::string& code,
                           const std::string& description = "") {
    EXPECT_EQ(response.status, status) << response.body;
    const auto body = body_of(response);
    EXPECT_EQ(body["error"], code) << response.body;
    if (!description.empty()) {
      EXPECT_EQ(body["error_description"], description);
    }
    EXPECT_FALSE(body.contains("access_token"));
    EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  }

  std::unique_ptr<TokenEndpoint> endpoint_;
};

TEST_F(ClientCredentialsGrantTest, IssuesAnAccessTokenForTheApiWithTheClientAsSubject) {
  const auto response = post_basic({{"audience", kM2mApi}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  const auto body = body_of(response);
  EXPECT_EQ(body["token_type"], "Bearer");
  EXPECT_EQ(body["expires_in"], 3600);
  EXPECT_EQ(body["scope"], "read:messages write:messages");
  EXPECT_FALSE(body.contains("id_token"));
  EXPECT_FALSE(body.contains("refresh_token"));

  const std::string token = body["access_token"];
  const auto jwt = testing::decode_jwt(token);
  EXPECT_EQ(jwt.header["typ"], "at+jwt");
  EXPECT_EQ(jwt.header["alg"], "ES256");
  const std::int64_t now = to_unix_seconds(clock_.now());
  const auto& claims = jwt.claims;
  EXPECT_EQ(claims["iss"], testing::kIssuer);
  EXPECT_EQ(claims["sub"], "m2m@clients");
  EXPECT_EQ(claims["aud"], kM2mApi);
  EXPECT_EQ(claims["azp"], "m2m");
  EXPECT_EQ(claims["client_id"], "m2m");
  EXPECT_EQ(claims["gty"], "client-credentials");
  EXPECT_EQ(claims["scope"], "read:messages write:messages");
  EXPECT_EQ(claims["iat"], now);
  EXPECT_EQ(claims["exp"], now + 3600);
  EXPECT_TRUE(claims["jti"].is_string());
  EXPECT_TRUE(jose::verify(token, keyring_->snapshot()->trusted).ok());
}

TEST_F(ClientCredentialsGrantTest, ClientSecretPostAuthenticatesToo) {
  add_m2m_client("poster", "poster-secret", "client_secret_post");
  add_client_grant("cgr_2", "poster", kOtherApi, {"admin"});
  const auto response = post(cc_form(
      {{"client_id", "poster"}, {"client_secret", "poster-secret"}, {"audience", kOtherApi}}));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["scope"], "admin");
  EXPECT_EQ(body_of(response)["expires_in"], 600);
  EXPECT_EQ(testing::decode_jwt(body_of(response)["access_token"]).header["alg"], "RS256");
}

TEST_F(ClientCredentialsGrantTest, RequestedScopesThatTheClientGrantCoversAreIssuedAsAsked) {
  const auto response = post_basic({{"audience", kM2mApi}, {"scope", "write:messages"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["scope"], "write:messages");
  EXPECT_EQ(testing::decode_jwt(body_of(response)["access_token"]).claims["scope"],
            "write:messages");
}

TEST_F(ClientCredentialsGrantTest, AScopeOutsideTheClientGrantIsInvalidScope) {
  // "admin" is defined by the API but not granted to this client.
  expect_error(post_basic({{"audience", kM2mApi}, {"scope", "read:messages admin"}}), 400,
               "invalid_scope", "Client has not been granted scopes: admin");
}

TEST_F(ClientCredentialsGrantTest, ResourceNamesTheApiAsAudienceDoes) {
  const auto response = post_basic({{"resource", kM2mApi}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(testing::decode_jwt(body_of(response)["access_token"]).claims["aud"], kM2mApi);
  EXPECT_EQ(post_basic({{"audience", kM2mApi}, {"resource", kM2mApi}}).status, 200);
}

TEST_F(ClientCredentialsGrantTest, AMissingAudienceIsInvalidRequest) {
  expect_error(post_basic({}), 400, "invalid_request", "audience is required");
  expect_error(post_basic({{"audience", ""}}), 400, "invalid_request", "audience is required");
}

TEST_F(ClientCredentialsGrantTest, TwoDifferentApisInOneRequestAreInvalidRequest) {
  expect_error(post_basic({{"audience", kM2mApi}, {"resource", kOtherApi}}), 400,
               "invalid_request");
  expect_error(post_basic({{"resource", kM2mApi}, {"resource", kOtherApi}}), 400,
               "invalid_request");
}

TEST_F(ClientCredentialsGrantTest, AnUnknownApiIsAccessDeniedAsAuth0SaysIt) {
  expect_error(post_basic({{"audience", "https://nowhere.example.com/"}}), 403, "access_denied",
               "Service not found: https://nowhere.example.com/");
  // The API's internal id is not an audience.
  expect_error(post_basic({{"audience", "api-m2m"}}), 403, "access_denied",
               "Service not found: api-m2m");
}

TEST_F(ClientCredentialsGrantTest, AnApiWithoutAClientGrantIsAccessDenied) {
  expect_error(post_basic({{"audience", kOtherApi}}), 403, "access_denied",
               "Client is not authorized to access \"https://other.example.com/\". You need to "
               "create a \"client-grant\" associated to this API");
}

TEST_F(ClientCredentialsGrantTest, ADeletedClientGrantStopsIssuing) {
  ASSERT_EQ(post_basic({{"audience", kM2mApi}}).status, 200);
  ASSERT_TRUE(store_->client_grants().remove("cgr_1").ok());
  expect_error(post_basic({{"audience", kM2mApi}}), 403, "access_denied");
}

TEST_F(ClientCredentialsGrantTest, AClientWithoutTheGrantTypeIsUnauthorizedClient) {
  add_m2m_client("web", "web-secret", "client_secret_basic", {"authorization_code"});
  add_client_grant("cgr_2", "web", kM2mApi, {"read:messages"});
  expect_error(post(cc_form({{"audience", kM2mApi}}), basic("web", "web-secret")), 400,
               "unauthorized_client");
}

TEST_F(ClientCredentialsGrantTest, APublicClientIsUnauthorizedClient) {
  add_m2m_client("spa", "", "none", {"authorization_code", "client_credentials"});
  add_client_grant("cgr_2", "spa", kM2mApi, {"read:messages"});
  expect_error(post(cc_form({{"client_id", "spa"}, {"audience", kM2mApi}})), 400,
               "unauthorized_client");
}

TEST_F(ClientCredentialsGrantTest, AWrongSecretIs401WithWwwAuthenticate) {
  const auto response = post(cc_form({{"audience", kM2mApi}}), basic("m2m", "wrong"));
  expect_error(response, 401, "invalid_client");
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Basic realm=\"latchkey\"");
}

TEST_F(ClientCredentialsGrantTest, AScopeTheApiNoLongerDefinesIsNeverIssued) {
  add_client_grant("cgr_2", "m2m", kOtherApi, {"read:messages", "retired"});
  const auto response = post_basic({{"audience", kOtherApi}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(body_of(response)["scope"], "read:messages");
  expect_error(post_basic({{"audience", kOtherApi}, {"scope", "retired"}}), 400, "invalid_scope");
}

TEST(ClientCredentialsScopes, NoRequestedScopeMeansEveryGrantedScopeInGrantOrder) {
  model::ResourceServer api;
  api.scopes = {{"a", ""}, {"b", ""}, {"c", ""}};
  const model::ClientGrant grant{"cgr", "c", "aud", {"c", "a"}, {}};
  auto scopes = client_credentials_scopes({}, grant, api);
  ASSERT_TRUE(scopes.ok());
  EXPECT_EQ(*scopes, (std::vector<std::string>{"c", "a"}));
  auto none = client_credentials_scopes({}, model::ClientGrant{}, api);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace latchkey::oauth
