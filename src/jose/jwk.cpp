// JWK import (RFC 7517 §4, RFC 7518 §6.2 and §6.3, RFC 8037 §2) through EVP_PKEY_fromdata.

#include <array>
#include <vector>

#include "jose/base64url.hpp"
#include "jose/detail/key_material.hpp"
#include "jose/detail/signature.hpp"
#include "jose/key.hpp"
#include "jose/strict_json.hpp"

namespace latchkey::jose {
namespace {

using detail::BignumPtr;
using detail::EvpPkeyPtr;
using detail::KeyType;
using detail::SecretString;
using nlohmann::json;

/// What a JWK says about itself before any key material is read.
struct JwkHead {
  KeyType type = KeyType::rsa;
  Algorithm alg = Algorithm::rs256;
  std::string kid;
};

/// A required base64url member, decoded; bad_key when absent, not a string, empty or not
/// strict base64url.
Result<SecretString, JoseStatus> member_bytes(const json& jwk, const char* name) {
  const auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) return fail(JoseStatus::bad_key);
  auto bytes = base64url_decode(it->get_ref<const std::string&>());
  if (!bytes || bytes->empty()) return fail(JoseStatus::bad_key);
  return SecretString(std::move(*bytes));
}

Result<KeyType, JoseStatus> key_type(const json& jwk) {
  const auto kty = jwk.find("kty");
  if (kty == jwk.end() || !kty->is_string()) return fail(JoseStatus::bad_key);
  const auto crv = jwk.find("crv");
  const bool has_crv = crv != jwk.end() && crv->is_string();
  if (*kty == "RSA") return KeyType::rsa;
  // RFC 7518 §6.2.1.1 and RFC 8037 §2: only P-256 and Ed25519 are handled; "oct" never is, so
  // no key in a key set can ever serve as an HMAC secret.
  if (*kty == "EC" && has_crv && *crv == "P-256") return KeyType::ec_p256;
  if (*kty == "OKP" && has_crv && *crv == "Ed25519") return KeyType::ed25519;
  return fail(JoseStatus::unsupported_key);
}

Result<Algorithm, JoseStatus> key_algorithm(const json& jwk, KeyType type,
                                            std::optional<Algorithm> requested) {
  std::optional<Algorithm> alg = requested;
  if (const auto named = jwk.find("alg"); named != jwk.end()) {
    if (!named->is_string()) return fail(JoseStatus::bad_key);
    const auto parsed = algorithm_from_string(named->get_ref<const std::string&>());
    if (!parsed) return fail(JoseStatus::unsupported_alg);
    if (requested && *requested != *parsed) return fail(JoseStatus::key_alg_mismatch);
    alg = parsed;
  }
  if (!alg) {
    alg = type == KeyType::ec_p256   ? Algorithm::es256
          : type == KeyType::ed25519 ? Algorithm::eddsa
                                     : Algorithm::rs256;
  }
  if (!detail::algorithm_fits(*alg, type)) return fail(JoseStatus::key_alg_mismatch);
  return *alg;
}

Result<JwkHead, JoseStatus> read_head(const json& jwk, std::optional<Algorithm> requested) {
  if (!jwk.is_object()) return fail(JoseStatus::bad_json);
  auto type = key_type(jwk);
  if (!type) return fail(type.error());
  // RFC 7517 §4.2: a key for encryption must not verify signatures.
  if (const auto use = jwk.find("use"); use != jwk.end() && (!use->is_string() || *use != "sig")) {
    return fail(JoseStatus::unsupported_key);
  }
  auto alg = key_algorithm(jwk, *type, requested);
  if (!alg) return fail(alg.error());
  JwkHead head{*type, *alg, {}};
  if (const auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) {
      return fail(JoseStatus::bad_key);
    }
    head.kid = kid->get<std::string>();
  }
  return head;
}

/// Builds a key from OSSL_PARAMs with EVP_PKEY_fromdata; the BIGNUMs in `numbers` must outlive
/// the builder, which refers to them.
EvpPkeyPtr key_from_params(const char* type_name, int selection, OSSL_PARAM_BLD& builder) {
  const detail::ParamPtr params(OSSL_PARAM_BLD_to_param(&builder));
  const detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type_name, nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, selection, params.get()) != 1) return nullptr;
  return EvpPkeyPtr(raw);
}

