#pragma once
// JWS Compact Serialization (RFC 7515 §7.1): signing with latchkey's keys and strict verification
// against a KeySet.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "jose/algorithm.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"
#include "jose/status.hpp"

namespace latchkey::jose {

/// Tokens longer than this are refused before any decoding (too_large).
inline constexpr std::size_t kDefaultMaxTokenSize = 16 * 1024;

struct VerifyOptions {
  std::size_t max_token_size = kDefaultMaxTokenSize;
  /// A token without "kid" is refused as unknown_kid unless this is false, in which case the one
  /// key of the set registered for the header's "alg" is used (when there is exactly one).
  bool require_kid = true;
  /// Extension header parameters this caller understands and checks itself; any other name in
  /// "crit" fails with unsupported_crit (RFC 7515 §4.1.11). Empty: no extension is understood.
  std::vector<std::string> understood_crit;
};

/// A JWS whose signature has been verified.
struct VerifiedJws {
  nlohmann::json header;  // the protected header (a JSON object without duplicate members)
  std::string payload;    // the decoded payload bytes
  Algorithm alg = Algorithm::rs256;
  std::string kid;  // the kid of the key that verified it
};

/// Verifies a compact JWS: the size limit, exactly three segments (non-empty header and
/// signature), strict base64url, a header that is a JSON object with no duplicate members, a
/// supported "alg" (never "none", never HS*), an understood "crit", a known kid whose key is
/// registered for that very "alg", and finally the signature. Each failure has its own status.
[[nodiscard]] Result<VerifiedJws, JoseStatus> verify(std::string_view token, const KeySet& keys,
                                                     const VerifyOptions& options = {});

/// Signs `payload` bytes. The protected header is {"alg":<key's alg>,"kid":<key's kid>} followed
/// by the members of `header_extra` (an object, or null for none; its "alg" and "kid", if any,
/// are ignored). Throws std::runtime_error only if OpenSSL fails (out of memory); throws
/// std::invalid_argument if `header_extra` is neither an object nor null (a bug in the caller).
[[nodiscard]] std::string sign(const nlohmann::json& header_extra, std::string_view payload,
                               const SigningKey& key);

/// Signs the compact JSON text of `claims` (a JWT, RFC 7519 §7.1). Invalid UTF-8 in a string is
/// replaced by U+FFFD rather than thrown.
[[nodiscard]] std::string sign_json(const nlohmann::json& header_extra,
                                    const nlohmann::json& claims, const SigningKey& key);

/// Signs with exactly the protected header text `header_json` (for reproducing published
/// examples, or headers without kid). The header must be a JSON object without duplicates
/// (bad_json / duplicate_header_key) whose "alg" is the key's (key_alg_mismatch otherwise).
[[nodiscard]] Result<std::string, JoseStatus> sign_with_header(std::string_view header_json,
                                                               std::string_view payload,
                                                               const SigningKey& key);

}  // namespace latchkey::jose
