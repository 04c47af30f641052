// JWK export and import, RFC 7638 kids, PKCS#8 PEM, and the KeySet.

#include <gtest/gtest.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "jose/jws.hpp"
#include "support/jose_vectors.hpp"
#include "test_keys.hpp"

namespace latchkey::jose {
namespace {

using nlohmann::json;
using testing::key_set_of;
using testing::test_key;
namespace v = latchkey::test::vectors;

class JwkExport : public ::testing::TestWithParam<Algorithm> {};

TEST_P(JwkExport, PublicJwkNamesTheKeyAndCarriesNoPrivateMember) {
  const SigningKey& key = test_key(GetParam());
  const json jwk = key.public_key().to_jwk();
  EXPECT_EQ(jwk.at("use"), "sig");
  EXPECT_EQ(jwk.at("alg"), to_string(GetParam()));
  EXPECT_EQ(jwk.at("kid"), key.kid());
  for (const char* secret : {"d", "p", "q", "dp", "dq", "qi"}) EXPECT_FALSE(jwk.contains(secret));
  const std::string kty = jwk.at("kty");
  if (kty == "RSA") {
    EXPECT_EQ(jwk.at("e"), "AQAB");
    EXPECT_EQ(base64url_decode(jwk.at("n").get<std::string>())->size(), 256u);
  } else if (kty == "EC") {
    EXPECT_EQ(jwk.at("crv"), "P-256");
    EXPECT_EQ(base64url_decode(jwk.at("x").get<std::string>())->size(), 32u);
    EXPECT_EQ(base64url_decode(jwk.at("y").get<std::string>())->size(), 32u);
  } else {
    EXPECT_EQ(kty, "OKP");
    EXPECT_EQ(jwk.at("crv"), "Ed25519");
    EXPECT_EQ(base64url_decode(jwk.at("x").get<std::string>())->size(), 32u);
  }
}

TEST_P(JwkExport, KidIsTheRfc7638Thumbprint) {
  const SigningKey& key = test_key(GetParam());
  EXPECT_EQ(key.kid(), key.public_key().thumbprint());
  EXPECT_EQ(key.kid().size(), 43u);  // base64url of 32 bytes
  // Dropping kid, alg and use must not change the thumbprint: only required members count.
  json bare = key.public_key().to_jwk();
  bare.erase("kid");
  bare.erase("use");
  bare.erase("alg");
  auto imported = PublicKey::from_jwk(bare, GetParam());
  ASSERT_TRUE(imported.ok());
  EXPECT_EQ(imported->thumbprint(), key.kid());
}

TEST_P(JwkExport, ExportedJwkImportsToAKeyThatVerifies) {
  const SigningKey& key = test_key(GetParam());
  auto imported = PublicKey::from_jwk_text(key.public_key().to_jwk().dump());
  ASSERT_TRUE(imported.ok()) << to_string(imported.error());
  EXPECT_EQ(imported->alg(), GetParam());
  EXPECT_EQ(imported->kid(), key.kid());
  KeySet keys;
  ASSERT_TRUE(keys.add(*imported));
  EXPECT_TRUE(verify(sign(nullptr, "hello", key), keys).ok());
}

TEST_P(JwkExport, Pkcs8PemRoundTripKeepsTheKey) {
  const SigningKey& key = test_key(GetParam());
  const std::string pem = key.to_pkcs8_pem();
  EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto restored = SigningKey::from_pkcs8_pem(pem, GetParam());
  ASSERT_TRUE(restored.ok()) << to_string(restored.error());
  EXPECT_EQ(restored->kid(), key.kid());
  EXPECT_TRUE(verify(sign(nullptr, "hello", *restored), key_set_of(key)).ok());
}

TEST_P(JwkExport, GeneratedKeysAreFreshAndWork) {
  const SigningKey key = SigningKey::generate(GetParam());
  EXPECT_NE(key.kid(), test_key(GetParam()).kid());
  EXPECT_EQ(key.kid(), key.public_key().thumbprint());
  EXPECT_TRUE(verify(sign(nullptr, "hello", key), key_set_of(key)).ok());
  if (GetParam() == Algorithm::rs256 || GetParam() == Algorithm::ps256) {
    // RSA-2048 (a 256-byte modulus) with e = 65537.
    const json jwk = key.public_key().to_jwk();
    EXPECT_EQ(base64url_decode(jwk.at("n").get<std::string>())->size(), 256u);
    EXPECT_EQ(jwk.at("e"), "AQAB");
  }
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, JwkExport,
                         ::testing::Values(Algorithm::rs256, Algorithm::ps256, Algorithm::es256,
                                           Algorithm::eddsa),
                         testing::algorithm_test_name);

TEST(Pkcs8Pem, RefusesTextThatIsNotAPrivateKey) {
  EXPECT_EQ(SigningKey::from_pkcs8_pem("", Algorithm::es256).error(), JoseStatus::bad_key);
  EXPECT_EQ(SigningKey::from_pkcs8_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", Algorithm::es256)
                .error(),
            JoseStatus::bad_key);
}

TEST(Pkcs8Pem, RefusesAKeyOfAnotherTypeThanTheAlgorithm) {
  const std::string pem = test_key(Algorithm::es256).to_pkcs8_pem();
  EXPECT_EQ(SigningKey::from_pkcs8_pem(pem, Algorithm::rs256).error(),
            JoseStatus::key_alg_mismatch);
  EXPECT_EQ(SigningKey::from_pkcs8_pem(pem, Algorithm::eddsa).error(),
            JoseStatus::key_alg_mismatch);
}

std::string encode_pem(EVP_PKEY* pkey, const char* cipher) {
  OSSL_ENCODER_CTX* ctx =
      OSSL_ENCODER_CTX_new_for_pkey(pkey, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", nullptr);
  if (cipher != nullptr) {
    OSSL_ENCODER_CTX_set_cipher(ctx, cipher, nullptr);
    OSSL_ENCODER_CTX_set_passphrase(ctx, reinterpret_cast<const unsigned char*>("pw"), 2);
  }
  unsigned char* data = nullptr;
  std::size_t length = 0;
  OSSL_ENCODER_to_data(ctx, &data, &length);
  std::string pem(reinterpret_cast<char*>(data), length);
  OPENSSL_free(data);
  OSSL_ENCODER_CTX_free(ctx);
  return pem;
}

TEST(Pkcs8Pem, RefusesAnEncryptedKeyWithoutPrompting) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  const std::string pem = encode_pem(pkey, "AES-256-CBC");
  EVP_PKEY_free(pkey);
  ASSERT_NE(pem.find("ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(SigningKey::from_pkcs8_pem(pem, Algorithm::es256).error(), JoseStatus::bad_key);
}

TEST(Pkcs8Pem, RefusesRsaKeysShorterThan2048Bits) {
  // RFC 7518 §3.3: a key of size 2048 bits or larger MUST be used.
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(1024));
  const std::string pem = encode_pem(pkey, nullptr);
  EVP_PKEY_free(pkey);
  EXPECT_EQ(SigningKey::from_pkcs8_pem(pem, Algorithm::rs256).error(), JoseStatus::bad_key);
}

TEST(Pkcs8Pem, RefusesOtherCurves) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  const std::string pem = encode_pem(pkey, nullptr);
  EVP_PKEY_free(pkey);
  EXPECT_EQ(SigningKey::from_pkcs8_pem(pem, Algorithm::es256).error(), JoseStatus::unsupported_key);
}

json es256_jwk() { return test_key(Algorithm::es256).public_key().to_jwk(); }

TEST(JwkImport, RefusesSomethingThatIsNotAnObject) {
  EXPECT_EQ(PublicKey::from_jwk(json::array()).error(), JoseStatus::bad_json);
  EXPECT_EQ(PublicKey::from_jwk_text("{").error(), JoseStatus::bad_json);
  EXPECT_EQ(PublicKey::from_jwk_text(R"({"kty":"EC","kty":"RSA"})").error(), JoseStatus::bad_json);
}

TEST(JwkImport, RefusesKeyTypesAndCurvesItDoesNotHandle) {
  EXPECT_EQ(PublicKey::from_jwk({{"kty", "oct"}, {"k", "c2VjcmV0"}}).error(),
            JoseStatus::unsupported_key);
  json x25519 = test_key(Algorithm::eddsa).public_key().to_jwk();
  x25519["crv"] = "X25519";
  x25519.erase("alg");
  EXPECT_EQ(PublicKey::from_jwk(x25519).error(), JoseStatus::unsupported_key);
  json encryption = es256_jwk();
  encryption["use"] = "enc";
  EXPECT_EQ(PublicKey::from_jwk(encryption).error(), JoseStatus::unsupported_key);
}

TEST(JwkImport, RefusesMissingOrMalformedMembers) {
  json no_kty = es256_jwk();
  no_kty.erase("kty");
  EXPECT_EQ(PublicKey::from_jwk(no_kty).error(), JoseStatus::bad_key);
  json no_y = es256_jwk();
  no_y.erase("y");
  EXPECT_EQ(PublicKey::from_jwk(no_y).error(), JoseStatus::bad_key);
  json padded = es256_jwk();
  padded["x"] = padded["x"].get<std::string>() + "=";
  EXPECT_EQ(PublicKey::from_jwk(padded).error(), JoseStatus::bad_key);
  json short_x = es256_jwk();
  short_x["x"] = base64url_encode(std::string(31, 'a'));  // RFC 7518 §6.2.1.2: full 32 bytes
  EXPECT_EQ(PublicKey::from_jwk(short_x).error(), JoseStatus::bad_key);
  json number_kid = es256_jwk();
  number_kid["kid"] = 7;
  EXPECT_EQ(PublicKey::from_jwk(number_kid).error(), JoseStatus::bad_key);
}

TEST(JwkImport, RefusesAPointThatIsNotOnTheCurve) {
  json off_curve = es256_jwk();
  std::string y = *base64url_decode(off_curve["y"].get<std::string>());
  y[31] = static_cast<char>(y[31] ^ 1);
  off_curve["y"] = base64url_encode(y);
  EXPECT_EQ(PublicKey::from_jwk(off_curve).error(), JoseStatus::bad_key);
}

TEST(JwkImport, RefusesShortRsaModuli) {
  json weak = test_key(Algorithm::rs256).public_key().to_jwk();
  weak["n"] = base64url_encode(base64url_decode(weak["n"].get<std::string>())->substr(0, 128));
  EXPECT_EQ(PublicKey::from_jwk(weak).error(), JoseStatus::bad_key);
}

TEST(JwkImport, BindsTheKeyToOneAlgorithm) {
  json jwk = test_key(Algorithm::rs256).public_key().to_jwk();
  EXPECT_EQ(PublicKey::from_jwk(jwk, Algorithm::ps256).error(), JoseStatus::key_alg_mismatch);
  jwk["alg"] = "HS256";
  EXPECT_EQ(PublicKey::from_jwk(jwk).error(), JoseStatus::unsupported_alg);
  jwk["alg"] = "ES256";
  EXPECT_EQ(PublicKey::from_jwk(jwk).error(), JoseStatus::key_alg_mismatch);
  jwk.erase("alg");
  EXPECT_EQ(PublicKey::from_jwk(jwk)->alg(), Algorithm::rs256);  // RSA without "alg": RS256
  EXPECT_EQ(PublicKey::from_jwk(jwk, Algorithm::ps256)->alg(), Algorithm::ps256);
}

TEST(JwkImport, PrivateJwkMustHaveAllCrtMembersOrNone) {
  json jwk = json::parse(v::kRfc7520RsaJwk);
  json partial = jwk;
  partial.erase("qi");
  EXPECT_EQ(SigningKey::from_private_jwk(partial).error(), JoseStatus::bad_key);
  json no_crt = jwk;
  for (const char* name : {"p", "q", "dp", "dq", "qi"}) no_crt.erase(name);
  auto key = SigningKey::from_private_jwk(no_crt);
  ASSERT_TRUE(key.ok()) << to_string(key.error());
  EXPECT_EQ(sign(nullptr, v::kRfc7520Payload, *key), v::kRfc7520S41Token);
}

TEST(JwkImport, PrivateJwkWhoseHalvesDisagreeIsRefused) {
  json ed = json::parse(v::kRfc8037PrivateJwk);
  ed["x"] = test_key(Algorithm::eddsa).public_key().to_jwk()["x"];
  EXPECT_EQ(SigningKey::from_private_jwk(ed).error(), JoseStatus::bad_key);
  json ec = json::parse(v::kRfc7515A3Jwk);
  ec["x"] = es256_jwk()["x"];
  ec["y"] = es256_jwk()["y"];
  EXPECT_EQ(SigningKey::from_private_jwk(ec).error(), JoseStatus::bad_key);
  json rsa = json::parse(v::kRfc7520RsaJwk);
  rsa["d"] = json::parse(v::kRfc7515A2Jwk)["d"];
  for (const char* name : {"p", "q", "dp", "dq", "qi"}) rsa.erase(name);
  EXPECT_EQ(SigningKey::from_private_jwk(rsa).error(), JoseStatus::bad_key);
}

TEST(KeySet, RefusesASecondKeyWithTheSameKid) {
  KeySet keys;
  EXPECT_TRUE(keys.add(test_key(Algorithm::es256).public_key()));
  json impostor = test_key(Algorithm::eddsa).public_key().to_jwk();
  impostor["kid"] = test_key(Algorithm::es256).kid();
  EXPECT_FALSE(keys.add(*PublicKey::from_jwk(impostor)));
  EXPECT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys.find(test_key(Algorithm::es256).kid())->alg(), Algorithm::es256);
}

TEST(KeySet, LoadsAJwksSkippingKeysItCannotUse) {
  json jwks = {{"keys", json::array({test_key(Algorithm::rs256).public_key().to_jwk(),
                                     json::parse(v::kRfc7520P521Jwk),
                                     {{"kty", "oct"}, {"k", "c2VjcmV0"}},
                                     test_key(Algorithm::eddsa).public_key().to_jwk()})}};
  KeySet keys;
  auto added = keys.add_jwks(jwks.dump());
  ASSERT_TRUE(added.ok());
  EXPECT_EQ(*added, 2u);
  EXPECT_NE(keys.find(test_key(Algorithm::rs256).kid()), nullptr);
  EXPECT_NE(keys.find(test_key(Algorithm::eddsa).kid()), nullptr);
  EXPECT_EQ(keys.find("bilbo.baggins@hobbiton.example"), nullptr);
}

TEST(KeySet, RefusesADocumentThatIsNotAJwks) {
  KeySet keys;
  EXPECT_EQ(keys.add_jwks("[]").error(), JoseStatus::bad_json);
  EXPECT_EQ(keys.add_jwks(R"({"keys":{}})").error(), JoseStatus::bad_json);
  EXPECT_EQ(keys.add_jwks("not json").error(), JoseStatus::bad_json);
}

TEST(KeySet, PublishesEveryKeyAsAJwks) {
  KeySet keys;
  keys.add(test_key(Algorithm::es256).public_key());
  keys.add(test_key(Algorithm::ps256).public_key());
  const json jwks = keys.to_jwks();
  ASSERT_EQ(jwks.at("keys").size(), 2u);
  KeySet reloaded;
  EXPECT_EQ(*reloaded.add_jwks(jwks.dump()), 2u);
  EXPECT_EQ(reloaded.find(test_key(Algorithm::ps256).kid())->alg(), Algorithm::ps256);
}

}  // namespace
}  // namespace latchkey::jose
