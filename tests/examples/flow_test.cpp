#include "flow.hpp"

#include <gtest/gtest.h>

#include <cstring>

namespace latchkey::examples::webapp {
namespace {

/// Counts up from a seed, so "random" values are predictable and distinct.
class CountingRandom final : public crypto::RandomSource {
 public:
  void fill(std::span<std::uint8_t> out) override {
    for (auto& byte : out) byte = next_++;
  }

 private:
  std::uint8_t next_ = 0;
};

const LoginTransaction kTransaction{"the-state", "the-nonce", "the-verifier"};
constexpr std::string_view kIssuer = "http://127.0.0.1:8080/";

std::string failure_title(const http::Params& query,
                          const std::optional<LoginTransaction>& transaction = kTransaction) {
  const auto result = check_callback(query, transaction, kIssuer);
  return result ? "ok" : result.error().title;
}

TEST(Discovery, ReadsTheEndpointsOfTheExpectedIssuer) {
  const auto metadata = parse_discovery(
      R"({"issuer":"http://127.0.0.1:8080/","authorization_endpoint":"http://127.0.0.1:8080/authorize",
          "token_endpoint":"http://127.0.0.1:8080/oauth/token","jwks_uri":"http://127.0.0.1:8080/.well-known/jwks.json"})",
      kIssuer);
  ASSERT_TRUE(metadata.ok()) << metadata.error();
  EXPECT_EQ(metadata->token_endpoint, "http://127.0.0.1:8080/oauth/token");
  EXPECT_EQ(metadata->jwks_uri, "http://127.0.0.1:8080/.well-known/jwks.json");
}

TEST(Discovery, RefusesADocumentForAnotherIssuer) {
  const auto metadata = parse_discovery(
      R"({"issuer":"https://evil.example/","authorization_endpoint":"a","token_endpoint":"t","jwks_uri":"j"})",
      kIssuer);
  ASSERT_FALSE(metadata.ok());
  EXPECT_NE(metadata.error().find("https://evil.example/"), std::string::npos);
}

