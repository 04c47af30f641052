#include "oauth/token_issuer.hpp"

#include <gtest/gtest.h>

#include <set>

#include "jose/base64url.hpp"
#include "jose/jws.hpp"
#include "jose/strict_json.hpp"
#include "oauth/token_test_env.hpp"

namespace latchkey::oauth {
namespace {

using testing::decode_jwt;

class TokenIssuerTest : public testing::TokenTestEnv {
 protected:
  AccessTokenSpec spec(std::vector<std::string> scopes, bool with_api,
                       const std::string& alg = "RS256") {
    AccessTokenSpec out;
    out.subject = testing::kUserId;
    out.client_id = "web";
    out.scopes = std::move(scopes);
    if (with_api) out.resource_server = add_api(alg);
    return out;
  }

  IdTokenSpec id_spec(std::vector<std::string> scopes) {
    IdTokenSpec out{user(),
                    "web",
                    36000,
                    std::move(scopes),
                    clock_.now() - std::chrono::seconds(5),
                    "nonce-1",
                    "sid-1",
                    nlohmann::json::object()};
    return out;
  }
};

TEST_F(TokenIssuerTest, AccessTokenCarriesEveryRfc9068Claim) {
  auto issued = issuer_->issue_access_token(spec({"openid", "read:items"}, true));
  ASSERT_TRUE(issued.ok()) << issued.error().debug;
  const auto jwt = decode_jwt(issued->token);
  EXPECT_EQ(jwt.header["typ"], "at+jwt");
  EXPECT_EQ(jwt.header["alg"], "RS256");
  EXPECT_EQ(jwt.header["kid"], keyring_->snapshot()->signer(jose::Algorithm::rs256)->kid());
  const auto& c = jwt.claims;
  const std::int64_t now = to_unix_seconds(clock_.now());
  EXPECT_EQ(c["iss"], testing::kIssuer);
  EXPECT_EQ(c["sub"], testing::kUserId);
  EXPECT_EQ(c["aud"], nlohmann::json::array({testing::kApiIdentifier, testing::kUserinfoAudience}));
  EXPECT_EQ(c["azp"], "web");
  EXPECT_EQ(c["client_id"], "web");
  EXPECT_EQ(c["scope"], "openid read:items");
  EXPECT_EQ(c["iat"], now);
  EXPECT_EQ(c["exp"], now + 7200);
  ASSERT_TRUE(c["jti"].is_string());
  EXPECT_EQ(c["jti"], issued->jti);
  EXPECT_EQ(issued->expires_in, 7200);
  EXPECT_EQ(c.size(), 9u);
}

TEST_F(TokenIssuerTest, AccessTokenVerifiesAgainstTheTrustedKeys) {
  auto issued = issuer_->issue_access_token(spec({"openid"}, false));
  ASSERT_TRUE(issued.ok());
  auto verified = jose::verify(issued->token, keyring_->snapshot()->trusted);
  EXPECT_TRUE(verified.ok());
}

TEST_F(TokenIssuerTest, WithoutOpenIdTheAudienceIsJustTheApi) {
  auto issued = issuer_->issue_access_token(spec({"read:items"}, true));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(decode_jwt(issued->token).claims["aud"], testing::kApiIdentifier);
}

TEST_F(TokenIssuerTest, WithoutAnApiTheTokenIsOnlyForUserinfoAndLivesADay) {
  auto issued = issuer_->issue_access_token(spec({"openid", "profile"}, false));
  ASSERT_TRUE(issued.ok());
  const auto claims = decode_jwt(issued->token).claims;
  EXPECT_EQ(claims["aud"], testing::kUserinfoAudience);
  EXPECT_EQ(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>(), 86400);
  EXPECT_EQ(issued->expires_in, 86400);
}

TEST_F(TokenIssuerTest, TheApisSigningAlgorithmSignsItsTokens) {
  auto issued = issuer_->issue_access_token(spec({"read:items"}, true, "ES256"));
  ASSERT_TRUE(issued.ok());
  const auto header = decode_jwt(issued->token).header;
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(header["kid"], keyring_->snapshot()->signer(jose::Algorithm::es256)->kid());
}

TEST_F(TokenIssuerTest, AnAlgorithmWithoutAKeyIsAServerError) {
  auto issued = issuer_->issue_access_token(spec({"read:items"}, true, "PS256"));
  ASSERT_FALSE(issued.ok());
  EXPECT_EQ(issued.error().code, "server_error");
  EXPECT_EQ(issued.error().status, 500);
}

TEST_F(TokenIssuerTest, EveryAccessTokenHasItsOwnJti) {
  std::set<std::string> jtis;
  for (int i = 0; i < 20; ++i) {
    auto issued = issuer_->issue_access_token(spec({"openid"}, false));
    ASSERT_TRUE(issued.ok());
    jtis.insert(issued->jti);
  }
  EXPECT_EQ(jtis.size(), 20u);
}

TEST_F(TokenIssuerTest, ExtraClaimsNeverReplaceReservedOnes) {
  auto s = spec({"openid"}, false);
  s.extra_claims = {{"https://example.com/role", "admin"},
                    {"sub", "evil"},
                    {"aud", "evil"},
                    {"exp", 1},
                    {"scope", "admin"},
                    {"client_id", "evil"},
                    {"jti", "x"}};
  auto issued = issuer_->issue_access_token(s);
  ASSERT_TRUE(issued.ok());
  const auto claims = decode_jwt(issued->token).claims;
  EXPECT_EQ(claims["https://example.com/role"], "admin");
  EXPECT_EQ(claims["sub"], testing::kUserId);
  EXPECT_EQ(claims["aud"], testing::kUserinfoAudience);
  EXPECT_NE(claims["exp"], 1);
  EXPECT_EQ(claims["scope"], "openid");
  EXPECT_EQ(claims["client_id"], "web");
  EXPECT_EQ(claims["jti"], issued->jti);
}

/// A JWT's payload as the bytes that were signed.
std::string payload_text(const std::string& token) {
  const auto first = token.find('.');
  const auto second = token.find('.', first + 1);
  return jose::base64url_decode(token.substr(first + 1, second - first - 1)).value();
}

// The claims are written as text, not through nlohmann::json; the bytes are what its dump of
// the same claims gives (sorted names, the same escapes).
TEST_F(TokenIssuerTest, ClaimsTextIsWhatAJsonDumpOfTheClaimsWrites) {
  const auto api = add_api();
  for (const bool openid : {true, false}) {
    auto s = spec(openid ? std::vector<std::string>{"openid", "read:things"}
                         : std::vector<std::string>{"read:things"},
                  false);
    s.resource_server = api;
    auto issued = issuer_->issue_access_token(s);
    ASSERT_TRUE(issued.ok());
    const auto claims = decode_jwt(issued->token).claims;
    const nlohmann::json aud =
        openid ? nlohmann::json::array({testing::kApiIdentifier, testing::kUserinfoAudience})
               : nlohmann::json(testing::kApiIdentifier);
    const nlohmann::json expected = {
        {"iss", testing::kIssuer}, {"sub", testing::kUserId},        {"aud", aud},
        {"iat", claims["iat"]},    {"exp", claims["exp"]},           {"azp", "web"},
        {"client_id", "web"},      {"scope", join_scopes(s.scopes)}, {"jti", issued->jti}};
    EXPECT_EQ(payload_text(issued->token), expected.dump());
  }

  auto s = id_spec({"openid", "profile", "email"});
  s.user.name = "Ada \"Countess\" Lovelace\\\n\x01 \xC3\xA9";
  s.user.email_verified = false;
  auto issued = issuer_->issue_id_token(s);
  ASSERT_TRUE(issued.ok());
  const auto c = decode_jwt(issued->token).claims;
  const nlohmann::json expected = {{"iss", testing::kIssuer},
                                   {"sub", testing::kUserId},
                                   {"aud", "web"},
                                   {"iat", c["iat"]},
                                   {"exp", c["exp"]},
                                   {"auth_time", c["auth_time"]},
                                   {"azp", "web"},
                                   {"nonce", "nonce-1"},
                                   {"sid", "sid-1"},
                                   {"name", s.user.name},
                                   {"nickname", "ada"},
                                   {"picture", s.user.picture},
                                   {"updated_at", 1750000000},
                                   {"email", "ada@example.com"},
                                   {"email_verified", false}};
  EXPECT_EQ(payload_text(issued->token), expected.dump());
}

// A rule's claim takes the place of a profile claim of the same name: the name appears once.
TEST_F(TokenIssuerTest, ARuleClaimReplacesAProfileClaimWithoutAppearingTwice) {
  auto s = id_spec({"openid", "profile"});
  s.extra_claims = {{"name", "From a rule"},
                    {"https://example.com/roles", {"admin"}},
                    {"sub", "evil"},
                    {"nonce", "evil"}};
  auto issued = issuer_->issue_id_token(s);
  ASSERT_TRUE(issued.ok());
  const auto claims = jose::parse_json_object_strict(payload_text(issued->token));
  ASSERT_TRUE(claims.ok()) << "a duplicate or malformed member";
  EXPECT_EQ((*claims)["name"], "From a rule");
  EXPECT_EQ((*claims)["https://example.com/roles"], nlohmann::json::array({"admin"}));
  EXPECT_EQ((*claims)["sub"], testing::kUserId);
  EXPECT_EQ((*claims)["nonce"], "nonce-1");
  EXPECT_EQ((*claims)["nickname"], "ada");

  auto access = spec({"openid"}, true);
  access.extra_claims = {{"scope", "admin"}, {"https://example.com/tier", 3}};
  auto token = issuer_->issue_access_token(access);
  ASSERT_TRUE(token.ok());
  const auto access_claims = jose::parse_json_object_strict(payload_text(token->token));
  ASSERT_TRUE(access_claims.ok());
  EXPECT_EQ((*access_claims)["scope"], "openid");
  EXPECT_EQ((*access_claims)["https://example.com/tier"], 3);
}

TEST_F(TokenIssuerTest, IdTokenCarriesOidcClaimsAndProfileAndEmail) {
  auto issued = issuer_->issue_id_token(id_spec({"openid", "profile", "email"}));
  ASSERT_TRUE(issued.ok()) << issued.error().debug;
  const auto jwt = decode_jwt(issued->token);
  EXPECT_EQ(jwt.header["alg"], "RS256");
  EXPECT_FALSE(jwt.header.contains("typ"));
  const auto& c = jwt.claims;
  const std::int64_t now = to_unix_seconds(clock_.now());
  EXPECT_EQ(c["iss"], testing::kIssuer);
  EXPECT_EQ(c["sub"], testing::kUserId);
  EXPECT_EQ(c["aud"], "web");
  EXPECT_EQ(c["azp"], "web");
  EXPECT_EQ(c["iat"], now);
  EXPECT_EQ(c["exp"], now + 36000);
  EXPECT_EQ(c["auth_time"], now - 5);
  EXPECT_EQ(c["nonce"], "nonce-1");
  EXPECT_EQ(c["sid"], "sid-1");
  EXPECT_EQ(c["name"], "Ada Lovelace");
  EXPECT_EQ(c["nickname"], "ada");
  EXPECT_EQ(c["picture"], "https://img.example.com/ada.png");
  EXPECT_EQ(c["updated_at"], 1750000000);
  EXPECT_EQ(c["email"], "ada@example.com");
  EXPECT_EQ(c["email_verified"], true);
}

TEST_F(TokenIssuerTest, IdTokenWithoutProfileOrEmailScopesHasNoSuchClaims) {
  auto s = id_spec({"openid"});
  s.nonce.clear();
  auto issued = issuer_->issue_id_token(s);
  ASSERT_TRUE(issued.ok());
  const auto claims = decode_jwt(issued->token).claims;
  for (const char* name :
       {"name", "nickname", "picture", "updated_at", "email", "email_verified", "nonce"}) {
    EXPECT_FALSE(claims.contains(name)) << name;
  }
}

TEST_F(TokenIssuerTest, IdTokenLifetimeIsTheClients) {
  auto s = id_spec({"openid"});
  s.lifetime_seconds = 600;
  s.extra_claims = {{"nonce", "forged"}, {"auth_time", 1}, {"https://example.com/x", 1}};
  auto issued = issuer_->issue_id_token(s);
  ASSERT_TRUE(issued.ok());
  const auto claims = decode_jwt(issued->token).claims;
  EXPECT_EQ(claims["exp"].get<std::int64_t>() - claims["iat"].get<std::int64_t>(), 600);
  EXPECT_EQ(claims["nonce"], "nonce-1");
  EXPECT_NE(claims["auth_time"], 1);
  EXPECT_EQ(claims["https://example.com/x"], 1);
}

TEST_F(TokenIssuerTest, IdTokenIsSignedWithTheClientsAlgAndVerifiesWithTheJwks) {
  auto s = id_spec({"openid"});
  s.signing_alg = "ES256";
  auto issued = issuer_->issue_id_token(s);
  ASSERT_TRUE(issued.ok()) << issued.error().debug;
  const auto header = decode_jwt(issued->token).header;
  EXPECT_EQ(header["alg"], "ES256");
  EXPECT_EQ(header["kid"], keyring_->snapshot()->signer(jose::Algorithm::es256)->kid());
  EXPECT_EQ(verified_alg(issued->token), "ES256");
}

TEST_F(TokenIssuerTest, IdTokenAlgWithoutACurrentKeyOrUnknownIsServerError) {
  for (const char* alg : {"EdDSA", "HS256", "none"}) {
    auto s = id_spec({"openid"});
    s.signing_alg = alg;
    auto issued = issuer_->issue_id_token(s);
    ASSERT_FALSE(issued.ok()) << alg;
    EXPECT_EQ(issued.error().code, errors::kServerError) << alg;
    EXPECT_EQ(issued.error().status, 500) << alg;
  }
}

}  // namespace
}  // namespace latchkey::oauth
