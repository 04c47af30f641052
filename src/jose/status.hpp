#pragma once
// Why a JOSE operation failed: a precise value, never a string (STYLE.md rule 3), so that callers
// can map each failure to an OAuth error and a log field without parsing text.

#include <string_view>

namespace latchkey::jose {

/// The outcome of a JOSE operation. Every failure has its own value; `ok` exists only so that a
/// log line can name a success the same way.
enum class JoseStatus {
  ok,
  malformed,             // not three segments, an empty header or signature, a non-object header
  bad_base64,            // a segment is not strict unpadded base64url
  bad_json,              // a segment is not valid JSON (or not the JSON type it must be)
  duplicate_header_key,  // the JOSE header names a member twice
  duplicate_claim,       // the JWT claims set names a member twice
  unsupported_alg,       // an algorithm latchkey does not accept (HS*, ES512, ...)
  alg_none,              // "alg":"none": never accepted
  unknown_kid,           // no key in the key set has this kid
  key_alg_mismatch,      // the key exists but is registered for another algorithm
  bad_signature,         // the signature does not verify
  unsupported_crit,      // "crit" names an extension this verifier does not understand
  too_large,             // the token exceeds the configured size limit
  bad_key,               // key material is invalid (wrong size, not on the curve, too short)
  unsupported_key,       // a key type or curve latchkey does not handle
  expired,               // "exp" has passed
  not_yet_valid,         // "nbf" is in the future
  issued_in_future,      // "iat" is in the future
  bad_issuer,            // "iss" is not the expected issuer
  bad_audience,          // "aud" does not contain the expected audience
  missing_claim,         // a required claim is absent
  invalid_claim,         // a claim has the wrong JSON type
  bad_type,              // the header "typ" is not the expected one (RFC 8725 §3.11)
};

/// The snake_case name of `status`, as written in logs ("bad_signature").
[[nodiscard]] std::string_view to_string(JoseStatus status);

}  // namespace latchkey::jose
