// Unit tests of the pure /authorize checks (src/oauth/checks/), the scope helpers and the
// consent policy's redirect_uri rule.

#include <gtest/gtest.h>

#include <string>

#include "oauth/checks/parameters.hpp"
#include "oauth/checks/pkce.hpp"
#include "oauth/checks/prompt.hpp"
#include "oauth/checks/redirect_uri.hpp"
#include "oauth/checks/response.hpp"
#include "oauth/consent_policy.hpp"
#include "oauth/scope.hpp"

namespace latchkey::oauth {
namespace {

using checks::check_audience_parameters;
using checks::check_max_age;
using checks::check_no_repeated_parameters;
using checks::check_pkce;
using checks::check_prompt;
using checks::check_redirect_uri;
using checks::check_response_mode;
using checks::check_response_type;

const std::string kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";  // RFC 7636 App. B

model::Client client_with(std::vector<std::string> callbacks) {
  model::Client client;
  client.client_id = "c1";
  client.callbacks = std::move(callbacks);
  return client;
}

TEST(Parameters, RepeatedStateIsInvalidRequestNamingIt) {
  const http::Params params{{"state", "a"}, {"client_id", "c"}, {"state", "b"}};
  const auto result = check_no_repeated_parameters(params);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, errors::kInvalidRequest);
  EXPECT_NE(result.error().description.find("state"), std::string::npos);
  EXPECT_FALSE(result.error().may_redirect);
}

TEST(Parameters, RepeatedUnknownParameterIsIgnored) {
  const http::Params params{{"x_custom", "a"}, {"x_custom", "b"}, {"client_id", "c"}};
  EXPECT_TRUE(check_no_repeated_parameters(params).ok());
}

TEST(Parameters, ResourceMayRepeatWithTheSameValue) {
  const http::Params params{{"resource", "https://api"}, {"resource", "https://api"}};
  const auto audience = check_audience_parameters(params);
  ASSERT_TRUE(audience.ok());
  EXPECT_EQ(*audience, "https://api");
}

TEST(Parameters, TwoDifferentResourcesAreInvalidRequest) {
  const http::Params params{{"resource", "https://a"}, {"resource", "https://b"}};
  const auto audience = check_audience_parameters(params);
  ASSERT_FALSE(audience.ok());
  EXPECT_EQ(audience.error().code, errors::kInvalidRequest);
}

TEST(Parameters, AudienceAndEqualResourceGiveTheAudience) {
  const http::Params params{{"audience", "https://a"}, {"resource", "https://a"}};
  const auto audience = check_audience_parameters(params);
  ASSERT_TRUE(audience.ok());
  EXPECT_EQ(*audience, "https://a");
}

TEST(Parameters, AudienceAndDifferentResourceAreInvalidRequest) {
  const http::Params params{{"audience", "https://a"}, {"resource", "https://b"}};
  EXPECT_FALSE(check_audience_parameters(params).ok());
}

TEST(Parameters, NoAudienceMeansNoApi) {
  const auto audience = check_audience_parameters(http::Params{{"client_id", "c"}});
  ASSERT_TRUE(audience.ok());
  EXPECT_EQ(*audience, "");
}

TEST(RedirectUri, ExactMatchIsAccepted) {
  const auto client = client_with({"https://a/cb", "https://b/cb"});
  const auto uri = check_redirect_uri(std::string("https://b/cb"), client);
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri, "https://b/cb");
}

TEST(RedirectUri, PrefixTrailingSlashAndCaseVariantsAreRejected) {
  const auto client = client_with({"https://a.example/cb"});
  for (const std::string uri : {"https://a.example/cb/", "https://a.example/cb?x=1",
                                "https://A.example/cb", "https://a.example/c", ""}) {
    const auto result = check_redirect_uri(uri, client);
    ASSERT_FALSE(result.ok()) << uri;
    EXPECT_EQ(result.error().code, errors::kInvalidRequest);
    EXPECT_FALSE(result.error().may_redirect);
  }
}

