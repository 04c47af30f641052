// TokenVerifier against a fake issuer serving its JWKS on 127.0.0.1: each way a token can be
// wrong gives its own VerifyError, and key rotation is picked up through a rate-limited refetch.

#include "verify/token_verifier.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "jose/base64url.hpp"
#include "support/jose_vectors.hpp"
#include "verify/test_issuer.hpp"

namespace latchkey::verify {
namespace {

using namespace std::chrono_literals;
using testing::FakeIssuer;
using testing::kAudience;
using testing::kStart;
using Kind = VerifyError::Kind;

class TokenVerifierTest : public ::testing::Test {
 protected:
  TokenVerifierTest() { issuer_.publish({key_}); }

  [[nodiscard]] TokenVerifierOptions options() const {
    TokenVerifierOptions options;
    options.issuer = issuer_.issuer();
    options.audience = std::string(kAudience);
    return options;
  }
  [[nodiscard]] TokenVerifier verifier() const { return TokenVerifier(options(), clock_); }

  // The kind of the error `token` gets, or nullopt when it passes.
  [[nodiscard]] std::optional<Kind> refusal(const std::string& token) const {
    auto result = verifier().verify(token);
    if (result) return std::nullopt;
    return result.error().kind;
  }

  ManualClock clock_{kStart};
  FakeIssuer issuer_;
  jose::SigningKey key_ = jose::SigningKey::generate(jose::Algorithm::es256);
};

TEST_F(TokenVerifierTest, ValidTokenPassesAndReturnsItsClaims) {
  const auto claims = verifier().verify(FakeIssuer::sign(key_, issuer_.claims()));
  ASSERT_TRUE(claims.ok()) << claims.error().description;
  EXPECT_EQ((*claims)["sub"], "auth0|alice");
  EXPECT_EQ((*claims)["scope"], "read:messages");
}

TEST_F(TokenVerifierTest, DefaultJwksUrlIsUnderTheIssuer) {
  EXPECT_EQ(jwks_url_for("https://id.example/"), "https://id.example/.well-known/jwks.json");
  EXPECT_EQ(jwks_url_for("https://id.example"), "https://id.example/.well-known/jwks.json");
  EXPECT_EQ(verifier().jwks().url(), issuer_.issuer() + ".well-known/jwks.json");
}

TEST_F(TokenVerifierTest, RsaAndEdDsaTokensPassToo) {
  auto rsa = jose::SigningKey::from_private_jwk(
      nlohmann::json::parse(latchkey::test::vectors::kRfc7515A2Jwk), jose::Algorithm::rs256);
  ASSERT_TRUE(rsa.ok());
  const auto ed = jose::SigningKey::generate(jose::Algorithm::eddsa);
  issuer_.publish(std::vector<jose::SigningKey>{key_, *rsa, ed});
  EXPECT_EQ(refusal(FakeIssuer::sign(*rsa, issuer_.claims())), std::nullopt);
  EXPECT_EQ(refusal(FakeIssuer::sign(ed, issuer_.claims())), std::nullopt);
}

TEST_F(TokenVerifierTest, WrongIssuerIsRefused) {
  auto claims = issuer_.claims();
  claims["iss"] = issuer_.issuer() + "other/";
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::bad_issuer);
  claims.erase("iss");
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::invalid_claims);
}

TEST_F(TokenVerifierTest, WrongAudienceIsRefusedAndAnAudienceArrayIsSearched) {
  auto claims = issuer_.claims();
  claims["aud"] = "https://other.test/";
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::bad_audience);
  claims["aud"] = {"https://other.test/", kAudience};
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), std::nullopt);
}

TEST_F(TokenVerifierTest, ExpiredTokenIsRefusedOutsideTheLeeway) {
  auto claims = issuer_.claims();
  claims["exp"] = to_unix_seconds(kStart) - 30;  // within the 60 s leeway
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), std::nullopt);
  claims["exp"] = to_unix_seconds(kStart) - 61;
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::expired);
}

TEST_F(TokenVerifierTest, TokenWithoutExpIsRefused) {
  auto claims = issuer_.claims();
  claims.erase("exp");
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::invalid_claims);
}

TEST_F(TokenVerifierTest, NotBeforeOrIssuedAtInTheFutureIsRefused) {
  auto claims = issuer_.claims();
  claims["nbf"] = to_unix_seconds(kStart) + 120;
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::not_yet_valid);
  claims.erase("nbf");
  claims["iat"] = to_unix_seconds(kStart) + 120;
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, claims)), Kind::not_yet_valid);
}

// A token with the given protected header, the fake issuer's claims and a made-up signature.
std::string unsigned_token(const nlohmann::json& header, const nlohmann::json& claims) {
  return jose::base64url_encode(header.dump()) + "." + jose::base64url_encode(claims.dump()) + "." +
         jose::base64url_encode("not a signature");
}

TEST_F(TokenVerifierTest, AlgNoneAndHmacTokensAreRefused) {
  EXPECT_EQ(refusal(unsigned_token({{"alg", "none"}, {"typ", "at+jwt"}}, issuer_.claims())),
            Kind::unsupported_alg);
  EXPECT_EQ(refusal(unsigned_token({{"alg", "HS256"}, {"kid", key_.kid()}, {"typ", "at+jwt"}},
                                   issuer_.claims())),
            Kind::unsupported_alg);
  // The RFC 7519 unsecured JWT: an empty signature.
  const auto token = unsigned_token({{"alg", "none"}}, issuer_.claims());
  EXPECT_TRUE(refusal(token.substr(0, token.rfind('.') + 1)).has_value());
}

