#include "crypto/aead.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <limits>
#include <memory>

namespace latchkey::crypto {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

constexpr auto kMaxInt = static_cast<std::size_t>(std::numeric_limits<int>::max());

bool fits_int(std::span<const std::uint8_t> bytes) { return bytes.size() <= kMaxInt; }

/// Feeds the associated data (output-less update), as GCM requires before any text.
bool add_associated_data(EVP_CIPHER_CTX* ctx, std::span<const std::uint8_t> data, bool encrypt) {
  if (data.empty()) return true;
  int ignored = 0;
  const int size = static_cast<int>(data.size());
  return encrypt ? EVP_EncryptUpdate(ctx, nullptr, &ignored, data.data(), size) == 1
                 : EVP_DecryptUpdate(ctx, nullptr, &ignored, data.data(), size) == 1;
}

/// Gets (after encrypting) or sets (before finishing a decryption) the 16-byte GCM tag.
bool exchange_tag(EVP_CIPHER_CTX* ctx, std::uint8_t* tag, bool get) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kAeadTagSize),
      OSSL_PARAM_construct_end()};
  return get ? EVP_CIPHER_CTX_get_params(ctx, params) == 1
             : EVP_CIPHER_CTX_set_params(ctx, params) == 1;
}

}  // namespace

std::string_view to_string(AeadError error) {
  switch (error) {
    case AeadError::bad_key_size:
      return "bad_key_size";
    case AeadError::too_large:
      return "too_large";
    case AeadError::truncated:
      return "truncated";
    case AeadError::authentication_failed:
      return "authentication_failed";
    case AeadError::internal:
      return "internal";
  }
  return "unknown";
}

Result<std::vector<std::uint8_t>, AeadError> aead_seal(
    std::span<const std::uint8_t> key, std::span<const std::uint8_t> plaintext,
    std::span<const std::uint8_t> associated_data, RandomSource& random) {
  if (key.size() != kAeadKeySize) return fail(AeadError::bad_key_size);
  if (!fits_int(plaintext) || !fits_int(associated_data)) return fail(AeadError::too_large);
  std::vector<std::uint8_t> box(kAeadOverhead + plaintext.size());
  std::uint8_t* nonce = box.data();
  std::uint8_t* text = nonce + kAeadNonceSize;
  random.fill(std::span(nonce, kAeadNonceSize));
  const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int written = 0;
  int final_written = 0;
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), nonce, nullptr) != 1 ||
      !add_associated_data(ctx.get(), associated_data, true) ||
      EVP_EncryptUpdate(ctx.get(), text, &written, plaintext.data(),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), text + written, &final_written) != 1 ||
      !exchange_tag(ctx.get(), text + plaintext.size(), true)) {
    return fail(AeadError::internal);
  }
  return box;
}

Result<std::vector<std::uint8_t>, AeadError> aead_open(
    std::span<const std::uint8_t> key, std::span<const std::uint8_t> sealed,
    std::span<const std::uint8_t> associated_data) {
  if (key.size() != kAeadKeySize) return fail(AeadError::bad_key_size);
  if (sealed.size() < kAeadOverhead) return fail(AeadError::truncated);
  if (!fits_int(sealed) || !fits_int(associated_data)) return fail(AeadError::too_large);
  const std::span<const std::uint8_t> nonce = sealed.first(kAeadNonceSize);
  const std::span<const std::uint8_t> text =
      sealed.subspan(kAeadNonceSize, sealed.size() - kAeadOverhead);
  std::uint8_t tag[kAeadTagSize];
  std::copy(sealed.end() - kAeadTagSize, sealed.end(), tag);
  std::vector<std::uint8_t> plaintext(text.size());
  const CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx ||
      EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), nonce.data(), nullptr) != 1) {
    return fail(AeadError::internal);
  }
  int written = 0;
  int final_written = 0;
  // The tag is checked by DecryptFinal; until it succeeds the output is not trusted.
  const bool ok = add_associated_data(ctx.get(), associated_data, false) &&
                  EVP_DecryptUpdate(ctx.get(), plaintext.data(), &written, text.data(),
                                    static_cast<int>(text.size())) == 1 &&
                  exchange_tag(ctx.get(), tag, false) &&
                  EVP_DecryptFinal_ex(ctx.get(), plaintext.data() + written, &final_written) == 1;
  if (!ok) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return fail(AeadError::authentication_failed);
  }
  return plaintext;
}

}  // namespace latchkey::crypto