TEST(RedirectUri, OmittedWithOneCallbackUsesIt) {
  const auto uri = check_redirect_uri(std::nullopt, client_with({"https://a/cb"}));
  ASSERT_TRUE(uri.ok());
  EXPECT_EQ(*uri, "https://a/cb");
}

TEST(RedirectUri, OmittedWithTwoCallbacksIsRejected) {
  EXPECT_FALSE(check_redirect_uri(std::nullopt, client_with({"https://a/cb", "https://b"})).ok());
  EXPECT_FALSE(check_redirect_uri(std::nullopt, client_with({})).ok());
}

TEST(ResponseType, OnlyCodeIsSupported) {
  EXPECT_TRUE(check_response_type(std::string("code")).ok());
  EXPECT_EQ(check_response_type(std::nullopt).error().code, errors::kInvalidRequest);
  EXPECT_EQ(check_response_type(std::string("")).error().code, errors::kInvalidRequest);
  EXPECT_EQ(check_response_type(std::string("token")).error().code,
            errors::kUnsupportedResponseType);
  EXPECT_EQ(check_response_type(std::string("code id_token")).error().code,
            errors::kUnsupportedResponseType);
}

TEST(ResponseMode, DefaultsToQueryAndAcceptsFormPost) {
  EXPECT_EQ(*check_response_mode(std::nullopt), ResponseMode::query);
  EXPECT_EQ(*check_response_mode(std::string("query")), ResponseMode::query);
  EXPECT_EQ(*check_response_mode(std::string("form_post")), ResponseMode::form_post);
  EXPECT_EQ(check_response_mode(std::string("fragment")).error().code, errors::kInvalidRequest);
  EXPECT_EQ(check_response_mode(std::string("web_message")).error().code, errors::kInvalidRequest);
}

TEST(Pkce, S256ChallengeIsKept) {
  const auto pkce = check_pkce(kChallenge, std::string("S256"), model::AppType::spa);
  ASSERT_TRUE(pkce.ok());
  EXPECT_EQ(pkce->challenge, kChallenge);
  EXPECT_EQ(pkce->method, "S256");
}

TEST(Pkce, PlainOrMissingMethodIsInvalidRequest) {
  EXPECT_EQ(check_pkce(kChallenge, std::string("plain"), model::AppType::regular_web).error().code,
            errors::kInvalidRequest);
  EXPECT_FALSE(check_pkce(kChallenge, std::nullopt, model::AppType::regular_web).ok());
  EXPECT_FALSE(check_pkce(kChallenge, std::string("s256"), model::AppType::regular_web).ok());
}

TEST(Pkce, ChallengeMustBe43CanonicalBase64UrlCharacters) {
  const auto s256 = std::optional<std::string>("S256");
  EXPECT_FALSE(check_pkce(kChallenge.substr(1), s256, model::AppType::native).ok());
  EXPECT_FALSE(check_pkce(kChallenge + "A", s256, model::AppType::native).ok());
  std::string bad_char = kChallenge;
  bad_char[5] = '+';
  EXPECT_FALSE(check_pkce(bad_char, s256, model::AppType::native).ok());
  std::string non_canonical = kChallenge;
  non_canonical.back() = 'N';  // 'M' + 1: sets a trailing bit beyond the 32 bytes
  EXPECT_FALSE(check_pkce(non_canonical, s256, model::AppType::native).ok());
}

TEST(Pkce, PublicClientsMustSendAChallenge) {
  EXPECT_EQ(check_pkce(std::nullopt, std::nullopt, model::AppType::spa).error().code,
            errors::kInvalidRequest);
  EXPECT_FALSE(check_pkce(std::nullopt, std::nullopt, model::AppType::native).ok());
  const auto confidential = check_pkce(std::nullopt, std::nullopt, model::AppType::regular_web);
  ASSERT_TRUE(confidential.ok());
  EXPECT_EQ(confidential->challenge, "");
  EXPECT_EQ(confidential->method, "");
}

TEST(Pkce, MethodWithoutChallengeIsInvalidRequest) {
  EXPECT_FALSE(check_pkce(std::nullopt, std::string("S256"), model::AppType::regular_web).ok());
}

