#include "jose/jwt.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

#include "jose/strict_json.hpp"

namespace latchkey::jose {
namespace {

using nlohmann::json;

enum class Presence { optional, required };

/// A NumericDate (RFC 7519 §2) as whole seconds, fractions rounded up; huge values saturate.
Result<std::int64_t, JoseStatus> numeric_date(const json& value) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  if (value.is_number_unsigned()) {
    const auto seconds = value.get<std::uint64_t>();
    return seconds > static_cast<std::uint64_t>(kMax) ? kMax : static_cast<std::int64_t>(seconds);
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (!value.is_number_float()) return fail(JoseStatus::invalid_claim);
  const double seconds = std::ceil(value.get<double>());
  if (seconds >= 9.2e18) return kMax;
  if (seconds <= -9.2e18) return std::numeric_limits<std::int64_t>::min();
  return static_cast<std::int64_t>(seconds);
}

/// The claim `name` as a NumericDate, nullopt when absent and optional.
Result<std::optional<std::int64_t>, JoseStatus> date_claim(const json& claims, const char* name,
                                                           Presence presence) {
  const auto it = claims.find(name);
  if (it == claims.end()) {
    if (presence == Presence::required) return fail(JoseStatus::missing_claim);
    return std::optional<std::int64_t>{};
  }
  auto seconds = numeric_date(*it);
  if (!seconds) return fail(seconds.error());
  return std::optional<std::int64_t>{*seconds};
}

Result<void, JoseStatus> check_times(const json& claims, const ClaimsOptions& options,
                                     std::int64_t now) {
  const std::int64_t leeway = options.leeway.count();
  auto exp =
      date_claim(claims, "exp", options.require_exp ? Presence::required : Presence::optional);
  if (!exp) return fail(exp.error());
  auto nbf = date_claim(claims, "nbf", Presence::optional);
  if (!nbf) return fail(nbf.error());
  auto iat =
      date_claim(claims, "iat", options.require_iat ? Presence::required : Presence::optional);
  if (!iat) return fail(iat.error());
  // RFC 7519 §4.1.4: the current time MUST be before "exp".
  if (*exp && now - leeway >= **exp) return fail(JoseStatus::expired);
  // RFC 7519 §4.1.5: the current time MUST be after or equal to "nbf".
  if (*nbf && now + leeway < **nbf) return fail(JoseStatus::not_yet_valid);
  if (*iat && **iat > now + leeway) return fail(JoseStatus::issued_in_future);
  return {};
}

/// RFC 7519 §4.1.1: "iss" compared as a case-sensitive string.
Result<void, JoseStatus> check_issuer(const json& claims, const std::string& issuer) {
  if (issuer.empty()) return {};
  const auto iss = claims.find("iss");
  if (iss == claims.end()) return fail(JoseStatus::missing_claim);
  if (!iss->is_string()) return fail(JoseStatus::invalid_claim);
  if (iss->get_ref<const std::string&>() != issuer) return fail(JoseStatus::bad_issuer);
  return {};
}

/// RFC 7519 §4.1.3: "aud" is a string or an array of strings; a recipient that does not find
/// itself in it MUST reject the JWT.
Result<void, JoseStatus> check_audience(const json& claims, const std::string& audience) {
  if (audience.empty()) return {};
  const auto aud = claims.find("aud");
  if (aud == claims.end()) return fail(JoseStatus::missing_claim);
  if (aud->is_string()) {
    if (aud->get_ref<const std::string&>() == audience) return {};
    return fail(JoseStatus::bad_audience);
  }
  if (!aud->is_array()) return fail(JoseStatus::invalid_claim);
  bool found = false;
  for (const json& value : *aud) {
    if (!value.is_string()) return fail(JoseStatus::invalid_claim);
    found = found || value.get_ref<const std::string&>() == audience;
  }
  if (!found) return fail(JoseStatus::bad_audience);
  return {};
}

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// RFC 7515 §4.1.9 and RFC 8725 §3.11: "typ" is a media type, "application/" optional.
Result<void, JoseStatus> check_typ(const json& header, const std::string& expected) {
  if (expected.empty()) return {};
  const auto typ = header.find("typ");
  if (typ == header.end() || !typ->is_string()) return fail(JoseStatus::bad_type);
  std::string_view value = typ->get_ref<const std::string&>();
  constexpr std::string_view kPrefix = "application/";
  if (value.size() > kPrefix.size() &&
      equal_ignoring_case(value.substr(0, kPrefix.size()), kPrefix)) {
    value.remove_prefix(kPrefix.size());
  }
  if (!equal_ignoring_case(value, expected)) return fail(JoseStatus::bad_type);
  return {};
}

}  // namespace

Result<void, JoseStatus> validate_claims(const json& claims, const ClaimsOptions& options,
                                         const Clock& clock) {
  if (!claims.is_object()) return fail(JoseStatus::bad_json);
  for (const std::string& name : options.required_claims) {
    if (!claims.contains(name)) return fail(JoseStatus::missing_claim);
  }
  if (auto times = check_times(claims, options, to_unix_seconds(clock.now())); !times) {
    return fail(times.error());
  }
  if (auto iss = check_issuer(claims, options.issuer); !iss) return fail(iss.error());
  if (auto aud = check_audience(claims, options.audience); !aud) return fail(aud.error());
  return {};
}

Result<VerifiedJwt, JoseStatus> verify_jwt(std::string_view token, const KeySet& keys,
                                           const VerifyOptions& verify_options,
                                           const ClaimsOptions& claims_options,
                                           const Clock& clock) {
  auto jws = verify(token, keys, verify_options);
  if (!jws) return fail(jws.error());
  if (auto typ = check_typ(jws->header, claims_options.typ); !typ) return fail(typ.error());
  auto claims = parse_json_object_strict(jws->payload);
  if (!claims) {
    return fail(claims.error() == StrictJsonError::duplicate_key ? JoseStatus::duplicate_claim
                                                                 : JoseStatus::bad_json);
  }
  if (auto valid = validate_claims(*claims, claims_options, clock); !valid) {
    return fail(valid.error());
  }
  return VerifiedJwt{std::move(jws->header), std::move(*claims), jws->alg, std::move(jws->kid)};
}

}  // namespace latchkey::jose
