#include "loadgen/oauth_support.hpp"

#include <gtest/gtest.h>

#include "jose/base64url.hpp"

namespace latchkey::loadgen {
namespace {

std::string jwt_with(const std::string& payload) {
  return jose::base64url_encode(std::string(R"({"alg":"RS256"})")) + "." +
         jose::base64url_encode(payload) + ".c2ln";
}

constexpr const char* kRedirect = "http://127.0.0.1:3001/callback";

TEST(OAuthSupport, PkceChallengeMatchesRfc7636AppendixB) {
  EXPECT_EQ(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(OAuthSupport, BasicCredentialsFormEncodeBothPartsFirst) {
  // RFC 6749 §2.3.1: "a b" and "x:y" are form-encoded, then base64("a+b:x%3Ay").
  EXPECT_EQ(basic_credentials("a b", "x:y"), "Basic YStiOnglM0F5");
  EXPECT_EQ(basic_credentials("id", "secret"), "Basic aWQ6c2VjcmV0");
}

TEST(OAuthSupport, RefusesAnIssuerOffLoopbackUnlessAllowed) {
  EXPECT_TRUE(check_issuer("http://127.0.0.1:3000/", false).ok());
  EXPECT_TRUE(check_issuer("http://127.1.2.3:3000", false).ok());
  EXPECT_TRUE(check_issuer("http://localhost:3000", false).ok());
  EXPECT_TRUE(check_issuer("http://[::1]:3000/", false).ok());
  const auto remote = check_issuer("http://auth.example.com/", false);
  ASSERT_FALSE(remote.ok());
  EXPECT_NE(remote.error().find("--allow-non-loopback"), std::string::npos);
  EXPECT_FALSE(check_issuer("http://127.0.0.1.example.com/", false).ok());
  EXPECT_FALSE(check_issuer("http://128.0.0.1/", false).ok());
  EXPECT_TRUE(check_issuer("http://auth.example.com/", true).ok());
}

TEST(OAuthSupport, SpeaksOnlyPlainHttp) {
  const auto tls = parse_http_url("https://127.0.0.1/");
  ASSERT_FALSE(tls.ok());
  EXPECT_NE(tls.error().find("https"), std::string::npos);
  EXPECT_FALSE(parse_http_url("ftp://127.0.0.1/").ok());
  EXPECT_FALSE(parse_http_url("/relative").ok());
  EXPECT_FALSE(parse_http_url("http://user:pw@127.0.0.1/").ok());
}

TEST(OAuthSupport, SplitsAnIssuerIntoHostPortAndTarget) {
  const auto url = parse_http_url("http://127.0.0.1:3000/auth?x=1");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "127.0.0.1");
  EXPECT_EQ(url->port, "3000");
  EXPECT_EQ(url->authority, "127.0.0.1:3000");
  EXPECT_EQ(url->origin, "http://127.0.0.1:3000");
  EXPECT_EQ(url->target, "/auth?x=1");
  const auto bare = parse_http_url("http://[::1]");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->host, "::1");
  EXPECT_EQ(bare->port, "80");
  EXPECT_EQ(bare->target, "/");
}

TEST(OAuthSupport, DiscoveryIsUnderTheIssuerWithOrWithoutATrailingSlash) {
  EXPECT_EQ(discovery_url("http://127.0.0.1:1/"),
            "http://127.0.0.1:1/.well-known/openid-configuration");
  EXPECT_EQ(discovery_url("http://127.0.0.1:1"),
            "http://127.0.0.1:1/.well-known/openid-configuration");
}

TEST(OAuthSupport, ResolvesLocationsAndActionsAgainstThePage) {
  EXPECT_EQ(*resolve_url("http://127.0.0.1:1/authorize?x=1", "/u/login?state=s"),
            "http://127.0.0.1:1/u/login?state=s");
  EXPECT_EQ(*resolve_url("http://127.0.0.1:1/u/login?state=s", ""),
            "http://127.0.0.1:1/u/login?state=s");
  EXPECT_EQ(*resolve_url("http://127.0.0.1:1/a/b", "c"), "http://127.0.0.1:1/a/c");
  EXPECT_EQ(*resolve_url("http://127.0.0.1:1/", "http://127.0.0.1:2/cb?code=x"),
            "http://127.0.0.1:2/cb?code=x");
  EXPECT_FALSE(resolve_url("not a url", "/x").ok());
}

TEST(OAuthSupport, ReadsDecodedQueryParameters) {
  EXPECT_EQ(query_param("http://h/cb?code=a%2Bb&state=s+t", "code"), "a+b");
  EXPECT_EQ(query_param("http://h/cb?code=a&state=s%20t", "state"), "s t");
  EXPECT_EQ(query_param("http://h/cb?code=a", "state"), std::nullopt);
}

TEST(OAuthSupport, AcceptsARedirectWithACodeAndTheSameState) {
  const auto code =
      code_from_redirect(302, std::string(kRedirect) + "?code=abc&state=s1", kRedirect, "s1");
  ASSERT_TRUE(code.ok()) << code.error();
  EXPECT_EQ(*code, "abc");
  EXPECT_TRUE(
      code_from_redirect(303, std::string(kRedirect) + "?state=s1&code=abc&iss=x", kRedirect, "s1")
          .ok());
}

TEST(OAuthSupport, NamesWhatIsWrongWithAnAuthorizationResponse) {
  const std::string base = kRedirect;
  EXPECT_EQ(code_from_redirect(200, "", kRedirect, "s").error(), "status 200");
  EXPECT_EQ(code_from_redirect(302, "http://127.0.0.1:1/u/consent?state=x", kRedirect, "s").error(),
            "check: redirected to /u/consent, not the redirect_uri");
  EXPECT_EQ(code_from_redirect(302, base + "/evil?code=1&state=s", kRedirect, "s").error(),
            "check: redirected to /callback/evil, not the redirect_uri");
  EXPECT_EQ(code_from_redirect(302, base + "?error=login_required&state=s", kRedirect, "s").error(),
            "oauth login_required");
  EXPECT_EQ(code_from_redirect(302, base + "?code=1&state=other", kRedirect, "s").error(),
            "check: state mismatch");
  EXPECT_EQ(code_from_redirect(302, base + "?state=s", kRedirect, "s").error(), "check: no code");
}

TEST(OAuthSupport, ATokenResponseCountsOnlyWithTheRightNonce) {
  const std::string good = R"({"access_token":"at","refresh_token":"rt","id_token":")" +
                           jwt_with(R"({"nonce":"n1","sub":"u"})") + R"("})";
  const auto tokens = check_token_response(200, good, "n1");
  ASSERT_TRUE(tokens.ok()) << tokens.error();
  EXPECT_EQ(tokens->access_token, "at");
  EXPECT_EQ(tokens->refresh_token, "rt");
  EXPECT_EQ(check_token_response(200, good, "n2").error(), "check: nonce mismatch");
  EXPECT_EQ(check_token_response(200, R"({"access_token":"at"})", "n1").error(),
            "check: no id_token");
  EXPECT_TRUE(check_token_response(200, R"({"access_token":"at"})", std::nullopt).ok());
  EXPECT_EQ(check_token_response(200, R"({"token_type":"Bearer"})", std::nullopt).error(),
            "check: no access_token");
  EXPECT_EQ(check_token_response(200, "<html>", std::nullopt).error(), "check: not JSON");
}

