#include "crypto/aead.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace latchkey::crypto {
namespace {

std::vector<std::uint8_t> from_hex(std::string_view hex) {
  std::vector<std::uint8_t> bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(
        static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return bytes;
}

/// Hands out fixed bytes, so a known-answer test can choose the nonce.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(std::vector<std::uint8_t> bytes) : bytes_(std::move(bytes)) {}
  void fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = bytes_[i % bytes_.size()];
  }

 private:
  std::vector<std::uint8_t> bytes_;
};

const std::vector<std::uint8_t> kKey(kAeadKeySize, 0x42);

TEST(Aead, MatchesTheGcmSpecificationTestCase16) {
  // McGrew & Viega, "The Galois/Counter Mode of Operation", test case 16 (AES-256, with AAD).
  FixedRandom nonce(from_hex("cafebabefacedbaddecaf888"));
  const auto key = from_hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const auto plaintext = from_hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449"
      "a6b525b16aedf5aa0de657ba637b39");
  const auto aad = from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  const auto expected = from_hex(
      "cafebabefacedbaddecaf888"
      "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10"
      "56828838c5f61e6393ba7a0abcc9f662"
      "76fc6ece0f4e1768cddf8853bb2d551b");
  auto box = aead_seal(key, plaintext, aad, nonce);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(*box, expected);
  auto opened = aead_open(key, *box, aad);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plaintext);
}

TEST(Aead, SealedBoxIsNonceCiphertextTag) {
  OsRandom random;
  const std::string secret = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI...\n";
  auto box = aead_seal(kKey, as_bytes(secret), as_bytes("kid-1"), random);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->size(), secret.size() + kAeadOverhead);
  EXPECT_EQ(std::search(box->begin(), box->end(), secret.begin(), secret.end()), box->end());
  auto opened = aead_open(kKey, *box, as_bytes("kid-1"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(std::string(opened->begin(), opened->end()), secret);
}

TEST(Aead, EachSealUsesAFreshNonce) {
  OsRandom random;
  auto first = aead_seal(kKey, as_bytes("same"), {}, random);
  auto second = aead_seal(kKey, as_bytes("same"), {}, random);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(*first, *second);
}

TEST(Aead, SealsAndOpensEmptyPlaintext) {
  OsRandom random;
  auto box = aead_seal(kKey, {}, {}, random);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->size(), kAeadOverhead);
  auto opened = aead_open(kKey, *box, {});
  ASSERT_TRUE(opened.ok());
  EXPECT_TRUE(opened->empty());
}

TEST(Aead, AnyAlteredByteFailsAuthentication) {
  OsRandom random;
  auto box = aead_seal(kKey, as_bytes("private key"), as_bytes("kid"), random);
  ASSERT_TRUE(box.ok());
  for (std::size_t i = 0; i < box->size(); ++i) {
    std::vector<std::uint8_t> tampered = *box;
    tampered[i] ^= 0x01;
    auto opened = aead_open(kKey, tampered, as_bytes("kid"));
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error(), AeadError::authentication_failed);
  }
}

TEST(Aead, WrongKeyOrAssociatedDataFailsAuthentication) {
  OsRandom random;
  auto box = aead_seal(kKey, as_bytes("private key"), as_bytes("kid-1"), random);
  ASSERT_TRUE(box.ok());
  const std::vector<std::uint8_t> other_key(kAeadKeySize, 0x43);
  EXPECT_EQ(aead_open(other_key, *box, as_bytes("kid-1")).error(),
            AeadError::authentication_failed);
  EXPECT_EQ(aead_open(kKey, *box, as_bytes("kid-2")).error(), AeadError::authentication_failed);
  EXPECT_EQ(aead_open(kKey, *box, {}).error(), AeadError::authentication_failed);
}

TEST(Aead, TruncatedBoxesAreRefused) {
  OsRandom random;
  auto box = aead_seal(kKey, as_bytes("x"), {}, random);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(aead_open(kKey, std::span(*box).first(kAeadOverhead - 1), {}).error(),
            AeadError::truncated);
  EXPECT_EQ(aead_open(kKey, std::span(*box).first(kAeadOverhead), {}).error(),
            AeadError::authentication_failed);
  EXPECT_EQ(aead_open(kKey, {}, {}).error(), AeadError::truncated);
}

TEST(Aead, KeysMustBe32Bytes) {
  OsRandom random;
  const std::vector<std::uint8_t> short_key(16, 0x42);
  EXPECT_EQ(aead_seal(short_key, as_bytes("x"), {}, random).error(), AeadError::bad_key_size);
  EXPECT_EQ(aead_open(short_key, std::vector<std::uint8_t>(40), {}).error(),
            AeadError::bad_key_size);
  EXPECT_EQ(to_string(AeadError::authentication_failed), "authentication_failed");
}

}  // namespace
}  // namespace latchkey::crypto
