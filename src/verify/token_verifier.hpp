#pragma once
// Checks a JWT access token (RFC 9068) the way a resource server must: signature by one of the
// issuer's published keys, exact issuer, our audience, expiry. Links only JOSE and the HTTP client,
// so any C++ API can use it.

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "jose/algorithm.hpp"
#include "verify/jwks_cache.hpp"

namespace latchkey::verify {

struct TokenVerifierOptions {
  /// The expected "iss", compared exactly (latchkey's ends with '/'). Required.
  std::string issuer;
  /// A value that "aud" (a string or an array) must contain: the API's identifier. Required.
  std::string audience;
  /// Where the keys are; empty means jwks_url_for(issuer).
  std::string jwks_url;
  /// Algorithms accepted; "none" and HS* never are, whatever this says.
  std::vector<jose::Algorithm> algorithms{jose::Algorithm::rs256, jose::Algorithm::ps256,
                                          jose::Algorithm::es256, jose::Algorithm::eddsa};
  /// The expected header "typ": "at+jwt" for access tokens (RFC 9068 §4). Empty: not checked
  /// (latchkey's ID tokens carry no typ).
  std::string typ = "at+jwt";
  /// Clock skew allowed on "exp", "nbf" and "iat".
  std::chrono::seconds leeway{60};
  /// Claims that must be present besides "exp" (always required), e.g. "sub".
  std::vector<std::string> required_claims;
  /// Caching and rate limit of the JWKS fetches.
  JwksCacheOptions jwks;
};

/// Why a token was refused. `description` is safe to send back and to log: it never holds the
/// token or a claim value.
struct VerifyError {
  enum class Kind {
    malformed,         ///< not a well-formed JWS/JWT, or too large
    unsupported_alg,   ///< alg none, HS*, or an algorithm not in the allowed list
    unknown_kid,       ///< no published key has this kid, even after fetching again
    bad_signature,     ///< the signature does not verify
    bad_type,          ///< the header typ is not the expected one
    expired,           ///< "exp" is past (or missing)
    not_yet_valid,     ///< "nbf" or "iat" is in the future
    bad_issuer,        ///< "iss" is not the issuer
    bad_audience,      ///< "aud" does not contain the audience
    invalid_claims,    ///< a required claim is missing or has the wrong type
    jwks_unavailable,  ///< the issuer's keys could not be fetched: not the token's fault
  };
  Kind kind = Kind::malformed;
  std::string description;
};

/// The snake_case name of `kind`, for logs and tests.
[[nodiscard]] std::string_view to_string(VerifyError::Kind kind);

/// `<issuer>.well-known/jwks.json`, adding the '/' the issuer may lack.
[[nodiscard]] std::string jwks_url_for(std::string_view issuer);

/// Thread-safe; verify() may run on every request thread at once.
class TokenVerifier {
 public:
  /// Fetches keys through its own JwksCache (options.jwks_url, options.jwks). The clock must
  /// outlive the verifier.
  TokenVerifier(TokenVerifierOptions options, const Clock& clock);
  /// Shares `jwks` with other verifiers of the same issuer (e.g. access and ID tokens).
  TokenVerifier(TokenVerifierOptions options, std::shared_ptr<JwksCache> jwks, const Clock& clock);

  /// The claims of a valid token. A token signed with a kid the cached set lacks makes the
  /// cache fetch again (rate-limited) before it is refused as unknown_kid.
  [[nodiscard]] Result<nlohmann::json, VerifyError> verify(std::string_view jwt) const;

  [[nodiscard]] const TokenVerifierOptions& options() const { return options_; }
  [[nodiscard]] JwksCache& jwks() const { return *jwks_; }

 private:
  TokenVerifierOptions options_;
  std::shared_ptr<JwksCache> jwks_;
  const Clock& clock_;
};

}  // namespace latchkey::verify
