#include "jose/key.hpp"

#include <openssl/err.h>
#include <openssl/rsa.h>

#include <array>
#include <stdexcept>
#include <utility>

#include "crypto/digest.hpp"
#include "jose/base64url.hpp"
#include "jose/detail/key_material.hpp"
#include "jose/detail/signature.hpp"

namespace latchkey::jose {
namespace detail {
namespace {

constexpr std::string_view kP256GroupName = "prime256v1";

std::string bignum_param_bytes(const EVP_PKEY& pkey, const char* name, int pad_to) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(&pkey, name, &raw) != 1) return {};
  const BignumPtr bn(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  const int written = pad_to > 0 ? BN_bn2binpad(bn.get(), data, pad_to) : BN_bn2bin(bn.get(), data);
  if (written != size) return {};
  return out;
}

std::string raw_public_bytes(const EVP_PKEY& pkey) {
  std::array<unsigned char, kEd25519KeySize> buffer{};
  std::size_t length = buffer.size();
  if (EVP_PKEY_get_raw_public_key(&pkey, buffer.data(), &length) != 1) return {};
  return std::string(reinterpret_cast<const char*>(buffer.data()), length);
}

/// The public JWK members and the RFC 7638 §3.2 canonical JSON built from them (required
/// members only, in lexicographic order, no whitespace).
struct PublicMembers {
  nlohmann::json jwk;
  std::string canonical;
};

Result<PublicMembers, JoseStatus> public_members(const EVP_PKEY& pkey, KeyType type) {
  PublicMembers out;
  if (type == KeyType::rsa) {
    const std::string n = base64url_encode(bignum_param_bytes(pkey, OSSL_PKEY_PARAM_RSA_N, 0));
    const std::string e = base64url_encode(bignum_param_bytes(pkey, OSSL_PKEY_PARAM_RSA_E, 0));
    if (n.empty() || e.empty()) return fail(JoseStatus::bad_key);
    out.jwk = {{"kty", "RSA"}, {"n", n}, {"e", e}};
    out.canonical = R"({"e":")" + e + R"(","kty":"RSA","n":")" + n + R"("})";
  } else if (type == KeyType::ec_p256) {
    const int size = static_cast<int>(kP256CoordinateSize);
    const std::string x =
        base64url_encode(bignum_param_bytes(pkey, OSSL_PKEY_PARAM_EC_PUB_X, size));
    const std::string y =
        base64url_encode(bignum_param_bytes(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, size));
    if (x.empty() || y.empty()) return fail(JoseStatus::bad_key);
    out.jwk = {{"kty", "EC"}, {"crv", "P-256"}, {"x", x}, {"y", y}};
    out.canonical = R"({"crv":"P-256","kty":"EC","x":")" + x + R"(","y":")" + y + R"("})";
  } else {
    const std::string x = base64url_encode(raw_public_bytes(pkey));
    if (x.empty()) return fail(JoseStatus::bad_key);
    out.jwk = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", x}};
    out.canonical = R"({"crv":"Ed25519","kty":"OKP","x":")" + x + R"("})";
  }
  return out;
}

void fill_header_caches(KeyMaterial& material) {
  material.header_prefix = R"({"alg":")";
  material.header_prefix += to_string(material.alg);
  material.header_prefix += R"(","kid":)";
  material.header_prefix +=
      nlohmann::json(material.kid).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  material.encoded_default_header = base64url_encode(material.header_prefix + "}");
}

}  // namespace

void discard_openssl_errors() { ERR_clear_error(); }

bool algorithm_fits(Algorithm alg, KeyType type) {
  switch (type) {
    case KeyType::rsa:
      return alg == Algorithm::rs256 || alg == Algorithm::ps256;
    case KeyType::ec_p256:
      return alg == Algorithm::es256;
    case KeyType::ed25519:
      return alg == Algorithm::eddsa;
  }
  return false;
}

Result<KeyType, JoseStatus> classify(const EVP_PKEY& pkey) {
  if (EVP_PKEY_is_a(&pkey, "RSA")) {
    const int bits = EVP_PKEY_get_bits(&pkey);
    if (bits < kMinRsaBits || bits > kMaxRsaBits) return fail(JoseStatus::bad_key);
    return KeyType::rsa;
  }
  if (EVP_PKEY_is_a(&pkey, "EC")) {
    std::array<char, 64> group{};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(&pkey, OSSL_PKEY_PARAM_GROUP_NAME, group.data(),
                                       group.size(), &length) != 1 ||
        std::string_view(group.data(), length) != kP256GroupName) {
      discard_openssl_errors();
      return fail(JoseStatus::unsupported_key);
    }
    return KeyType::ec_p256;
  }
  if (EVP_PKEY_is_a(&pkey, "ED25519")) return KeyType::ed25519;
  return fail(JoseStatus::unsupported_key);
}

