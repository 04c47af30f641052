// Every way verify() must refuse a token, each with its own status.

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "jose/jws.hpp"
#include "test_keys.hpp"

namespace latchkey::jose {
namespace {

using testing::header_for;
using testing::key_set_of;
using testing::sign_raw;
using testing::test_key;

constexpr std::string_view kPayload = R"({"sub":"auth0|42"})";

class JwsVerify : public ::testing::Test {
 protected:
  const SigningKey& key_ = test_key(Algorithm::es256);
  KeySet keys_ = key_set_of(key_);
};

TEST_F(JwsVerify, AcceptsAWellFormedTokenSignedByAKnownKey) {
  auto verified = verify(sign(nullptr, kPayload, key_), keys_);
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->payload, kPayload);
  EXPECT_EQ(verified->kid, key_.kid());
  EXPECT_EQ(verified->header.at("alg"), "ES256");
}

TEST_F(JwsVerify, RefusesAlgNone) {
  const std::string token =
      base64url_encode(std::string_view(R"({"alg":"none","kid":")" + key_.kid() + "\"}")) + "." +
      base64url_encode(kPayload) + ".";
  // An empty signature is already malformed; "none" with any signature is alg_none.
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::malformed);
  EXPECT_EQ(verify(token + "c2ln", keys_).error(), JoseStatus::alg_none);
}

TEST_F(JwsVerify, RefusesHs256EvenWhenKeyedWithThePublicKey) {
  // The classic confusion attack: an HMAC keyed with the verifier's public key text.
  const std::string secret = key_.public_key().to_jwk().dump();
  const std::string input = base64url_encode(header_for(key_, "").replace(8, 5, "HS256")) + "." +
                            base64url_encode(kPayload);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_size);
  const std::string token =
      input + "." + base64url_encode(std::string_view(reinterpret_cast<char*>(mac), mac_size));
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::unsupported_alg);
}

TEST_F(JwsVerify, RefusesAnRsaKeyRegisteredForRs256WhenTheTokenSaysPs256) {
  const SigningKey& rs256 = test_key(Algorithm::rs256);
  // The very same private key, used for PS256: the signature is valid, the algorithm is not.
  auto as_ps256 = SigningKey::from_pkcs8_pem(rs256.to_pkcs8_pem(), Algorithm::ps256);
  ASSERT_TRUE(as_ps256.ok());
  ASSERT_EQ(as_ps256->kid(), rs256.kid());
  const std::string token = sign(nullptr, kPayload, *as_ps256);
  EXPECT_EQ(verify(token, key_set_of(rs256)).error(), JoseStatus::key_alg_mismatch);
  EXPECT_TRUE(verify(token, key_set_of(*as_ps256)).ok());
}

TEST_F(JwsVerify, RefusesAHeaderAlgThatDiffersFromTheKeysAlg) {
  const std::string token = sign_raw(R"({"alg":"EdDSA","kid":")" + key_.kid() + "\"}", kPayload,
                                     test_key(Algorithm::eddsa));
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::key_alg_mismatch);
}

TEST_F(JwsVerify, RefusesAnUnknownKid) {
  const std::string token = sign_raw(R"({"alg":"ES256","kid":"someone-else"})", kPayload, key_);
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::unknown_kid);
}

TEST_F(JwsVerify, RefusesAMissingKidUnlessAllowed) {
  const std::string token = sign_raw(R"({"alg":"ES256"})", kPayload, key_);
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::unknown_kid);
  VerifyOptions lenient;
  lenient.require_kid = false;
  EXPECT_TRUE(verify(token, keys_, lenient).ok());
}

TEST_F(JwsVerify, RefusesTheWrongNumberOfSegments) {
  const std::string token = sign(nullptr, kPayload, key_);
  const std::size_t last_dot = token.rfind('.');
  EXPECT_EQ(verify(token.substr(0, last_dot), keys_).error(), JoseStatus::malformed);
  EXPECT_EQ(verify(token + ".", keys_).error(), JoseStatus::malformed);
  EXPECT_EQ(verify(token + ".e30.e30", keys_).error(), JoseStatus::malformed);  // JWE-shaped
  EXPECT_EQ(verify("", keys_).error(), JoseStatus::malformed);
  EXPECT_EQ(verify("..", keys_).error(), JoseStatus::malformed);
}

TEST_F(JwsVerify, RefusesAnEmptySignature) {
  const std::string token = sign(nullptr, kPayload, key_);
  EXPECT_EQ(verify(token.substr(0, token.rfind('.') + 1), keys_).error(), JoseStatus::malformed);
}

TEST_F(JwsVerify, RefusesBadBase64InAnySegment) {
  const std::string token = sign(nullptr, kPayload, key_);
  const std::size_t first = token.find('.');
  const std::size_t last = token.rfind('.');
  EXPECT_EQ(verify("=" + token, keys_).error(), JoseStatus::bad_base64);
  EXPECT_EQ(verify(token.substr(0, first + 1) + "+" + token.substr(first + 1), keys_).error(),
            JoseStatus::bad_base64);
  EXPECT_EQ(verify(token + "=", keys_).error(), JoseStatus::bad_base64);
  EXPECT_EQ(verify(token.substr(0, last + 1) + " " + token.substr(last + 1), keys_).error(),
            JoseStatus::bad_base64);
}