/// Pushes a big-endian unsigned integer; keeps the BIGNUM alive in `numbers`.
bool push_number(OSSL_PARAM_BLD& builder, const char* name, const std::string& bytes,
                 std::vector<detail::SecretBignumPtr>& numbers) {
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  numbers.emplace_back(BN_bin2bn(data, static_cast<int>(bytes.size()), nullptr));
  return numbers.back() && OSSL_PARAM_BLD_push_BN(&builder, name, numbers.back().get()) == 1;
}

using NamedMember = std::pair<const char*, const char*>;  // JWK member, OpenSSL parameter

/// RFC 7518 §6.3.2: the CRT members come all together or not at all; "oth" (more than two
/// primes) is not supported.
Result<std::vector<NamedMember>, JoseStatus> rsa_private_members(const json& jwk) {
  static constexpr std::array<NamedMember, 5> kCrt = {{
      {"p", OSSL_PKEY_PARAM_RSA_FACTOR1},
      {"q", OSSL_PKEY_PARAM_RSA_FACTOR2},
      {"dp", OSSL_PKEY_PARAM_RSA_EXPONENT1},
      {"dq", OSSL_PKEY_PARAM_RSA_EXPONENT2},
      {"qi", OSSL_PKEY_PARAM_RSA_COEFFICIENT1},
  }};
  if (jwk.contains("oth")) return fail(JoseStatus::unsupported_key);
  std::vector<NamedMember> members{{"d", OSSL_PKEY_PARAM_RSA_D}};
  std::size_t present = 0;
  for (const auto& member : kCrt) present += jwk.contains(member.first) ? 1 : 0;
  if (present != 0 && present != kCrt.size()) return fail(JoseStatus::bad_key);
  if (present != 0) members.insert(members.end(), kCrt.begin(), kCrt.end());
  return members;
}

Result<EvpPkeyPtr, JoseStatus> rsa_key(const json& jwk, bool with_private) {
  std::vector<NamedMember> members{{"n", OSSL_PKEY_PARAM_RSA_N}, {"e", OSSL_PKEY_PARAM_RSA_E}};
  if (with_private) {
    auto secret = rsa_private_members(jwk);
    if (!secret) return fail(secret.error());
    members.insert(members.end(), secret->begin(), secret->end());
  }
  const detail::ParamBuildPtr builder(OSSL_PARAM_BLD_new());
  if (!builder) return fail(JoseStatus::bad_key);
  std::vector<detail::SecretBignumPtr> numbers;
  for (const auto& [member, param] : members) {
    auto bytes = member_bytes(jwk, member);
    if (!bytes) return fail(bytes.error());
    if (!push_number(*builder, param, bytes->value(), numbers)) return fail(JoseStatus::bad_key);
  }
  EvpPkeyPtr key =
      key_from_params("RSA", with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, *builder);
  if (!key) return fail(JoseStatus::bad_key);
  return key;
}

Result<EvpPkeyPtr, JoseStatus> ec_key(const json& jwk, bool with_private) {
  auto x = member_bytes(jwk, "x");
  auto y = member_bytes(jwk, "y");
  if (!x || !y) return fail(JoseStatus::bad_key);
  // RFC 7518 §6.2.1.2-3: each coordinate is the full 32 octets, leading zeros included.
  if (x->value().size() != detail::kP256CoordinateSize ||
      y->value().size() != detail::kP256CoordinateSize) {
    return fail(JoseStatus::bad_key);
  }
  const std::string point = "\x04" + x->value() + y->value();  // SEC 1 uncompressed point
  const detail::ParamBuildPtr builder(OSSL_PARAM_BLD_new());
  std::vector<detail::SecretBignumPtr> numbers;
  if (!builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return fail(JoseStatus::bad_key);
  }
  if (with_private) {
    auto d = member_bytes(jwk, "d");
    if (!d || d->value().size() != detail::kP256CoordinateSize ||
        !push_number(*builder, OSSL_PKEY_PARAM_PRIV_KEY, d->value(), numbers)) {
      return fail(JoseStatus::bad_key);
    }
  }
  EvpPkeyPtr key =
      key_from_params("EC", with_private ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, *builder);
  if (!key) return fail(JoseStatus::bad_key);
  return key;
}

