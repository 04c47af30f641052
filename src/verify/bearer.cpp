#include "verify/bearer.hpp"

#include <string>

#include "http/headers.hpp"

namespace latchkey::verify {
namespace {

constexpr std::string_view kBearer = "Bearer";
constexpr std::string_view kChallengeHeader = "WWW-Authenticate";

bool is_token68_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

/// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
bool is_b64token(std::string_view token) {
  const auto end = token.find_last_not_of('=');
  if (end == std::string_view::npos) return false;
  for (std::size_t i = 0; i <= end; ++i) {
    if (!is_token68_char(token[i])) return false;
  }
  return true;
}

/// A quoted-string of `value` keeping only the characters RFC 6750 §3 allows in attribute values
/// (%x20-21 / %x23-5B / %x5D-7E), so no text can break out of the header.
std::string quoted(std::string_view value) {
  std::string out = "\"";
  for (const char c : value) {
    if (c >= 0x20 && c <= 0x7e && c != '"' && c != '\\') out += c;
  }
  return out + "\"";
}

/// The WWW-Authenticate value of RFC 6750 §3; an empty attribute is left out.
struct Challenge {
  std::string_view error;
  std::string_view description;
  std::string_view scope;
};

std::string challenge_header(std::string_view realm, const Challenge& challenge) {
  std::string header = std::string(kBearer) + " realm=" + quoted(realm);
  if (!challenge.error.empty()) header += ", error=" + quoted(challenge.error);
  if (!challenge.description.empty()) {
    header += ", error_description=" + quoted(challenge.description);
  }
  if (!challenge.scope.empty()) header += ", scope=" + quoted(challenge.scope);
  return header;
}

http::Response json_error(int status, std::string_view error, std::string_view description) {
  return http::Response::json(status, {{"error", error}, {"error_description", description}});
}

}  // namespace

Result<std::string_view, BearerError> bearer_token(const http::Request& request) {
  const auto values = request.headers.all("Authorization");
  if (values.empty()) return fail(BearerError::missing);
  if (values.size() > 1) return fail(BearerError::malformed);
  std::string_view value = values.front();
  const auto space = value.find(' ');
  if (!http::iequals(value.substr(0, space), kBearer)) return fail(BearerError::missing);
  if (space == std::string_view::npos) return fail(BearerError::malformed);
  value.remove_prefix(space);
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (!is_b64token(value)) return fail(BearerError::malformed);
  return value;
}

bool has_scope(const nlohmann::json& claims, std::string_view scope) {
  if (scope.empty() || !claims.is_object()) return false;
  const auto claim = claims.find("scope");
  if (claim == claims.end() || !claim->is_string()) return false;
  std::string_view rest = claim->get_ref<const std::string&>();
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (rest.substr(0, space) == scope) return true;
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return false;
}

http::Response missing_token_response(std::string_view realm) {
  // RFC 6750 §3.1: no error code in the challenge when the request simply had no token.
  return json_error(401, "unauthorized", "a Bearer access token is required")
      .set_header(kChallengeHeader, challenge_header(realm, {}));
}

http::Response invalid_request_response(std::string_view description, std::string_view realm) {
  return json_error(400, "invalid_request", description)
      .set_header(kChallengeHeader, challenge_header(realm, {"invalid_request", description, {}}));
}

http::Response invalid_token_response(std::string_view description, std::string_view realm) {
  return json_error(401, "invalid_token", description)
      .set_header(kChallengeHeader, challenge_header(realm, {"invalid_token", description, {}}));
}

http::Response insufficient_scope_response(std::string_view scope, std::string_view realm) {
  return json_error(403, "insufficient_scope", "the token lacks scope " + std::string(scope))
      .set_header(kChallengeHeader, challenge_header(realm, {"insufficient_scope", {}, scope}));
}

http::Response verify_error_response(const VerifyError& error, std::string_view realm) {
  if (error.kind == VerifyError::Kind::jwks_unavailable) {
    return json_error(503, "temporarily_unavailable", error.description)
        .set_header("Retry-After", "30");
  }
  return invalid_token_response(error.description, realm);
}

}  // namespace latchkey::verify
