// JWT claims: time (with leeway and an injected clock), issuer, audience, typ, duplicates.

#include "jose/jwt.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "test_keys.hpp"

namespace latchkey::jose {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr std::int64_t kNow = 1'700'000'000;
constexpr char kIssuer[] = "https://tenant.example.com/";
constexpr char kAudience[] = "https://api.example.com/";

class JwtClaims : public ::testing::Test {
 protected:
  JwtClaims() {
    options_.issuer = kIssuer;
    options_.audience = kAudience;
    options_.leeway = seconds(30);
  }
  json claims(json extra = json::object()) const {
    json base = {{"iss", kIssuer},
                 {"aud", kAudience},
                 {"sub", "auth0|42"},
                 {"iat", kNow - 10},
                 {"exp", kNow + 3600}};
    base.update(extra);
    return base;
  }
  JoseStatus status_of(const json& c) const {
    auto result = validate_claims(c, options_, clock_);
    return result.ok() ? JoseStatus::ok : result.error();
  }

  ManualClock clock_{from_unix_seconds(kNow)};
  ClaimsOptions options_;
};

TEST_F(JwtClaims, AcceptsCurrentClaimsForThisIssuerAndAudience) {
  EXPECT_EQ(status_of(claims()), JoseStatus::ok);
}

TEST_F(JwtClaims, RefusesAnExpiredTokenOnceTheLeewayIsSpent) {
  EXPECT_EQ(status_of(claims({{"exp", kNow - 29}})), JoseStatus::ok);  // within 30 s leeway
  EXPECT_EQ(status_of(claims({{"exp", kNow - 30}})), JoseStatus::expired);
  options_.leeway = seconds(0);
  EXPECT_EQ(status_of(claims({{"exp", kNow + 1}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"exp", kNow}})), JoseStatus::expired);  // "before", not "at"
}

TEST_F(JwtClaims, ExpiryFollowsTheInjectedClock) {
  const json c = claims({{"exp", kNow + 60}});
  EXPECT_EQ(status_of(c), JoseStatus::ok);
  clock_.advance(seconds(90));
  EXPECT_EQ(status_of(c), JoseStatus::expired);
}

TEST_F(JwtClaims, RefusesATokenNotYetValid) {
  EXPECT_EQ(status_of(claims({{"nbf", kNow + 30}})), JoseStatus::ok);  // within leeway
  EXPECT_EQ(status_of(claims({{"nbf", kNow + 31}})), JoseStatus::not_yet_valid);
  clock_.advance(seconds(1));
  EXPECT_EQ(status_of(claims({{"nbf", kNow + 31}})), JoseStatus::ok);
}

TEST_F(JwtClaims, RefusesATokenIssuedInTheFuture) {
  EXPECT_EQ(status_of(claims({{"iat", kNow + 30}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"iat", kNow + 31}})), JoseStatus::issued_in_future);
}

TEST_F(JwtClaims, FractionalDatesRoundTowardsTheSaferSide) {
  options_.leeway = seconds(0);
  EXPECT_EQ(status_of(claims({{"exp", kNow + 0.5}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"exp", kNow - 0.5}})), JoseStatus::expired);
  EXPECT_EQ(status_of(claims({{"iat", kNow + 0.5}})), JoseStatus::issued_in_future);
}

TEST_F(JwtClaims, HugeDatesDoNotOverflow) {
  EXPECT_EQ(status_of(claims({{"exp", 18446744073709551615ull}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"exp", 1e300}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"exp", -1e300}})), JoseStatus::expired);
  EXPECT_EQ(status_of(claims({{"nbf", 1e300}})), JoseStatus::not_yet_valid);
}

TEST_F(JwtClaims, RequiresExpUnlessToldOtherwise) {
  json no_exp = claims();
  no_exp.erase("exp");
  EXPECT_EQ(status_of(no_exp), JoseStatus::missing_claim);
  options_.require_exp = false;
  EXPECT_EQ(status_of(no_exp), JoseStatus::ok);
}

TEST_F(JwtClaims, RequiresIatAndNamedClaimsWhenAsked) {
  json no_iat = claims();
  no_iat.erase("iat");
  EXPECT_EQ(status_of(no_iat), JoseStatus::ok);
  options_.require_iat = true;
  EXPECT_EQ(status_of(no_iat), JoseStatus::missing_claim);
  options_.require_iat = false;
  options_.required_claims = {"sub", "azp"};
  EXPECT_EQ(status_of(claims()), JoseStatus::missing_claim);
  EXPECT_EQ(status_of(claims({{"azp", "client"}})), JoseStatus::ok);
}

TEST_F(JwtClaims, RefusesDatesThatAreNotNumbers) {
  EXPECT_EQ(status_of(claims({{"exp", "1700003600"}})), JoseStatus::invalid_claim);
  EXPECT_EQ(status_of(claims({{"nbf", nullptr}})), JoseStatus::invalid_claim);
  EXPECT_EQ(status_of(claims({{"iat", json::array()}})), JoseStatus::invalid_claim);
}

