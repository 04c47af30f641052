#include "oauth/pkce.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/pkce_vectors.hpp"

namespace latchkey::oauth {
namespace {

using test::vectors::kRfc7636Challenge;
using test::vectors::kRfc7636Verifier;

TEST(Pkce, Rfc7636AppendixBVerifierGivesItsChallenge) {
  EXPECT_EQ(s256_challenge(kRfc7636Verifier), kRfc7636Challenge);
  EXPECT_TRUE(verify_pkce(kRfc7636Verifier, kRfc7636Challenge, "S256"));
}

TEST(Pkce, AnotherVerifierDoesNotMatchTheChallenge) {
  std::string other = kRfc7636Verifier;
  other[0] = 'e';
  EXPECT_FALSE(verify_pkce(other, kRfc7636Challenge, "S256"));
}

TEST(Pkce, PlainAndUnknownMethodsAreRefused) {
  EXPECT_FALSE(verify_pkce(kRfc7636Verifier, kRfc7636Verifier, "plain"));
  EXPECT_FALSE(verify_pkce(kRfc7636Verifier, kRfc7636Challenge, "s256"));
  EXPECT_FALSE(verify_pkce(kRfc7636Verifier, kRfc7636Challenge, ""));
}

TEST(Pkce, VerifierLengthMustBeBetween43And128) {
  EXPECT_FALSE(is_valid_code_verifier(std::string(42, 'a')));
  EXPECT_TRUE(is_valid_code_verifier(std::string(43, 'a')));
  EXPECT_TRUE(is_valid_code_verifier(std::string(128, 'a')));
  EXPECT_FALSE(is_valid_code_verifier(std::string(129, 'a')));
}

TEST(Pkce, VerifierAllowsOnlyUnreservedCharacters) {
  EXPECT_TRUE(is_valid_code_verifier(std::string(40, 'a') + "-._~"));
  EXPECT_FALSE(is_valid_code_verifier(std::string(43, 'a') + "+"));
  EXPECT_FALSE(is_valid_code_verifier(std::string(43, 'a') + "/"));
  EXPECT_FALSE(is_valid_code_verifier(std::string(43, 'a') + " "));
  EXPECT_FALSE(is_valid_code_verifier(std::string(43, 'a') + std::string(1, '\0')));
}

TEST(Pkce, AMalformedVerifierFailsEvenWhenItsDigestMatches) {
  const std::string short_verifier = "abc";
  EXPECT_FALSE(verify_pkce(short_verifier, s256_challenge(short_verifier), "S256"));
}

}  // namespace
}  // namespace latchkey::oauth
