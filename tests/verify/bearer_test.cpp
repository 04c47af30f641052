// RFC 6750 on the resource server: reading the Bearer token, scopes, the exact challenges, and
// protect() wrapping a handler.

#include "verify/bearer.hpp"

#include <gtest/gtest.h>

#include "verify/guard.hpp"
#include "verify/test_issuer.hpp"

namespace latchkey::verify {
namespace {

using testing::FakeIssuer;
using testing::kAudience;
using testing::kStart;

http::Request with_authorization(std::initializer_list<std::string_view> values) {
  http::Request request;
  for (const auto value : values) request.headers.add("Authorization", value);
  return request;
}

TEST(BearerToken, ReadsTheTokenWhateverTheSchemeCase) {
  for (const auto value :
       {"Bearer abc.def-_~+/=", "bearer abc.def-_~+/=", "BEARER  abc.def-_~+/= "}) {
    const auto request = with_authorization({value});
    const auto token = bearer_token(request);
    ASSERT_TRUE(token.ok()) << value;
    EXPECT_EQ(*token, "abc.def-_~+/=");
  }
}

TEST(BearerToken, NoHeaderOrAnotherSchemeIsMissing) {
  EXPECT_EQ(bearer_token(http::Request{}).error(), BearerError::missing);
  EXPECT_EQ(bearer_token(with_authorization({"Basic dXNlcjpwdw=="})).error(), BearerError::missing);
  EXPECT_EQ(bearer_token(with_authorization({"Bearerabc"})).error(), BearerError::missing);
}

TEST(BearerToken, MalformedBearerCredentialsAreMalformed) {
  for (const auto value :
       {"Bearer", "Bearer ", "Bearer a b", "Bearer a\"b", "Bearer =abc", "Bearer abc=def"}) {
    EXPECT_EQ(bearer_token(with_authorization({value})).error(), BearerError::malformed) << value;
  }
  EXPECT_EQ(bearer_token(with_authorization({"Bearer a", "Bearer b"})).error(),
            BearerError::malformed);
}

TEST(HasScope, MatchesWholeSpaceSeparatedScopesOnly) {
  const nlohmann::json claims = {{"scope", "openid read:messages write:messages"}};
  EXPECT_TRUE(has_scope(claims, "read:messages"));
  EXPECT_TRUE(has_scope(claims, "openid"));
  EXPECT_TRUE(has_scope(claims, "write:messages"));
  EXPECT_FALSE(has_scope(claims, "read"));
  EXPECT_FALSE(has_scope(claims, "messages"));
  EXPECT_FALSE(has_scope(claims, ""));
  EXPECT_FALSE(has_scope({{"scope", 42}}, "read:messages"));
  EXPECT_FALSE(has_scope(nlohmann::json::object(), "read:messages"));
  EXPECT_FALSE(has_scope({{"scope", {"read:messages"}}}, "read:messages"));
}

TEST(BearerResponses, MissingTokenChallengeHasNoErrorCode) {
  const auto response = missing_token_response();
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"), R"(Bearer realm="api")");
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"], "unauthorized");
}

TEST(BearerResponses, InvalidTokenChallengeNamesTheErrorAndDescription) {
  const auto response = invalid_token_response("the token expired", "messages");
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(
      response.headers.get("WWW-Authenticate"),
      R"(Bearer realm="messages", error="invalid_token", error_description="the token expired")");
  EXPECT_EQ(
      nlohmann::json::parse(response.body),
      (nlohmann::json{{"error", "invalid_token"}, {"error_description", "the token expired"}}));
}

TEST(BearerResponses, InsufficientScopeChallengeNamesTheScope) {
  const auto response = insufficient_scope_response("write:messages");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(response.headers.get("WWW-Authenticate"),
            R"(Bearer realm="api", error="insufficient_scope", scope="write:messages")");
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"], "insufficient_scope");
}

TEST(BearerResponses, QuotesAndBackslashesCannotBreakTheChallenge) {
  const auto response = invalid_token_response("a \"quoted\\ text\r\n", "r\"ealm");
  EXPECT_EQ(response.headers.get("WWW-Authenticate"),
            R"(Bearer realm="realm", error="invalid_token", error_description="a quoted text")");
  EXPECT_TRUE(response.headers.valid());
}

TEST(BearerResponses, UnavailableKeysAre503NotTheTokensFault) {
  const auto response = verify_error_response(
      {VerifyError::Kind::jwks_unavailable, "the issuer's keys are unavailable"});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(nlohmann::json::parse(response.body)["error"], "temporarily_unavailable");
}

class ProtectTest : public ::testing::Test {
 protected:
  ProtectTest() { issuer_.publish({key_}); }

  [[nodiscard]] TokenVerifierOptions options() const {
    TokenVerifierOptions options;
    options.issuer = issuer_.issuer();
    options.audience = std::string(kAudience);
    return options;
  }

  [[nodiscard]] http::Response call(const http::Request& request) const {
    const auto handler =
        protect(verifier_, "read:messages", [](const http::Request&, const nlohmann::json& claims) {
          return http::Response::json(200, {{"sub", claims["sub"]}});
        });
    return handler(request);
  }

  ManualClock clock_{kStart};
  FakeIssuer issuer_;
  jose::SigningKey key_ = jose::SigningKey::generate(jose::Algorithm::es256);
  TokenVerifier verifier_{options(), clock_};
};

TEST_F(ProtectTest, ValidTokenWithTheScopeReachesTheHandler) {
  const auto token = FakeIssuer::sign(key_, issuer_.claims("openid read:messages"));
  const auto response = call(with_authorization({"Bearer " + token}));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"sub":"auth0|alice"})");
}

TEST_F(ProtectTest, EachRefusalGetsItsRfc6750Answer) {
  EXPECT_EQ(call(http::Request{}).headers.get("WWW-Authenticate"), R"(Bearer realm="api")");
  const auto garbage = call(with_authorization({"Bearer garbage"}));
  EXPECT_EQ(garbage.status, 401);
  EXPECT_EQ(
      garbage.headers.get("WWW-Authenticate"),
      R"(Bearer realm="api", error="invalid_token", error_description="the token is not a well-formed JWT")");
  EXPECT_EQ(call(with_authorization({"Bearer a b"})).status, 400);
  const auto no_scope = call(
      with_authorization({"Bearer " + FakeIssuer::sign(key_, issuer_.claims("write:messages"))}));
  EXPECT_EQ(no_scope.status, 403);
  EXPECT_EQ(no_scope.headers.get("WWW-Authenticate"),
            R"(Bearer realm="api", error="insufficient_scope", scope="read:messages")");
}

}  // namespace
}  // namespace latchkey::verify