TEST_F(JwsVerify, RefusesAHeaderThatIsNotAJsonObject) {
  const std::string tail = "." + base64url_encode(kPayload) + ".c2ln";
  EXPECT_EQ(verify(base64url_encode(std::string_view("{\"alg\":")) + tail, keys_).error(),
            JoseStatus::bad_json);
  EXPECT_EQ(verify(base64url_encode(std::string_view("[\"ES256\"]")) + tail, keys_).error(),
            JoseStatus::malformed);
  EXPECT_EQ(verify(base64url_encode(std::string_view("{\"kid\":\"x\"}")) + tail, keys_).error(),
            JoseStatus::malformed);  // no "alg"
}

TEST_F(JwsVerify, RefusesDuplicateHeaderMembersEvenWhenValidlySigned) {
  const std::string token =
      sign_raw(R"({"alg":"ES256","kid":")" + key_.kid() + R"(","kid":"other"})", kPayload, key_);
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::duplicate_header_key);
  const std::string nested = sign_raw(header_for(key_, R"(,"x":{"a":1,"a":2})"), kPayload, key_);
  EXPECT_EQ(verify(nested, keys_).error(), JoseStatus::duplicate_header_key);
}

TEST_F(JwsVerify, RefusesACritExtensionItDoesNotUnderstand) {
  const std::string token =
      sign_raw(header_for(key_, R"(,"crit":["exp"],"exp":1)"), kPayload, key_);
  EXPECT_EQ(verify(token, keys_).error(), JoseStatus::unsupported_crit);
  VerifyOptions understands_exp;
  understands_exp.understood_crit = {"exp"};
  EXPECT_TRUE(verify(token, keys_, understands_exp).ok());
}

TEST_F(JwsVerify, RefusesAMalformedCrit) {
  VerifyOptions understands_exp;
  understands_exp.understood_crit = {"exp"};
  for (const std::string_view crit : {R"(,"crit":[])", R"(,"crit":"exp")", R"(,"crit":[1])",
                                      R"(,"crit":["exp"])" /* named but absent */}) {
    const std::string token = sign_raw(header_for(key_, crit), kPayload, key_);
    EXPECT_EQ(verify(token, keys_, understands_exp).error(), JoseStatus::malformed) << crit;
  }
}

TEST_F(JwsVerify, RefusesTokensOverTheSizeLimitBeforeDecoding) {
  const std::string big_payload(kDefaultMaxTokenSize, 'x');
  EXPECT_EQ(verify(sign(nullptr, big_payload, key_), keys_).error(), JoseStatus::too_large);
  VerifyOptions small;
  small.max_token_size = 64;
  EXPECT_EQ(verify(sign(nullptr, kPayload, key_), keys_, small).error(), JoseStatus::too_large);
  EXPECT_EQ(verify(std::string(kDefaultMaxTokenSize + 1, '.'), keys_).error(),
            JoseStatus::too_large);
}

TEST_F(JwsVerify, RefusesAnEs256SignatureInDerForm) {
  // RFC 7518 §3.4: R||S of exactly 64 bytes; a DER signature must not be accepted.
  const std::string token = sign(nullptr, kPayload, key_);
  std::string signature = *base64url_decode(token.substr(token.rfind('.') + 1));
  const std::string der =
      "\x30\x44\x02\x20" + signature.substr(0, 32) + "\x02\x20" + signature.substr(32);
  const std::string forged = token.substr(0, token.rfind('.') + 1) + base64url_encode(der);
  EXPECT_EQ(verify(forged, keys_).error(), JoseStatus::bad_signature);
}

TEST_F(JwsVerify, RefusesASignatureOfTheWrongLength) {
  const std::string token = sign(nullptr, kPayload, key_);
  const std::string input = token.substr(0, token.rfind('.') + 1);
  const std::string signature = *base64url_decode(token.substr(token.rfind('.') + 1));
  EXPECT_EQ(verify(input + base64url_encode(signature + '\0'), keys_).error(),
            JoseStatus::bad_signature);
  EXPECT_EQ(verify(input + base64url_encode(signature.substr(1)), keys_).error(),
            JoseStatus::bad_signature);
}

TEST_F(JwsVerify, IgnoresAnEmbeddedJwkAndTrustsOnlyTheKeySet) {
  // A header "jwk" is attacker-chosen (RFC 8725 §3.10): signing with a key outside the set
  // fails even if the token carries that key's JWK and the set's kid.
  const SigningKey other = SigningKey::generate(Algorithm::es256);
  const std::string header = header_for(key_, R"(,"jwk":)" + other.public_key().to_jwk().dump());
  EXPECT_EQ(verify(sign_raw(header, kPayload, other), keys_).error(), JoseStatus::bad_signature);
}

TEST(JoseStatusNames, EveryStatusHasASnakeCaseName) {
  EXPECT_EQ(to_string(JoseStatus::ok), "ok");
  EXPECT_EQ(to_string(JoseStatus::duplicate_header_key), "duplicate_header_key");
  EXPECT_EQ(to_string(JoseStatus::issued_in_future), "issued_in_future");
  EXPECT_EQ(to_string(JoseStatus::bad_type), "bad_type");
}

}  // namespace
}  // namespace latchkey::jose
