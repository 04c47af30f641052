#include "jose/detail/signature.hpp"

#include "jose/detail/ecdsa_der.hpp"

namespace latchkey::jose::detail {
namespace {

constexpr std::size_t kEs256SignatureSize = 2 * kP256CoordinateSize;
constexpr std::size_t kEd25519SignatureSize = 64;

/// The digest for EVP_DigestSign/Verify; Ed25519 hashes internally and takes none.
const char* digest_name(Algorithm alg) { return alg == Algorithm::eddsa ? nullptr : "SHA256"; }

/// RFC 7518 §3.5: PS256 is RSASSA-PSS with SHA-256, MGF1 with SHA-256, and a salt as long as
/// the hash output. Verification insists on that salt length too. Fills `params` (4 entries).
const OSSL_PARAM* pss_params(std::span<OSSL_PARAM, 4> params) {
  // OpenSSL reads these strings and never writes them; its API only lacks the const.
  params[0] = OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE,
                                               const_cast<char*>(OSSL_PKEY_RSA_PAD_MODE_PSS), 0);
  params[1] = OSSL_PARAM_construct_utf8_string(
      OSSL_SIGNATURE_PARAM_PSS_SALTLEN, const_cast<char*>(OSSL_PKEY_RSA_PSS_SALT_LEN_DIGEST), 0);
  params[2] = OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST,
                                               const_cast<char*>("SHA256"), 0);
  params[3] = OSSL_PARAM_construct_end();
  return params.data();
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// A fresh copy of the key's prepared context, or null.
EvpMdCtxPtr copy_context(const EVP_MD_CTX* prepared) {
  if (prepared == nullptr) return nullptr;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_MD_CTX_copy_ex(ctx.get(), prepared) != 1) return nullptr;
  return ctx;
}

}  // namespace

EvpMdCtxPtr prepare_context(const KeyMaterial& key, bool for_signing) {
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  std::array<OSSL_PARAM, 4> storage{};
  const OSSL_PARAM* params = key.alg == Algorithm::ps256 ? pss_params(storage) : nullptr;
  const int ok = for_signing ? EVP_DigestSignInit_ex(ctx.get(), nullptr, digest_name(key.alg),
                                                     nullptr, nullptr, key.pkey.get(), params)
                             : EVP_DigestVerifyInit_ex(ctx.get(), nullptr, digest_name(key.alg),
                                                       nullptr, nullptr, key.pkey.get(), params);
  if (ok != 1) return nullptr;
  return ctx;
}

bool sign_input(const KeyMaterial& key, std::string_view input, SignatureBytes& out) {
  const EvpMdCtxPtr ctx = copy_context(key.sign_template.get());
  if (!ctx) {
    discard_openssl_errors();
    return false;
  }
  if (key.alg != Algorithm::es256) {
    std::size_t length = out.data.size();
    if (EVP_DigestSign(ctx.get(), out.data.data(), &length, bytes_of(input), input.size()) != 1) {
      discard_openssl_errors();
      return false;
    }
    out.size = length;
    return true;
  }
  std::array<std::uint8_t, kMaxP256DerSize> der{};
  std::size_t der_length = der.size();
  if (EVP_DigestSign(ctx.get(), der.data(), &der_length, bytes_of(input), input.size()) != 1) {
    discard_openssl_errors();
    return false;
  }
  out.size = kEs256SignatureSize;
  return ecdsa_der_to_raw(std::span(der).first(der_length), std::span(out.data).first(out.size));
}

bool verify_input(const KeyMaterial& key, std::string_view input,
                  std::span<const std::uint8_t> signature) {
  std::array<std::uint8_t, kMaxP256DerSize> der{};
  if (key.alg == Algorithm::es256) {
    // RFC 7518 §3.4: exactly 64 octets; a DER signature here is an error, not a fallback.
    if (signature.size() != kEs256SignatureSize) return false;
    signature = std::span<const std::uint8_t>(der).first(ecdsa_raw_to_der(signature, der));
  } else if (key.alg == Algorithm::eddsa && signature.size() != kEd25519SignatureSize) {
    return false;
  }
  const EvpMdCtxPtr ctx = copy_context(key.verify_template.get());
  const bool ok = ctx && EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                                          bytes_of(input), input.size()) == 1;
  if (!ok) discard_openssl_errors();
  return ok;
}

bool pairwise_consistent(const KeyMaterial& key) {
  constexpr std::string_view kProbe = "latchkey pairwise consistency probe";
  SignatureBytes signature;
  if (!sign_input(key, kProbe, signature)) return false;
  return verify_input(key, kProbe, std::span(signature.data).first(signature.size));
}

}  // namespace latchkey::jose::detail