TEST_F(JwtClaims, RefusesAnotherIssuer) {
  EXPECT_EQ(status_of(claims({{"iss", "https://evil.example.com/"}})), JoseStatus::bad_issuer);
  EXPECT_EQ(status_of(claims({{"iss", "https://tenant.example.com"}})), JoseStatus::bad_issuer);
  EXPECT_EQ(status_of(claims({{"iss", 42}})), JoseStatus::invalid_claim);
  json no_iss = claims();
  no_iss.erase("iss");
  EXPECT_EQ(status_of(no_iss), JoseStatus::missing_claim);
}

TEST_F(JwtClaims, AcceptsAudienceAsAStringOrAnArrayContainingIt) {
  EXPECT_EQ(status_of(claims({{"aud", kAudience}})), JoseStatus::ok);
  EXPECT_EQ(status_of(claims({{"aud", {"https://other/", kAudience}}})), JoseStatus::ok);
}

TEST_F(JwtClaims, RefusesAnAudienceThatDoesNotNameThisApi) {
  EXPECT_EQ(status_of(claims({{"aud", "https://other/"}})), JoseStatus::bad_audience);
  EXPECT_EQ(status_of(claims({{"aud", {"https://other/"}}})), JoseStatus::bad_audience);
  EXPECT_EQ(status_of(claims({{"aud", json::array()}})), JoseStatus::bad_audience);
  EXPECT_EQ(status_of(claims({{"aud", {kAudience, 7}}})), JoseStatus::invalid_claim);
  EXPECT_EQ(status_of(claims({{"aud", {{"x", kAudience}}}})), JoseStatus::invalid_claim);
  json no_aud = claims();
  no_aud.erase("aud");
  EXPECT_EQ(status_of(no_aud), JoseStatus::missing_claim);
}

TEST_F(JwtClaims, SkipsIssuerAndAudienceChecksWhenNotConfigured) {
  options_.issuer.clear();
  options_.audience.clear();
  EXPECT_EQ(status_of(claims({{"iss", "anyone"}, {"aud", "anything"}})), JoseStatus::ok);
}

class VerifyJwt : public JwtClaims {
 protected:
  const SigningKey& key_ = testing::test_key(Algorithm::eddsa);
  KeySet keys_ = testing::key_set_of(key_);

  JoseStatus verify_status(const std::string& token) const {
    auto result = verify_jwt(token, keys_, {}, options_, clock_);
    return result.ok() ? JoseStatus::ok : result.error();
  }
};

TEST_F(VerifyJwt, ReturnsTheClaimsOfAValidToken) {
  auto verified =
      verify_jwt(sign_json({{"typ", "at+jwt"}}, claims(), key_), keys_, {}, options_, clock_);
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->claims.at("sub"), "auth0|42");
  EXPECT_EQ(verified->kid, key_.kid());
}

TEST_F(VerifyJwt, ChecksTheSignatureBeforeTheClaims) {
  const std::string token = sign_json(nullptr, claims({{"exp", kNow - 3600}}), key_);
  EXPECT_EQ(verify_status(token), JoseStatus::expired);
  // Change one character well inside the signature (every bit of it counts there); overwriting
  // the last two with "AA" left about one random signature in a thousand unchanged.
  std::string tampered = token;
  char& inside = tampered[tampered.size() - 10];
  inside = inside == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify_status(tampered), JoseStatus::bad_signature);
}

TEST_F(VerifyJwt, RefusesDuplicateClaims) {
  const std::string payload = R"({"sub":"alice","sub":"admin","exp":1900000000})";
  EXPECT_EQ(verify_status(sign(nullptr, payload, key_)), JoseStatus::duplicate_claim);
}

TEST_F(VerifyJwt, RefusesAPayloadThatIsNotAJsonObject) {
  EXPECT_EQ(verify_status(sign(nullptr, "[1,2]", key_)), JoseStatus::bad_json);
  EXPECT_EQ(verify_status(sign(nullptr, "not json", key_)), JoseStatus::bad_json);
}

TEST_F(VerifyJwt, ChecksTheTypWhenAsked) {
  options_.typ = "at+jwt";
  EXPECT_EQ(verify_status(sign_json({{"typ", "at+jwt"}}, claims(), key_)), JoseStatus::ok);
  EXPECT_EQ(verify_status(sign_json({{"typ", "application/AT+JWT"}}, claims(), key_)),
            JoseStatus::ok);
  EXPECT_EQ(verify_status(sign_json({{"typ", "JWT"}}, claims(), key_)), JoseStatus::bad_type);
  EXPECT_EQ(verify_status(sign_json(nullptr, claims(), key_)), JoseStatus::bad_type);
}

}  // namespace
}  // namespace latchkey::jose
