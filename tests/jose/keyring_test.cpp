// The signing-key lifecycle on a real (SQLite) store.
#include "jose/keyring.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "jose/jws.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/process.hpp"

namespace latchkey::jose {
namespace {

using model::KeyState;

KeyEncryptionKey test_kek(std::uint8_t fill) {
  std::array<std::uint8_t, 32> bytes{};
  bytes.fill(fill);
  return KeyEncryptionKey(bytes);
}

class KeyringTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(*opened);
  }

  Keyring make_keyring(std::uint8_t kek_fill = 7) {
    return Keyring(store_->signing_keys(), test_kek(kek_fill), random_, clock_);
  }

  KeyState state_of(const std::string& kid) { return store_->signing_keys().find(kid)->state; }

  testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  crypto::OsRandom random_;
  ManualClock clock_{from_unix_seconds(1800000000)};
};

TEST_F(KeyringTest, EnsureCreatesACurrentAndANextKeyPerAlgorithm) {
  auto keyring = make_keyring();
  const std::array algs{Algorithm::rs256, Algorithm::es256};
  ASSERT_TRUE(keyring.ensure(algs).ok());
  ASSERT_TRUE(keyring.ensure(algs).ok());  // idempotent
  ASSERT_TRUE(keyring.reload().ok());
  const auto snap = keyring.snapshot();
  EXPECT_EQ(snap->trusted.size(), 4u);
  ASSERT_NE(snap->signer(Algorithm::rs256), nullptr);
  ASSERT_NE(snap->signer(Algorithm::es256), nullptr);
  EXPECT_EQ(snap->signer(Algorithm::ps256), nullptr);
  EXPECT_EQ(snap->jwks["keys"].size(), 4u);
}

TEST_F(KeyringTest, ANextKeyIsPublishedBeforeItSignsAndStaysPublishedAsPrevious) {
  auto keyring = make_keyring();
  ASSERT_TRUE(keyring.ensure(std::array{Algorithm::rs256}).ok());
  ASSERT_TRUE(keyring.reload().ok());
  const std::string first = keyring.snapshot()->signer(Algorithm::rs256)->kid();
  std::string next;
  const auto keys = store_->signing_keys().list();
  for (const auto& key : *keys) {
    if (key.state == KeyState::next) next = key.kid;
  }
  ASSERT_FALSE(next.empty());
  EXPECT_NE(keyring.snapshot()->trusted.find(next), nullptr) << "next is published";
  EXPECT_NE(keyring.snapshot()->signer(Algorithm::rs256)->kid(), next) << "next does not sign";

  const auto rotation = keyring.rotate(Algorithm::rs256);
  ASSERT_TRUE(rotation.ok()) << rotation.error();
  EXPECT_EQ(rotation->current_kid, next);
  EXPECT_EQ(rotation->previous_kid, first);
  const auto after = keyring.snapshot();
  EXPECT_EQ(after->signer(Algorithm::rs256)->kid(), next);
  EXPECT_NE(after->trusted.find(first), nullptr) << "previous stays published";
  EXPECT_NE(after->trusted.find(rotation->next_kid), nullptr) << "a fresh next is published";
  EXPECT_EQ(state_of(first), KeyState::previous);

  // A second rotation retires the previous key: no longer served or trusted.
  ASSERT_TRUE(keyring.rotate(Algorithm::rs256).ok());
  EXPECT_EQ(keyring.snapshot()->trusted.find(first), nullptr);
  EXPECT_EQ(state_of(first), KeyState::revoked);
}

TEST_F(KeyringTest, TokensSignedWithARevokedKeyNoLongerVerify) {
  auto keyring = make_keyring();
  ASSERT_TRUE(keyring.ensure(std::array{Algorithm::es256}).ok());
  ASSERT_TRUE(keyring.reload().ok());
  const std::string token =
      sign_json(nullptr, {{"sub", "x"}}, *keyring.snapshot()->signer(Algorithm::es256));
  const std::string kid = keyring.snapshot()->signer(Algorithm::es256)->kid();
  EXPECT_TRUE(verify(token, keyring.snapshot()->trusted).ok());

  EXPECT_FALSE(keyring.revoke(kid).ok()) << "the current key cannot be revoked";
  ASSERT_TRUE(keyring.rotate(Algorithm::es256).ok());
  EXPECT_TRUE(verify(token, keyring.snapshot()->trusted).ok()) << "previous still verifies";
  ASSERT_TRUE(keyring.revoke(kid).ok());
  const auto result = verify(token, keyring.snapshot()->trusted);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), JoseStatus::unknown_kid);
  EXPECT_EQ(keyring.snapshot()->trusted.find(kid), nullptr);
}

TEST_F(KeyringTest, ASecondKeyringOnTheSameStoreSeesRotationsOnReload) {
  auto writer = make_keyring();
  auto reader = make_keyring();
  ASSERT_TRUE(writer.ensure(std::array{Algorithm::eddsa}).ok());
  ASSERT_TRUE(reader.reload().ok());
  const std::string before = reader.snapshot()->signer(Algorithm::eddsa)->kid();
  ASSERT_TRUE(writer.rotate(Algorithm::eddsa).ok());
  const auto changed = reader.reload();
  ASSERT_TRUE(changed.ok());
  EXPECT_TRUE(*changed);
  EXPECT_NE(reader.snapshot()->signer(Algorithm::eddsa)->kid(), before);
  EXPECT_FALSE(*reader.reload()) << "nothing changed since";
}

TEST_F(KeyringTest, PrivateKeysAreSealedAtRest) {
  auto keyring = make_keyring();
  ASSERT_TRUE(keyring.ensure(std::array{Algorithm::rs256, Algorithm::eddsa}).ok());
  const auto keys = store_->signing_keys().list();
  for (const auto& key : *keys) {
    const std::string sealed(key.sealed_private_key.begin(), key.sealed_private_key.end());
    EXPECT_EQ(sealed.find("PRIVATE KEY"), std::string::npos);
    EXPECT_EQ(key.public_jwk.find("\"d\""), std::string::npos) << "no private member in the JWK";
  }
  std::string bytes;
  for (const char* name : {"latchkey.db", "latchkey.db-wal"}) {
    std::ifstream in(dir_.path() / name, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), {});
  }
  EXPECT_EQ(bytes.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(KeyringTest, AWrongKeyEncryptionKeyFailsClearlyAndKeepsTheOldSnapshot) {
  ASSERT_TRUE(make_keyring(1).ensure(std::array{Algorithm::rs256}).ok());
  auto wrong = make_keyring(2);
  const auto reloaded = wrong.reload();
  ASSERT_FALSE(reloaded.ok());
  EXPECT_NE(reloaded.error().find("key-encryption key"), std::string::npos) << reloaded.error();
  EXPECT_EQ(wrong.snapshot()->signer(Algorithm::rs256), nullptr);
}

TEST(KeyEncryptionKey, MustBe32Bytes) {
  const std::vector<std::uint8_t> short_key(16, 1);
  EXPECT_FALSE(KeyEncryptionKey::from_bytes(short_key).ok());
  const std::vector<std::uint8_t> good(32, 1);
  EXPECT_TRUE(KeyEncryptionKey::from_bytes(good).ok());
}

}  // namespace
}  // namespace latchkey::jose
