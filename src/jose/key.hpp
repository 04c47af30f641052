#pragma once
// Asymmetric JOSE keys. OpenSSL stays behind an opaque pointer: higher layers include this header
// without including OpenSSL. Keys are immutable and cheap to copy (shared ownership), so one key
// can be used by every I/O thread at once.

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/status.hpp"

namespace latchkey::jose {

namespace detail {
struct KeyMaterial;
}

/// A public key bound to exactly one algorithm (RFC 8725 §3.1: no algorithm confusion).
class PublicKey {
 public:
  /// Imports a public JWK: RSA (RFC 7518 §6.3.1), EC P-256 (§6.2.1) or OKP Ed25519 (RFC 8037
  /// §2). The algorithm is the JWK's "alg" if present, else `alg`, else the only one that fits
  /// the key (RS256 for RSA). The kid is the JWK's "kid", else the RFC 7638 thumbprint. Private
  /// members are ignored. Fails with bad_json (not an object), bad_key (missing or malformed
  /// members, RSA < 2048 bits, a point not on the curve), unsupported_key (kty "oct", other
  /// curves, "use" other than "sig"), unsupported_alg, or key_alg_mismatch.
  [[nodiscard]] static Result<PublicKey, JoseStatus> from_jwk(
      const nlohmann::json& jwk, std::optional<Algorithm> alg = std::nullopt);
  /// The same, from JSON text (duplicate members are rejected as bad_json).
  [[nodiscard]] static Result<PublicKey, JoseStatus> from_jwk_text(
      std::string_view jwk_json, std::optional<Algorithm> alg = std::nullopt);

  [[nodiscard]] Algorithm alg() const;
  [[nodiscard]] const std::string& kid() const;
  /// The RFC 7638 JWK thumbprint: base64url(SHA-256(canonical required members)).
  [[nodiscard]] const std::string& thumbprint() const;
  /// The public JWK with "kty", "use":"sig", "alg", "kid" and the key members, as served from
  /// /.well-known/jwks.json.
  [[nodiscard]] nlohmann::json to_jwk() const;

  /// For jose/ internals only; the type is incomplete outside jose/.
  [[nodiscard]] const detail::KeyMaterial& material() const { return *material_; }
  explicit PublicKey(std::shared_ptr<const detail::KeyMaterial> material);

 private:
  std::shared_ptr<const detail::KeyMaterial> material_;
};

/// A private key for signing, with its public half. Its kid is the RFC 7638 thumbprint unless it
/// was imported from a JWK that names one.
class SigningKey {
 public:
  /// A fresh key: RSA-2048 (e = 65537) for RS256 and PS256, P-256 for ES256, Ed25519 for EdDSA.
  /// Throws std::runtime_error if OpenSSL cannot generate it (start-up or CLI path only).
  [[nodiscard]] static SigningKey generate(Algorithm alg);

  /// Imports an unencrypted PKCS#8 PEM ("BEGIN PRIVATE KEY"), as to_pkcs8_pem() writes it.
  /// Fails with bad_key (not PEM PKCS#8, encrypted, RSA < 2048 bits) or key_alg_mismatch /
  /// unsupported_key when the key does not fit `alg`.
  [[nodiscard]] static Result<SigningKey, JoseStatus> from_pkcs8_pem(std::string_view pem,
                                                                     Algorithm alg);

  /// Imports a private JWK (RFC 7518 §6.3.2 with all or none of the CRT members, §6.2.2, RFC
  /// 8037 §2), checking that the private and public members belong together. Same failures as
  /// PublicKey::from_jwk, plus bad_key for a private part that does not match.
  [[nodiscard]] static Result<SigningKey, JoseStatus> from_private_jwk(
      const nlohmann::json& jwk, std::optional<Algorithm> alg = std::nullopt);

  /// The private key as unencrypted PKCS#8 PEM. This is a secret: seal it (crypto/aead.hpp)
  /// before storing it, never log it. Throws std::runtime_error if OpenSSL cannot encode it.
  [[nodiscard]] std::string to_pkcs8_pem() const;

  [[nodiscard]] Algorithm alg() const;
  [[nodiscard]] const std::string& kid() const;
  [[nodiscard]] const PublicKey& public_key() const { return public_key_; }

  /// For jose/ internals only; the type is incomplete outside jose/.
  [[nodiscard]] const detail::KeyMaterial& material() const { return *material_; }
  explicit SigningKey(std::shared_ptr<const detail::KeyMaterial> material);

 private:
  std::shared_ptr<const detail::KeyMaterial> material_;
  PublicKey public_key_;
};

}  // namespace latchkey::jose