TEST(OAuthSupport, TokenErrorsAreNamedByTheirOAuthCodeOrStatus) {
  EXPECT_EQ(check_token_response(400, R"({"error":"invalid_grant"})", "n").error(),
            "oauth invalid_grant");
  EXPECT_EQ(check_token_response(502, "Bad Gateway", "n").error(), "status 502");
}

TEST(OAuthSupport, ReadsStringClaimsOfAnUnverifiedJwt) {
  EXPECT_EQ(jwt_string_claim(jwt_with(R"({"nonce":"abc"})"), "nonce"), "abc");
  EXPECT_EQ(jwt_string_claim(jwt_with(R"({"nonce":5})"), "nonce"), std::nullopt);
  EXPECT_EQ(jwt_string_claim("not-a-jwt", "nonce"), std::nullopt);
  EXPECT_EQ(jwt_string_claim("a.!!!.c", "nonce"), std::nullopt);
  EXPECT_EQ(jwt_string_claim(jwt_with("[1]"), "nonce"), std::nullopt);
}

TEST(OAuthSupport, FormBodiesAreFormEncoded) {
  EXPECT_EQ(form_body({{"scope", "openid email"}, {"redirect_uri", "http://h/cb?x=1"}}),
            "scope=openid+email&redirect_uri=http%3A%2F%2Fh%2Fcb%3Fx%3D1");
  EXPECT_EQ(oauth_error(R"({"error":"invalid_client"})"), "invalid_client");
  EXPECT_EQ(oauth_error("nope"), "");
  EXPECT_EQ(json_string(R"({"issuer":"x"})", "issuer"), "x");
}

}  // namespace
}  // namespace latchkey::loadgen