TEST(Discovery, RefusesGarbageAndMissingEndpoints) {
  EXPECT_FALSE(parse_discovery("<html>", kIssuer).ok());
  EXPECT_FALSE(parse_discovery("[]", kIssuer).ok());
  const auto missing = parse_discovery(R"({"issuer":"http://127.0.0.1:8080/"})", kIssuer);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("authorization_endpoint"), std::string::npos);
}

TEST(ClientFile, ReadsTheOutputOfClientsCreate) {
  const auto client =
      parse_client_file(R"({"client_id":"abc","client_secret":"s3cret","name":"Demo Web App"})");
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(client->client_id, "abc");
  EXPECT_EQ(client->client_secret, "s3cret");
  EXPECT_FALSE(parse_client_file(R"({"client_id":"abc","client_secret":null})").ok());
  EXPECT_FALSE(parse_client_file("not json").ok());
}

TEST(Listen, ParsesHostAndPortAndBuildsTheBaseUrl) {
  const auto v4 = parse_listen("127.0.0.1:3000");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(base_url_for(v4->host, v4->port), "http://127.0.0.1:3000");
  const auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(base_url_for(v6->host, 4000), "http://[::1]:4000");
  EXPECT_FALSE(parse_listen("localhost").ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:70000").ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:").ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:30x").ok());
}

TEST(Urls, TrailingSlashIsNormalisedToExactlyOne) {
  EXPECT_EQ(with_trailing_slash("http://a"), "http://a/");
  EXPECT_EQ(with_trailing_slash("http://a//"), "http://a/");
}

TEST(Pkce, ChallengeIsTheRfc7636AppendixBValue) {
  EXPECT_EQ(s256_code_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(LoginTransaction, HoldsThreeDistinctUnreservedValuesOf43Characters) {
  CountingRandom random;
  const auto transaction = new_login_transaction(random);
  for (const auto* value : {&transaction.state, &transaction.nonce, &transaction.code_verifier}) {
    EXPECT_EQ(value->size(), 43U);  // RFC 7636 §4.1: 43 to 128 characters
    EXPECT_EQ(value->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-._~"),
              std::string::npos);
  }
  EXPECT_NE(transaction.state, transaction.nonce);
  EXPECT_NE(transaction.nonce, transaction.code_verifier);
}

TEST(AuthorizeUrl, CarriesEveryParameterOfTheRequestEncoded) {
  const std::string url =
      authorize_url("http://127.0.0.1:8080/authorize",
                    {"client 1", "http://127.0.0.1:3000/callback",
                     "openid profile email read:messages", "https://api.demo.local/"},
                    kTransaction);
  EXPECT_EQ(url,
            "http://127.0.0.1:8080/authorize?response_type=code&client_id=client+1"
            "&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback"
            "&scope=openid+profile+email+read%3Amessages"
            "&audience=https%3A%2F%2Fapi.demo.local%2F&state=the-state&nonce=the-nonce"
            "&code_challenge=" +
                s256_code_challenge("the-verifier") + "&code_challenge_method=S256");
}

TEST(LogoutUrl, SendsTheClientAndTheEncodedReturnAddress) {
  EXPECT_EQ(logout_url("http://127.0.0.1:8080/", "abc", "http://127.0.0.1:3000/"),
            "http://127.0.0.1:8080/v2/logout?client_id=abc"
            "&returnTo=http%3A%2F%2F127.0.0.1%3A3000%2F");
}

TEST(BasicAuthorization, FormEncodesIdAndSecretBeforeBase64) {
  // RFC 6749 §2.3.1: "a:b" and "c d" are sent as base64("a%3Ab:c+d").
  EXPECT_EQ(basic_authorization({"a:b", "c d"}), "Basic YSUzQWI6Yytk");
}

TEST(TokenRequest, IsTheAuthorizationCodeGrantWithTheVerifier) {
  EXPECT_EQ(token_request("c0de", "http://app/callback", "v").encode(),
            "grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2Fapp%2Fcallback"
            "&code_verifier=v");
}

TEST(Callback, AMatchingStateGivesTheCode) {
  const auto code =
      check_callback({{"code", "c0de"}, {"state", "the-state"}, {"iss", std::string(kIssuer)}},
                     kTransaction, kIssuer);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, "c0de");
}

TEST(Callback, TheServersErrorIsShownWithItsDescription) {
  const auto result = check_callback(
      {{"error", "access_denied"}, {"error_description", "User declined"}, {"state", "x"}},
      std::nullopt, kIssuer);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().title, "access_denied");
  EXPECT_EQ(result.error().detail, "User declined");
}

TEST(Callback, RefusesAMissingTransactionAWrongStateAndAnotherIssuer) {
  EXPECT_EQ(failure_title({{"code", "c"}, {"state", "the-state"}}, std::nullopt),
            "No sign-in in progress");
  EXPECT_EQ(failure_title({{"code", "c"}, {"state", "other"}}), "Bad callback");
  EXPECT_EQ(failure_title({{"code", "c"}}), "Bad callback");
  EXPECT_EQ(failure_title({{"code", "c"}, {"state", "the-state"}, {"iss", "https://evil/"}}),
            "Bad callback");
}

TEST(Callback, RefusesAMissingCodeAndRepeatedParameters) {
  EXPECT_EQ(failure_title({{"state", "the-state"}}), "Bad callback");
  EXPECT_EQ(failure_title({{"state", "the-state"}, {"code", ""}}), "Bad callback");
  EXPECT_EQ(failure_title({{"state", "the-state"}, {"code", "a"}, {"code", "b"}}), "Bad callback");
}

TEST(TokenError, ShowsTheRfc6749ErrorOrTheStatus) {
  EXPECT_EQ(describe_token_error(400, R"({"error":"invalid_grant","error_description":"used"})"),
            "invalid_grant: used");
  EXPECT_EQ(describe_token_error(401, R"({"error":"invalid_client"})"), "invalid_client");
  EXPECT_EQ(describe_token_error(502, "<html>bad gateway</html>"),
            "the token endpoint answered HTTP 502");
}

TEST(Messages, ReadsStringsAndObjectsWithText) {
  const auto messages =
      parse_messages(R"({"messages":["hello",{"text":"from the API"},{"id":1}],"sub":"u"})");
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ(*messages, (std::vector<std::string>{"hello", "from the API", R"({"id":1})"}));
  EXPECT_FALSE(parse_messages(R"({"error":"insufficient_scope"})").has_value());
  EXPECT_FALSE(parse_messages("\xff").has_value());
}

}  // namespace
}  // namespace latchkey::examples::webapp
