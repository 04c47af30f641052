#pragma once
// Internal to jose/: what a PublicKey or SigningKey holds behind its opaque pointer.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/detail/openssl_handles.hpp"
#include "jose/status.hpp"

namespace latchkey::jose::detail {

enum class KeyType { rsa, ec_p256, ed25519 };

/// RFC 7518 §3.3: RSA keys of 2048 bits or more MUST be used. The upper bound keeps a hostile
/// JWKS from making each verification arbitrarily slow.
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;
/// The largest signature any accepted key produces (RSA-8192), and ES256's DER bound.
inline constexpr std::size_t kMaxSignatureSize = 1024;
inline constexpr std::size_t kP256CoordinateSize = 32;
inline constexpr std::size_t kEd25519KeySize = 32;

/// An immutable key: the EVP_PKEY, what it may be used for, and the public forms derived once.
struct KeyMaterial {
  EvpPkeyPtr pkey;
  KeyType type = KeyType::rsa;
  Algorithm alg = Algorithm::rs256;
  std::string kid;
  std::size_t signature_size = 0;  // bytes of a JWS signature made with this key
  std::string thumbprint;          // RFC 7638, base64url SHA-256
  nlohmann::json public_jwk;       // kty, use, alg, kid and the public members
  // Signing keys only: `{"alg":"…","kid":"…"` without the closing brace, and the base64url of
  // the complete header with no other member, so sign() does not rebuild them per call.
  std::string header_prefix;
  std::string encoded_default_header;
  // Digest contexts initialised once for this key and copied per call: in OpenSSL 3 an
  // EVP_DigestSignInit/VerifyInit (algorithm fetch, context set-up) costs more than the rest of
  // our layer, while EVP_MD_CTX_copy_ex of a prepared context is cheap. The templates are only
  // ever read (copied from), so one key serves all threads.
  EvpMdCtxPtr verify_template;
  EvpMdCtxPtr sign_template;  // signing keys only
};

/// The key type `pkey` holds, or unsupported_key (RSA-PSS-restricted keys, other curves, DSA…),
/// or bad_key (an RSA modulus outside [kMinRsaBits, kMaxRsaBits]).
[[nodiscard]] Result<KeyType, JoseStatus> classify(const EVP_PKEY& pkey);

/// True when `alg` is meant for keys of `type` (RFC 7518 §3.1 / RFC 8037 §3.1).
[[nodiscard]] bool algorithm_fits(Algorithm alg, KeyType type);

/// Clears OpenSSL's per-thread error queue after a failure we have already turned into a status,
/// so a stream of bad input cannot grow it.
void discard_openssl_errors();

/// Fills in thumbprint, public JWK and (with `kid` empty) kid = thumbprint; for signing keys also
/// the header caches. Fails only if OpenSSL cannot export the public values.
[[nodiscard]] Result<KeyMaterial, JoseStatus> complete_material(EvpPkeyPtr pkey, KeyType type,
                                                                Algorithm alg, std::string kid,
                                                                bool for_signing);

}  // namespace latchkey::jose::detail
