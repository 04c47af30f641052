#include "crypto/password.hpp"

#include <gtest/gtest.h>

namespace latchkey::crypto {
namespace {

TEST(PasswordHash, IsArgon2idWithTheDocumentedParameters) {
  const auto hash = hash_password("correct horse");
  ASSERT_TRUE(hash.has_value());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=32768,t=2,p=1$", 0), 0u) << *hash;
}

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const auto hash = hash_password("correct horse");
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(verify_password(*hash, "correct horse"));
  EXPECT_FALSE(verify_password(*hash, "correct horsE"));
  EXPECT_FALSE(verify_password(*hash, ""));
}

TEST(PasswordHash, SaltsEachHash) { EXPECT_NE(hash_password("same"), hash_password("same")); }

TEST(PasswordHash, MalformedHashesNeverMatch) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("$argon2id$garbage", "x"));
  EXPECT_FALSE(verify_password(std::string(500, 'a'), "x"));
}

}  // namespace
}  // namespace latchkey::crypto
