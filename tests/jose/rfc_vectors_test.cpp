// The published JOSE examples, reproduced or verified byte for byte
// (tests/support/jose_vectors.hpp).

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "jose/jws.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"
#include "support/jose_vectors.hpp"

namespace latchkey::jose {
namespace {

namespace v = latchkey::test::vectors;

nlohmann::json parse(std::string_view text) { return nlohmann::json::parse(text); }

KeySet key_set_with(std::string_view jwk, Algorithm alg) {
  KeySet keys;
  auto key = PublicKey::from_jwk_text(jwk, alg);
  EXPECT_TRUE(key.ok());
  if (key) keys.add(std::move(*key));
  return keys;
}

VerifyOptions without_kid() {
  VerifyOptions options;
  options.require_kid = false;  // the RFC 7515 and 8037 examples carry no "kid"
  return options;
}

TEST(RfcVectors, Rfc7515A2Rs256SignatureReproducesExactly) {
  auto key = SigningKey::from_private_jwk(parse(v::kRfc7515A2Jwk), Algorithm::rs256);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  auto token = sign_with_header(v::kRfc7515A2Header, v::kRfc7515Payload, *key);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, v::kRfc7515A2Token);
}

TEST(RfcVectors, Rfc7515A2Rs256Verifies) {
  const KeySet keys = key_set_with(v::kRfc7515A2Jwk, Algorithm::rs256);
  auto verified = verify(v::kRfc7515A2Token, keys, without_kid());
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->payload, v::kRfc7515Payload);
  EXPECT_EQ(verified->alg, Algorithm::rs256);
}

TEST(RfcVectors, Rfc7515A3Es256Verifies) {
  const KeySet keys = key_set_with(v::kRfc7515A3Jwk, Algorithm::es256);
  auto verified = verify(v::kRfc7515A3Token, keys, without_kid());
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->payload, v::kRfc7515Payload);
  EXPECT_EQ(verified->alg, Algorithm::es256);
}

TEST(RfcVectors, Rfc7515A3Es256FailsWhenTheSignatureIsAltered) {
  const KeySet keys = key_set_with(v::kRfc7515A3Jwk, Algorithm::es256);
  std::string token(v::kRfc7515A3Token);
  token[token.size() - 5] = token[token.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(token, keys, without_kid()).error(), JoseStatus::bad_signature);
}

TEST(RfcVectors, Rfc7515A3PrivateKeySignsWhatItsPublicKeyVerifies) {
  // ECDSA is randomised, so the published signature cannot be reproduced: sign anew instead.
  auto key = SigningKey::from_private_jwk(parse(v::kRfc7515A3Jwk), Algorithm::es256);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  auto token = sign_with_header(R"({"alg":"ES256"})", v::kRfc7515Payload, *key);
  ASSERT_TRUE(token.ok());
  const KeySet keys = key_set_with(v::kRfc7515A3Jwk, Algorithm::es256);
  EXPECT_TRUE(verify(*token, keys, without_kid()).ok());
}

TEST(RfcVectors, Rfc7520Section41RsaV15ReproducesExactly) {
  auto key = SigningKey::from_private_jwk(parse(v::kRfc7520RsaJwk), Algorithm::rs256);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  EXPECT_EQ(key->kid(), v::kRfc7520Kid);
  // sign() writes {"alg":…,"kid":…} in that order, exactly the protected header of §4.1.2.
  EXPECT_EQ(sign(nullptr, v::kRfc7520Payload, *key), v::kRfc7520S41Token);
}

TEST(RfcVectors, Rfc7520Section41RsaV15Verifies) {
  const KeySet keys = key_set_with(v::kRfc7520RsaJwk, Algorithm::rs256);
  auto verified = verify(v::kRfc7520S41Token, keys);
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->payload, v::kRfc7520Payload);
  EXPECT_EQ(verified->kid, v::kRfc7520Kid);
}

TEST(RfcVectors, Rfc7520Section42IsPs384AndRefusedAsUnsupported) {
  // RFC 7520 §4.2 is the cookbook's RSASSA-PSS example, but it uses PS384; latchkey accepts
  // PS256 only, so the published token must be refused before any key is used. PS256 itself is
  // covered by the round trips in jws_roundtrip_test.cpp.
  const KeySet keys = key_set_with(v::kRfc7520RsaJwk, Algorithm::ps256);
  EXPECT_EQ(verify(v::kRfc7520S42Token, keys).error(), JoseStatus::unsupported_alg);
}

TEST(RfcVectors, Rfc7520Section43Es512IsRefusedAsUnsupported) {
  // RFC 7520 §4.3 signs with ES512 on P-521, which latchkey does not support: both the key and
  // the token are refused (this replaces a P-521 verification).
  EXPECT_EQ(PublicKey::from_jwk_text(v::kRfc7520P521Jwk).error(), JoseStatus::unsupported_key);
  const KeySet keys = key_set_with(v::kRfc7520RsaJwk, Algorithm::rs256);
  EXPECT_EQ(verify(v::kRfc7520S43Token, keys).error(), JoseStatus::unsupported_alg);
}

TEST(RfcVectors, Rfc8037A3Ed25519ThumbprintMatches) {
  auto key = PublicKey::from_jwk_text(v::kRfc8037PublicJwk);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  EXPECT_EQ(key->thumbprint(), v::kRfc8037Thumbprint);
  EXPECT_EQ(key->kid(), v::kRfc8037Thumbprint);  // no "kid" member: the thumbprint names it
  EXPECT_EQ(key->alg(), Algorithm::eddsa);
}

TEST(RfcVectors, Rfc8037A4Ed25519SignatureReproducesExactly) {
  auto key = SigningKey::from_private_jwk(parse(v::kRfc8037PrivateJwk));
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  EXPECT_EQ(key->kid(), v::kRfc8037Thumbprint);
  auto token = sign_with_header(v::kRfc8037A4Header, v::kRfc8037A4Payload, *key);
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(*token, v::kRfc8037A4Token);
}

TEST(RfcVectors, Rfc8037A5Ed25519Verifies) {
  const KeySet keys = key_set_with(v::kRfc8037PublicJwk, Algorithm::eddsa);
  auto verified = verify(v::kRfc8037A4Token, keys, without_kid());
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->payload, v::kRfc8037A4Payload);
}

TEST(RfcVectors, Rfc7638Section31ThumbprintMatches) {
  auto key = PublicKey::from_jwk_text(v::kRfc7638Jwk);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  EXPECT_EQ(key->thumbprint(), v::kRfc7638Thumbprint);
  EXPECT_EQ(key->kid(), "2011-04-29");
  EXPECT_EQ(key->alg(), Algorithm::rs256);
}

}  // namespace
}  // namespace latchkey::jose
