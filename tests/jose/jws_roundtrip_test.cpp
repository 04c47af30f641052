// Generate, sign, verify for each algorithm; any change to the token breaks it.

#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "jose/jws.hpp"
#include "test_keys.hpp"

namespace latchkey::jose {
namespace {

using testing::key_set_of;
using testing::test_key;

class JwsRoundTrip : public ::testing::TestWithParam<Algorithm> {};

TEST_P(JwsRoundTrip, SignedTokenVerifiesWithTheKeysPublicHalf) {
  const SigningKey& key = test_key(GetParam());
  const nlohmann::json claims = {{"sub", "auth0|42"}, {"scope", "read:things"}};
  const std::string token = sign_json({{"typ", "at+jwt"}}, claims, key);
  auto verified = verify(token, key_set_of(key));
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(nlohmann::json::parse(verified->payload), claims);
  EXPECT_EQ(verified->alg, GetParam());
  EXPECT_EQ(verified->kid, key.kid());
  EXPECT_EQ(verified->header.at("typ"), "at+jwt");
  EXPECT_EQ(verified->header.at("alg"), to_string(GetParam()));
}

TEST_P(JwsRoundTrip, TamperedPayloadFailsWithBadSignature) {
  const SigningKey& key = test_key(GetParam());
  const std::string token = sign(nullptr, R"({"sub":"alice","admin":false})", key);
  const std::size_t first = token.find('.');
  const std::size_t second = token.find('.', first + 1);
  const std::string forged = token.substr(0, first + 1) +
                             base64url_encode(std::string_view(R"({"sub":"alice","admin":true})")) +
                             token.substr(second);
  EXPECT_EQ(verify(forged, key_set_of(key)).error(), JoseStatus::bad_signature);
}

TEST_P(JwsRoundTrip, TamperedHeaderFailsWithBadSignature) {
  const SigningKey& key = test_key(GetParam());
  const std::string token = sign(nullptr, "payload", key);
  const std::string forged =
      base64url_encode(std::string_view(R"({"alg":")" + std::string(to_string(key.alg())) +
                                        R"(","kid":")" + key.kid() + R"(","typ":"JWT"})")) +
      token.substr(token.find('.'));
  EXPECT_EQ(verify(forged, key_set_of(key)).error(), JoseStatus::bad_signature);
}

TEST_P(JwsRoundTrip, AnotherKeyOfTheSameAlgorithmDoesNotVerify) {
  const SigningKey& other = testing::other_test_key(GetParam());
  const std::string token =
      testing::sign_raw(testing::header_for(test_key(GetParam())), "payload", other);
  EXPECT_EQ(verify(token, key_set_of(test_key(GetParam()))).error(), JoseStatus::bad_signature);
}

TEST_P(JwsRoundTrip, CallerCannotOverrideAlgOrKid) {
  const SigningKey& key = test_key(GetParam());
  const std::string token = sign({{"alg", "none"}, {"kid", "forged"}, {"typ", "JWT"}}, "x", key);
  auto verified = verify(token, key_set_of(key));
  ASSERT_TRUE(verified.ok()) << to_string(verified.error());
  EXPECT_EQ(verified->header.at("alg"), to_string(GetParam()));
  EXPECT_EQ(verified->header.at("kid"), key.kid());
}

TEST_P(JwsRoundTrip, SignatureHasTheSizeTheAlgorithmDefines) {
  const SigningKey& key = test_key(GetParam());
  const std::string token = sign(nullptr, "x", key);
  auto signature = base64url_decode(token.substr(token.rfind('.') + 1));
  ASSERT_TRUE(signature.ok());
  // RSA-2048: 256 bytes; ES256: R||S, 64 bytes (RFC 7518 §3.4); Ed25519: 64 bytes.
  const bool rsa = GetParam() == Algorithm::rs256 || GetParam() == Algorithm::ps256;
  EXPECT_EQ(signature->size(), rsa ? 256u : 64u);
}

INSTANTIATE_TEST_SUITE_P(AllAlgorithms, JwsRoundTrip,
                         ::testing::Values(Algorithm::rs256, Algorithm::ps256, Algorithm::es256,
                                           Algorithm::eddsa),
                         testing::algorithm_test_name);

TEST(JwsSign, RefusesAHeaderExtraThatIsNotAnObject) {
  EXPECT_THROW((void)sign(nlohmann::json::array({1}), "x", test_key(Algorithm::es256)),
               std::invalid_argument);
}

TEST(JwsSign, SignWithHeaderRefusesAnAlgOtherThanTheKeys) {
  const SigningKey& key = test_key(Algorithm::es256);
  EXPECT_EQ(sign_with_header(R"({"alg":"RS256"})", "x", key).error(), JoseStatus::key_alg_mismatch);
  EXPECT_EQ(sign_with_header(R"({"alg":"none"})", "x", key).error(), JoseStatus::alg_none);
  EXPECT_EQ(sign_with_header(R"({"alg":"ES256","alg":"ES256"})", "x", key).error(),
            JoseStatus::duplicate_header_key);
  EXPECT_EQ(sign_with_header(R"({"alg":)", "x", key).error(), JoseStatus::bad_json);
}

}  // namespace
}  // namespace latchkey::jose

namespace latchkey::jose {
namespace {

TEST(JwsSign, InvalidUtf8InAClaimIsReplacedNotThrown) {
  const SigningKey& key = testing::test_key(Algorithm::eddsa);
  const nlohmann::json claims = {{"name", std::string("bad \xff byte")}};
  std::string token;
  ASSERT_NO_THROW(token = sign_json(nullptr, claims, key));
  auto verified = verify(token, testing::key_set_of(key));
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(nlohmann::json::parse(verified->payload).at("name"), "bad \xef\xbf\xbd byte");
}

}  // namespace
}  // namespace latchkey::jose

namespace latchkey::jose {
namespace {

TEST_P(JwsRoundTrip, OneKeySignsAndVerifiesFromManyThreadsAtOnce) {
  // Keys are shared by every I/O thread: their prepared OpenSSL contexts are only copied from.
  const SigningKey& key = testing::test_key(GetParam());
  const KeySet keys = testing::key_set_of(key);
  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string payload = "thread " + std::to_string(t) + " token " + std::to_string(i);
        auto result = verify(sign(nullptr, payload, key), keys);
        if (result && result->payload == payload) ++verified;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(verified.load(), 40);
}

}  // namespace
}  // namespace latchkey::jose