TEST_F(TokenVerifierTest, AlgorithmOutsideTheAllowedListIsRefused) {
  auto restricted = options();
  restricted.algorithms = {jose::Algorithm::rs256};
  const auto result =
      TokenVerifier(restricted, clock_).verify(FakeIssuer::sign(key_, issuer_.claims()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Kind::unsupported_alg);
}

TEST_F(TokenVerifierTest, TamperedSignatureOrPayloadIsRefused) {
  const std::string token = FakeIssuer::sign(key_, issuer_.claims());
  std::string bad_signature = token;
  bad_signature[bad_signature.size() - 5] =
      bad_signature[bad_signature.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(refusal(bad_signature), Kind::bad_signature);
  auto claims = issuer_.claims("read:messages write:messages");
  const auto first_dot = token.find('.');
  const auto second_dot = token.find('.', first_dot + 1);
  const std::string forged = token.substr(0, first_dot + 1) +
                             jose::base64url_encode(claims.dump()) + token.substr(second_dot);
  EXPECT_EQ(refusal(forged), Kind::bad_signature);
}

TEST_F(TokenVerifierTest, WrongTypIsRefusedUnlessConfigured) {
  const auto id_token = FakeIssuer::sign(key_, issuer_.claims(), {{"typ", "JWT"}});
  EXPECT_EQ(refusal(id_token), Kind::bad_type);
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, issuer_.claims(), nullptr)), Kind::bad_type);
  EXPECT_EQ(refusal(FakeIssuer::sign(key_, issuer_.claims(), {{"typ", "application/at+jwt"}})),
            std::nullopt);
  auto id_options = options();
  id_options.typ = "JWT";
  EXPECT_TRUE(TokenVerifier(id_options, clock_).verify(id_token).ok());
}

TEST_F(TokenVerifierTest, GarbageIsMalformed) {
  for (const std::string& token : std::vector<std::string>{
           "", "garbage", "a.b.c", "..", "eyJhbGciOiJFUzI1NiJ9.e30", "a.b.c.d.e",
           std::string(20000, 'a') + ".b.c", "\xff\xfe.\x01.\x02"}) {
    EXPECT_EQ(refusal(token), Kind::malformed) << token.substr(0, 40);
  }
  // A payload that is not a JSON object.
  EXPECT_EQ(refusal(jose::sign(nlohmann::json{{"typ", "at+jwt"}}, "[1,2]", key_)), Kind::malformed);
}

TEST_F(TokenVerifierTest, UnknownKidRefetchesOnceAndPassesAfterRotation) {
  const auto verifier = this->verifier();
  ASSERT_TRUE(verifier.verify(FakeIssuer::sign(key_, issuer_.claims())).ok());
  EXPECT_EQ(issuer_.fetches(), 1);
  const auto rotated = jose::SigningKey::generate(jose::Algorithm::es256);
  issuer_.publish({key_, rotated});
  clock_.advance(31s);  // past the refetch rate limit, well within the cache's max age
  const auto claims = verifier.verify(FakeIssuer::sign(rotated, issuer_.claims()));
  EXPECT_TRUE(claims.ok());
  EXPECT_EQ(issuer_.fetches(), 2);
  EXPECT_TRUE(verifier.verify(FakeIssuer::sign(rotated, issuer_.claims())).ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(TokenVerifierTest, UnknownKidsWithinTheRateLimitDoNotRefetch) {
  const auto verifier = this->verifier();
  const auto bogus = jose::SigningKey::generate(jose::Algorithm::es256);
  const auto result = verifier.verify(FakeIssuer::sign(bogus, issuer_.claims()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Kind::unknown_kid);
  EXPECT_EQ(issuer_.fetches(), 1);  // the first fetch; a refetch right after it is refused
  for (int i = 0; i < 5; ++i) {
    clock_.advance(5s);
    const auto another = jose::SigningKey::generate(jose::Algorithm::eddsa);
    EXPECT_FALSE(verifier.verify(FakeIssuer::sign(another, issuer_.claims())).ok());
  }
  EXPECT_EQ(issuer_.fetches(), 1);
  clock_.advance(6s);  // 31 s after the fetch
  EXPECT_FALSE(verifier.verify(FakeIssuer::sign(bogus, issuer_.claims())).ok());
  EXPECT_EQ(issuer_.fetches(), 2);
}

TEST_F(TokenVerifierTest, ManyThreadsOnAColdCacheFetchOnce) {
  const auto verifier = this->verifier();
  const auto token = FakeIssuer::sign(key_, issuer_.claims());
  std::atomic<int> passed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (verifier.verify(token).ok()) passed.fetch_add(1);
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(passed.load(), 8);
  EXPECT_EQ(issuer_.fetches(), 1);
}

TEST_F(TokenVerifierTest, UnreachableIssuerMakesKeysUnavailable) {
  auto unreachable = options();
  unreachable.jwks_url = "http://127.0.0.1:1/.well-known/jwks.json";
  const auto result =
      TokenVerifier(unreachable, clock_).verify(FakeIssuer::sign(key_, issuer_.claims()));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, Kind::jwks_unavailable);
  const auto garbage = TokenVerifier(unreachable, clock_).verify("garbage");
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().kind, Kind::malformed);
}

}  // namespace
}  // namespace latchkey::verify