Result<EvpPkeyPtr, JoseStatus> ed25519_key(const json& jwk, bool with_private) {
  auto x = member_bytes(jwk, "x");
  if (!x || x->value().size() != detail::kEd25519KeySize) return fail(JoseStatus::bad_key);
  const auto* public_bytes = reinterpret_cast<const unsigned char*>(x->value().data());
  if (!with_private) {
    EvpPkeyPtr key(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, public_bytes,
                                                  detail::kEd25519KeySize));
    if (!key) return fail(JoseStatus::bad_key);
    return key;
  }
  auto d = member_bytes(jwk, "d");
  if (!d || d->value().size() != detail::kEd25519KeySize) return fail(JoseStatus::bad_key);
  EvpPkeyPtr key(EVP_PKEY_new_raw_private_key_ex(
      nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(d->value().data()),
      detail::kEd25519KeySize));
  std::array<unsigned char, detail::kEd25519KeySize> derived{};
  std::size_t length = derived.size();
  // RFC 8037 §2: "x" is the public key of "d"; a JWK whose halves disagree is refused.
  if (!key || EVP_PKEY_get_raw_public_key(key.get(), derived.data(), &length) != 1 ||
      std::string_view(reinterpret_cast<const char*>(derived.data()), length) != x->value()) {
    return fail(JoseStatus::bad_key);
  }
  return key;
}

/// RSA public values are validated by OpenSSL; an EC point must lie on the curve.
bool public_part_valid(EVP_PKEY& pkey) {
  const detail::EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, &pkey, nullptr));
  return ctx && EVP_PKEY_public_check(ctx.get()) == 1;
}

Result<std::shared_ptr<const detail::KeyMaterial>, JoseStatus> import_jwk(
    const json& jwk, std::optional<Algorithm> alg, bool with_private) {
  auto head = read_head(jwk, alg);
  if (!head) return fail(head.error());
  auto pkey = head->type == KeyType::rsa       ? rsa_key(jwk, with_private)
              : head->type == KeyType::ec_p256 ? ec_key(jwk, with_private)
                                               : ed25519_key(jwk, with_private);
  if (!pkey || !public_part_valid(**pkey)) {
    detail::discard_openssl_errors();
    return fail(pkey ? JoseStatus::bad_key : pkey.error());
  }
  auto type = detail::classify(**pkey);
  if (!type) return fail(type.error());
  auto material = detail::complete_material(std::move(*pkey), head->type, head->alg,
                                            std::move(head->kid), with_private);
  if (!material) return fail(material.error());
  auto shared = std::make_shared<const detail::KeyMaterial>(std::move(*material));
  if (with_private && !detail::pairwise_consistent(*shared)) return fail(JoseStatus::bad_key);
  return shared;
}

}  // namespace

Result<PublicKey, JoseStatus> PublicKey::from_jwk(const json& jwk, std::optional<Algorithm> alg) {
  auto material = import_jwk(jwk, alg, false);
  if (!material) return fail(material.error());
  return PublicKey(std::move(*material));
}

Result<PublicKey, JoseStatus> PublicKey::from_jwk_text(std::string_view jwk_json,
                                                       std::optional<Algorithm> alg) {
  auto parsed = parse_json_object_strict(jwk_json);
  if (!parsed) return fail(JoseStatus::bad_json);
  return from_jwk(*parsed, alg);
}

Result<SigningKey, JoseStatus> SigningKey::from_private_jwk(const json& jwk,
                                                            std::optional<Algorithm> alg) {
  auto material = import_jwk(jwk, alg, true);
  if (!material) return fail(material.error());
  return SigningKey(std::move(*material));
}

}  // namespace latchkey::jose
