#include "oauth/client_auth.hpp"

#include <gtest/gtest.h>

#include "oauth/token_test_env.hpp"

namespace latchkey::oauth {
namespace {

class ClientAuthTest : public testing::TokenTestEnv {
 protected:
  Result<model::Client, OAuthError> authenticate(const std::string& body,
                                                 const std::string& authorization = "") {
    const http::Request request = form_post(body, authorization);
    auto form = request.form();
    EXPECT_TRUE(form.ok());
    return authenticate_client(request, *form, store_->clients());
  }
};

TEST_F(ClientAuthTest, BasicCredentialsAreFormDecodedBeforeComparing) {
  // RFC 6749 §2.3.1: "a:b c%" travels as "a%3Ab+c%25" inside the Basic header.
  add_client("id:with space", "s3cr:t +%", "client_secret_basic");
  auto client =
      authenticate("grant_type=authorization_code", basic("id%3Awith+space", "s3cr%3At+%2B%25"));
  ASSERT_TRUE(client.ok()) << client.error().debug;
  EXPECT_EQ(client->client_id, "id:with space");
}

TEST_F(ClientAuthTest, PostCredentialsAuthenticateAPostClient) {
  add_client("post-app", "secret-1", "client_secret_post");
  auto client = authenticate("client_id=post-app&client_secret=secret-1");
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->client_id, "post-app");
}

TEST_F(ClientAuthTest, WrongSecretIsInvalidClient401) {
  add_client("web", "right");
  auto client = authenticate("", basic("web", "wrong"));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_client");
  EXPECT_EQ(client.error().status, 401);
  const http::Response response = render_token_error(client.error());
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), "Basic realm=\"latchkey\"");
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
}

TEST_F(ClientAuthTest, UnknownClientIsInvalidClient401) {
  auto client = authenticate("", basic("nobody", "x"));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_client");
  EXPECT_EQ(client.error().status, 401);
}

TEST_F(ClientAuthTest, BasicAndPostTogetherIsInvalidRequest) {
  add_client("web", "right");
  auto client = authenticate("client_id=web&client_secret=right", basic("web", "right"));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_request");
  EXPECT_EQ(client.error().status, 400);
}

TEST_F(ClientAuthTest, FormClientIdDisagreeingWithBasicIsInvalidRequest) {
  add_client("web", "right");
  auto client = authenticate("client_id=other", basic("web", "right"));
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_request");
}

TEST_F(ClientAuthTest, MethodOtherThanTheRegisteredOneIsInvalidClient) {
  add_client("basic-app", "right", "client_secret_basic");
  auto as_post = authenticate("client_id=basic-app&client_secret=right");
  ASSERT_FALSE(as_post.ok());
  EXPECT_EQ(as_post.error().code, "invalid_client");
  EXPECT_EQ(as_post.error().status, 401);
  auto no_secret = authenticate("client_id=basic-app");
  ASSERT_FALSE(no_secret.ok());
  EXPECT_EQ(no_secret.error().code, "invalid_client");
}

TEST_F(ClientAuthTest, PublicClientSendsOnlyItsId) {
  add_client("spa", "", "none");
  auto client = authenticate("client_id=spa");
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->token_endpoint_auth_method, "none");
  auto with_secret = authenticate("client_id=spa&client_secret=guess");
  ASSERT_FALSE(with_secret.ok());
  EXPECT_EQ(with_secret.error().code, "invalid_client");
}

TEST_F(ClientAuthTest, NoCredentialsAtAllIsInvalidClient) {
  auto client = authenticate("grant_type=authorization_code");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_client");
  EXPECT_EQ(client.error().status, 401);
}

TEST_F(ClientAuthTest, GarbageBasicHeaderIsInvalidClient) {
  add_client("web", "right");
  for (const char* header : {"Basic", "Basic !!!!", "Basic d2Vi", "Basic JXp6OnM="}) {
    auto client = authenticate("", header);
    ASSERT_FALSE(client.ok()) << header;
    EXPECT_EQ(client.error().code, "invalid_client") << header;
  }
}

TEST_F(ClientAuthTest, AClientWithoutAStoredSecretNeverMatchesAnEmptySecret) {
  add_client("empty", "", "client_secret_post");
  auto client = authenticate("client_id=empty&client_secret=");
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, "invalid_client");
}

}  // namespace
}  // namespace latchkey::oauth
