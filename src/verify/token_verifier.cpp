#include "verify/token_verifier.hpp"

#include <algorithm>
#include <utility>

#include "jose/base64url.hpp"
#include "jose/jwt.hpp"

namespace latchkey::verify {
namespace {

using Kind = VerifyError::Kind;
using jose::JoseStatus;

VerifyError error_for(JoseStatus status) {
  switch (status) {
    case JoseStatus::unsupported_alg:
    case JoseStatus::alg_none:
    case JoseStatus::key_alg_mismatch:
      return {Kind::unsupported_alg, "the token's signing algorithm is not accepted"};
    case JoseStatus::unknown_kid:
      return {Kind::unknown_kid, "the token is signed with an unknown key"};
    case JoseStatus::bad_signature:
    case JoseStatus::bad_key:
    case JoseStatus::unsupported_key:
      return {Kind::bad_signature, "the token's signature is invalid"};
    case JoseStatus::bad_type:
      return {Kind::bad_type, "the token has the wrong type"};
    case JoseStatus::expired:
      return {Kind::expired, "the token expired"};
    case JoseStatus::not_yet_valid:
    case JoseStatus::issued_in_future:
      return {Kind::not_yet_valid, "the token is not valid yet"};
    case JoseStatus::bad_issuer:
      return {Kind::bad_issuer, "the token was issued by another issuer"};
    case JoseStatus::bad_audience:
      return {Kind::bad_audience, "the token is meant for another audience"};
    case JoseStatus::missing_claim:
    case JoseStatus::invalid_claim:
      return {Kind::invalid_claims, "the token lacks a required claim or has a malformed one"};
    default:
      return {Kind::malformed, "the token is not a well-formed JWT"};
  }
}

jose::ClaimsOptions claims_options(const TokenVerifierOptions& options) {
  jose::ClaimsOptions out;
  out.issuer = options.issuer;
  out.audience = options.audience;
  out.leeway = options.leeway;
  out.require_exp = true;  // RFC 9068 §2.2: exp is REQUIRED
  out.required_claims = options.required_claims;
  out.typ = options.typ;
  return out;
}

/// The header's "kid" of a token that jose::verify already parsed far enough to call it unknown.
std::string header_kid(std::string_view jwt) {
  const auto decoded = jose::base64url_decode(jwt.substr(0, jwt.find('.')));
  if (!decoded) return {};
  const auto header = nlohmann::json::parse(*decoded, nullptr, /*allow_exceptions=*/false);
  const auto kid = header.is_object() ? header.find("kid") : header.end();
  return kid != header.end() && kid->is_string() ? kid->get<std::string>() : std::string();
}

std::shared_ptr<JwksCache> own_cache(const TokenVerifierOptions& options, const Clock& clock) {
  std::string url = options.jwks_url.empty() ? jwks_url_for(options.issuer) : options.jwks_url;
  return std::make_shared<JwksCache>(std::move(url), options.jwks, clock);
}

}  // namespace

std::string_view to_string(VerifyError::Kind kind) {
  switch (kind) {
    case Kind::malformed:
      return "malformed";
    case Kind::unsupported_alg:
      return "unsupported_alg";
    case Kind::unknown_kid:
      return "unknown_kid";
    case Kind::bad_signature:
      return "bad_signature";
    case Kind::bad_type:
      return "bad_type";
    case Kind::expired:
      return "expired";
    case Kind::not_yet_valid:
      return "not_yet_valid";
    case Kind::bad_issuer:
      return "bad_issuer";
    case Kind::bad_audience:
      return "bad_audience";
    case Kind::invalid_claims:
      return "invalid_claims";
    case Kind::jwks_unavailable:
      return "jwks_unavailable";
  }
  return "unknown";
}

std::string jwks_url_for(std::string_view issuer) {
  std::string url(issuer);
  if (url.empty() || url.back() != '/') url += '/';
  return url + ".well-known/jwks.json";
}

TokenVerifier::TokenVerifier(TokenVerifierOptions options, const Clock& clock)
    : TokenVerifier(options, own_cache(options, clock), clock) {}

TokenVerifier::TokenVerifier(TokenVerifierOptions options, std::shared_ptr<JwksCache> jwks,
                             const Clock& clock)
    : options_(std::move(options)), jwks_(std::move(jwks)), clock_(clock) {}

Result<nlohmann::json, VerifyError> TokenVerifier::verify(std::string_view jwt) const {
  const jose::VerifyOptions verify_options;
  const auto claims = claims_options(options_);
  auto keys = jwks_->keys();
  if (!keys) {
    // Without keys, a token that is not even well-formed is still the client's fault (401).
    auto shape = jose::verify_jwt(jwt, jose::KeySet{}, verify_options, claims, clock_);
    if (shape.error() != JoseStatus::unknown_kid) return fail(error_for(shape.error()));
    return fail(VerifyError{Kind::jwks_unavailable, "the issuer's keys are unavailable"});
  }
  auto verified = jose::verify_jwt(jwt, **keys, verify_options, claims, clock_);
  if (!verified && verified.error() == JoseStatus::unknown_kid) {
    // The issuer may have rotated since the set was fetched: fetch again (rate-limited).
    auto refreshed = jwks_->keys_with(header_kid(jwt));
    if (refreshed && *refreshed != *keys) {
      verified = jose::verify_jwt(jwt, **refreshed, verify_options, claims, clock_);
    }
  }
  if (!verified) return fail(error_for(verified.error()));
  // RFC 8725 §3.1: only the algorithms this resource server expects.
  if (std::find(options_.algorithms.begin(), options_.algorithms.end(), verified->alg) ==
      options_.algorithms.end()) {
    return fail(error_for(JoseStatus::unsupported_alg));
  }
  return std::move(verified->claims);
}

}  // namespace latchkey::verify
