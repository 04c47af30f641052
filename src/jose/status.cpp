#include "jose/status.hpp"

namespace latchkey::jose {

std::string_view to_string(JoseStatus status) {
  // clang-format off
  switch (status) {
    case JoseStatus::ok: return "ok";
    case JoseStatus::malformed: return "malformed";
    case JoseStatus::bad_base64: return "bad_base64";
    case JoseStatus::bad_json: return "bad_json";
    case JoseStatus::duplicate_header_key: return "duplicate_header_key";
    case JoseStatus::duplicate_claim: return "duplicate_claim";
    case JoseStatus::unsupported_alg: return "unsupported_alg";
    case JoseStatus::alg_none: return "alg_none";
    case JoseStatus::unknown_kid: return "unknown_kid";
    case JoseStatus::key_alg_mismatch: return "key_alg_mismatch";
    case JoseStatus::bad_signature: return "bad_signature";
    case JoseStatus::unsupported_crit: return "unsupported_crit";
    case JoseStatus::too_large: return "too_large";
    case JoseStatus::bad_key: return "bad_key";
    case JoseStatus::unsupported_key: return "unsupported_key";
    case JoseStatus::expired: return "expired";
    case JoseStatus::not_yet_valid: return "not_yet_valid";
    case JoseStatus::issued_in_future: return "issued_in_future";
    case JoseStatus::bad_issuer: return "bad_issuer";
    case JoseStatus::bad_audience: return "bad_audience";
    case JoseStatus::missing_claim: return "missing_claim";
    case JoseStatus::invalid_claim: return "invalid_claim";
    case JoseStatus::bad_type: return "bad_type";
  }
  // clang-format on
  return "unknown";
}

}  // namespace latchkey::jose
