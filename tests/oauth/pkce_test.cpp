#include "oauth/pkce.hpp"

#include <gtest/gtest.h>

#include <string>

namespace latchkey::oauth {
namespace {

// RFC 7636 Appendix B (the challenge checked with `openssl dgst -sha256 -binary | base64url`).
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

TEST(Pkce, Rfc7636AppendixBVerifierGivesItsChallenge) {
  EXPECT_EQ(s256_challenge(kVerifier), kChallenge);
  EXPECT_TRUE(verify_pkce(kVerifier, kChallenge, "S256"));
}

TEST(Pkce, AnotherVerifierDoesNotMatchTheChallenge) {
  std::string other = kVerifier;
  other[0] = 'e';
  EXPECT_FALSE(verify_pkce(other, kChallenge, "S256"));
}

TEST(Pkce, PlainAndUnknownMethodsAreRefused) {
  EXPECT_FALSE(verify_pkce(kVerifier, kVerifier, "plain"));
  EXPECT_FALSE(verify_pkce(kVerifier, kChallenge, "s256"));
  EXPECT_FALSE(verify_pkce(kVerifier, kChallenge, ""));
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