Result<KeyMaterial, JoseStatus> complete_material(EvpPkeyPtr pkey, KeyType type, Algorithm alg,
                                                  std::string kid, bool for_signing) {
  auto members = public_members(*pkey, type);
  if (!members) return fail(members.error());
  KeyMaterial material;
  material.pkey = std::move(pkey);
  material.type = type;
  material.alg = alg;
  material.signature_size =
      type == KeyType::rsa ? static_cast<std::size_t>(EVP_PKEY_get_size(material.pkey.get())) : 64;
  const crypto::Sha256 digest = crypto::sha256(members->canonical);
  material.thumbprint = base64url_encode(digest);
  material.kid = kid.empty() ? material.thumbprint : std::move(kid);
  material.public_jwk = std::move(members->jwk);
  material.public_jwk["use"] = "sig";
  material.public_jwk["alg"] = to_string(alg);
  material.public_jwk["kid"] = material.kid;
  material.verify_template = prepare_context(material, false);
  if (!material.verify_template) return fail(JoseStatus::bad_key);
  if (for_signing) {
    fill_header_caches(material);
    material.sign_template = prepare_context(material, true);
    if (!material.sign_template) return fail(JoseStatus::bad_key);
  }
  return material;
}

}  // namespace detail

namespace {

detail::EvpPkeyPtr generate_pkey(Algorithm alg) {
  const char* name = alg == Algorithm::es256 ? "EC" : alg == Algorithm::eddsa ? "ED25519" : "RSA";
  const detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, name, nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1) return nullptr;
  if (alg == Algorithm::rs256 || alg == Algorithm::ps256) {
    if (EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), detail::kMinRsaBits) != 1) return nullptr;
  }
  if (alg == Algorithm::es256 && EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") != 1) {
    return nullptr;
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(ctx.get(), &raw) != 1) return nullptr;
  return detail::EvpPkeyPtr(raw);
}

// A PEM that asks for a passphrase is refused rather than prompting on the terminal.
int refuse_passphrase(char* /*buf*/, std::size_t /*size*/, std::size_t* /*length*/,
                      const OSSL_PARAM* /*params*/, void* /*arg*/) {
  return 0;
}

detail::EvpPkeyPtr decode_pkcs8_pem(std::string_view pem) {
  EVP_PKEY* raw = nullptr;
  const detail::DecoderCtxPtr ctx(OSSL_DECODER_CTX_new_for_pkey(
      &raw, "PEM", "PrivateKeyInfo", nullptr, EVP_PKEY_KEYPAIR, nullptr, nullptr));
  if (!ctx || OSSL_DECODER_CTX_set_passphrase_cb(ctx.get(), refuse_passphrase, nullptr) != 1) {
    return nullptr;
  }
  const auto* data = reinterpret_cast<const unsigned char*>(pem.data());
  std::size_t length = pem.size();
  if (OSSL_DECODER_from_data(ctx.get(), &data, &length) != 1) {
    EVP_PKEY_free(raw);
    return nullptr;
  }
  return detail::EvpPkeyPtr(raw);
}

}  // namespace

PublicKey::PublicKey(std::shared_ptr<const detail::KeyMaterial> material)
    : material_(std::move(material)) {}

Algorithm PublicKey::alg() const { return material_->alg; }
const std::string& PublicKey::kid() const { return material_->kid; }
const std::string& PublicKey::thumbprint() const { return material_->thumbprint; }
nlohmann::json PublicKey::to_jwk() const { return material_->public_jwk; }

SigningKey::SigningKey(std::shared_ptr<const detail::KeyMaterial> material)
    : material_(std::move(material)), public_key_(material_) {}

Algorithm SigningKey::alg() const { return material_->alg; }
const std::string& SigningKey::kid() const { return material_->kid; }

SigningKey SigningKey::generate(Algorithm alg) {
  detail::EvpPkeyPtr pkey = generate_pkey(alg);
  if (!pkey) throw std::runtime_error("OpenSSL could not generate a signing key");
  auto type = detail::classify(*pkey);
  if (!type) throw std::runtime_error("OpenSSL generated an unexpected key");
  auto material = detail::complete_material(std::move(pkey), *type, alg, {}, true);
  if (!material) throw std::runtime_error("OpenSSL could not export the generated public key");
  return SigningKey(std::make_shared<const detail::KeyMaterial>(std::move(*material)));
}

Result<SigningKey, JoseStatus> SigningKey::from_pkcs8_pem(std::string_view pem, Algorithm alg) {
  detail::EvpPkeyPtr pkey = decode_pkcs8_pem(pem);
  if (!pkey) {
    detail::discard_openssl_errors();
    return fail(JoseStatus::bad_key);
  }
  auto type = detail::classify(*pkey);
  if (!type) return fail(type.error());
  if (!detail::algorithm_fits(alg, *type)) return fail(JoseStatus::key_alg_mismatch);
  auto material = detail::complete_material(std::move(pkey), *type, alg, {}, true);
  if (!material) return fail(material.error());
  return SigningKey(std::make_shared<const detail::KeyMaterial>(std::move(*material)));
}

std::string SigningKey::to_pkcs8_pem() const {
  const detail::EncoderCtxPtr ctx(OSSL_ENCODER_CTX_new_for_pkey(
      material_->pkey.get(), EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo", nullptr));
  unsigned char* data = nullptr;
  std::size_t length = 0;
  if (!ctx || OSSL_ENCODER_to_data(ctx.get(), &data, &length) != 1) {
    detail::discard_openssl_errors();
    throw std::runtime_error("OpenSSL could not encode the private key");
  }
  std::string pem(reinterpret_cast<const char*>(data), length);
  OPENSSL_clear_free(data, length);
  return pem;
}

}  // namespace latchkey::jose
