#pragma once
// The JWS algorithms latchkey signs and verifies (RFC 7518 §3.1, RFC 8037 §3.1). HMAC and "none"
// are deliberately absent: latchkey's tokens are always asymmetric, so a verifier can never be
// tricked into using a public key as an HMAC secret.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace latchkey::jose {

enum class Algorithm {
  rs256,  // RSASSA-PKCS1-v1_5 with SHA-256, RSA >= 2048 bits (RFC 7518 §3.3)
  ps256,  // RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (RFC 7518 §3.5)
  es256,  // ECDSA on P-256 with SHA-256, raw R||S signature (RFC 7518 §3.4)
  eddsa,  // Ed25519 (RFC 8037 §3.1)
};

/// Every algorithm latchkey signs with, RS256 (the default) first.
inline constexpr std::array<Algorithm, 4> kAlgorithms = {Algorithm::rs256, Algorithm::ps256,
                                                         Algorithm::es256, Algorithm::eddsa};

/// The JWA name: "RS256", "PS256", "ES256", "EdDSA".
[[nodiscard]] std::string_view to_string(Algorithm alg);

/// The JWA names of kAlgorithms, in its order: what a setting naming a signing alg accepts.
[[nodiscard]] std::vector<std::string> algorithm_names();

/// The algorithm named `name` exactly (case-sensitive, RFC 7515 §4.1.1); nullopt for any other
/// name, including "none" and the HS* family.
[[nodiscard]] std::optional<Algorithm> algorithm_from_string(std::string_view name);

}  // namespace latchkey::jose
