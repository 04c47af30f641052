#pragma once
// JWT claims validation (RFC 7519 §4.1) on top of JWS verification. Time comes from an injected
// Clock, so expiry is testable.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "jose/jws.hpp"
#include "jose/key_set.hpp"
#include "jose/status.hpp"

namespace latchkey::jose {

struct ClaimsOptions {
  /// The expected "iss", compared exactly; empty: "iss" is not checked.
  std::string issuer;
  /// A value that must appear in "aud" (a string or an array of strings); empty: not checked.
  std::string audience;
  /// Allowed clock skew for "exp", "nbf" and "iat".
  std::chrono::seconds leeway{60};
  bool require_exp = true;
  bool require_iat = false;
  /// Other claims that must be present, e.g. "sub".
  std::vector<std::string> required_claims;
  /// The expected header "typ" (e.g. "at+jwt", RFC 9068 §4); compared case-insensitively, an
  /// "application/" prefix optional (RFC 7515 §4.1.9). Empty: "typ" is not checked.
  std::string typ;
};

/// Checks a claims set: "exp" (RFC 7519 §4.1.4: now must be before it, within leeway), "nbf"
/// (§4.1.5), "iat" not in the future, "iss" (§4.1.1) and "aud" (§4.1.3), and the required claims.
/// NumericDates may be integers or fractions (rounded up to the second). Fails with expired,
/// not_yet_valid, issued_in_future, bad_issuer, bad_audience, missing_claim or invalid_claim
/// (a claim of the wrong JSON type).
[[nodiscard]] Result<void, JoseStatus> validate_claims(const nlohmann::json& claims,
                                                       const ClaimsOptions& options,
                                                       const Clock& clock);

/// A JWT whose signature and claims have been checked.
struct VerifiedJwt {
  nlohmann::json header;
  nlohmann::json claims;
  Algorithm alg = Algorithm::rs256;
  std::string kid;
};

/// verify() then: the header "typ" if asked, a payload that is a JSON object without duplicate
/// members (bad_json / duplicate_claim, RFC 7519 §7.2 step 10), then validate_claims().
[[nodiscard]] Result<VerifiedJwt, JoseStatus> verify_jwt(std::string_view token, const KeySet& keys,
                                                         const VerifyOptions& verify_options,
                                                         const ClaimsOptions& claims_options,
                                                         const Clock& clock);

}  // namespace latchkey::jose