TEST(Prompt, ParsesTheKnownValues) {
  const auto prompt = check_prompt(std::string("login consent"));
  ASSERT_TRUE(prompt.ok());
  EXPECT_TRUE(prompt->login);
  EXPECT_TRUE(prompt->consent);
  EXPECT_FALSE(prompt->none);
  EXPECT_TRUE(check_prompt(std::string("select_account"))->login);
  EXPECT_TRUE(check_prompt(std::string("none"))->none);
  const auto absent = check_prompt(std::nullopt);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->none || absent->login || absent->consent);
}

TEST(Prompt, NoneWithAnotherValueOrAnUnknownValueIsInvalidRequest) {
  EXPECT_EQ(check_prompt(std::string("none login")).error().code, errors::kInvalidRequest);
  EXPECT_FALSE(check_prompt(std::string("consent none")).ok());
  EXPECT_FALSE(check_prompt(std::string("sometimes")).ok());
}

TEST(MaxAge, AcceptsNonNegativeIntegersOnly) {
  EXPECT_EQ(**check_max_age(std::string("0")), 0);
  EXPECT_EQ(**check_max_age(std::string("3600")), 3600);
  EXPECT_FALSE(check_max_age(std::nullopt)->has_value());
  for (const std::string bad : {"-1", "", "1.5", "12a", " 1", "+1", "99999999999999999999"}) {
    const auto result = check_max_age(bad);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error().code, errors::kInvalidRequest);
  }
}

TEST(Scope, SplitDropsEmptyPartsAndDuplicates) {
  EXPECT_EQ(split_scope("  openid  email openid "), (std::vector<std::string>{"openid", "email"}));
  EXPECT_TRUE(split_scope("").empty());
  EXPECT_EQ(join_scope({"a", "b"}), "a b");
}

TEST(Scope, UndefinedScopesAreDroppedSilently) {
  model::ResourceServer api;
  api.identifier = "https://api";
  api.scopes = {{"read:items", "Read"}};
  const auto granted = grantable_scopes({"openid", "read:items", "delete:all", "email"}, api);
  EXPECT_EQ(granted, (std::vector<std::string>{"openid", "read:items", "email"}));
  EXPECT_EQ(grantable_scopes({"read:items", "offline_access"}, std::nullopt),
            (std::vector<std::string>{"offline_access"}));
}

TEST(Scope, CoverageIgnoresOrder) {
  EXPECT_TRUE(covers({"b", "a", "c"}, {"a", "b"}));
  EXPECT_FALSE(covers({"a"}, {"a", "b"}));
  EXPECT_TRUE(covers({}, {}));
}

TEST(VerifiableRedirectUri, LoopbackHostsAreNotVerifiable) {
  for (const std::string uri :
       {"http://localhost:3000/cb", "http://LOCALHOST/cb", "http://localhost./cb",
        "http://app.localhost/cb", "http://127.0.0.1/cb", "http://127.8.9.10:80/cb",
        "http://[::1]:8080/cb", "http://[0:0:0:0:0:0:0:1]/cb", "http://[::ffff:127.0.0.1]/cb",
        "http://2130706433/cb", "http://0x7f.1/cb", "http://0177.0.0.1/cb", "http://0.0.0.0/cb",
        "http://user@localhost/cb", "http://%6cocalhost/cb", "com.example.app:/callback",
        "not a uri", "https:///cb", "http://[::1/cb"}) {
    EXPECT_FALSE(is_verifiable_redirect_uri(uri)) << uri;
  }
}

TEST(VerifiableRedirectUri, PublicHostsAreVerifiable) {
  for (const std::string uri :
       {"https://app.example.com/cb", "https://app.example.com:8443/cb", "https://10.1.2.3/cb",
        "https://[2001:db8::1]/cb", "https://localhost.example.com/cb",
        "https://127.example.com/cb", "https://localhost@app.example.com/cb"}) {
    EXPECT_TRUE(is_verifiable_redirect_uri(uri)) << uri;
  }
}

}  // namespace
}  // namespace latchkey::oauth
