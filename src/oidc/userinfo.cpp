#include "oidc/userinfo.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "http/headers.hpp"
#include "jose/jwt.hpp"
#include "oauth/error.hpp"
#include "oauth/token_issuer.hpp"

namespace latchkey::oidc {
namespace {

constexpr std::string_view kRealm = "Bearer realm=\"latchkey\"";

// An error the client sees, rendered as RFC 6750 §3 asks: the error in WWW-Authenticate too.
http::Response bearer_error(int status, std::string_view code, std::string_view description) {
  http::Response response =
      oauth::render_json(oauth::OAuthError::make(code, std::string(description), status));
  response.set_header("WWW-Authenticate", std::string(kRealm) + ", error=\"" + std::string(code) +
                                              "\", error_description=\"" +
                                              std::string(description) + "\"");
  return response;
}

http::Response invalid_token(std::string_view description) {
  return bearer_error(401, oauth::errors::kInvalidToken, description);
}

// RFC 6750 §3.1: a request without any authentication gets no error code.
http::Response no_token() {
  http::Response response = http::Response::text(401, "Unauthorized");
  response.set_header("WWW-Authenticate", kRealm);
  response.set_header("Cache-Control", "no-store");
  return response;
}

http::Response unavailable() {
  return oauth::render_json(
      oauth::OAuthError::make(oauth::errors::kTemporarilyUnavailable, "service unavailable", 503));
}

struct Extracted {
  std::optional<std::string> token;
  bool conflict = false;  // more than one token, or a malformed form
};

// RFC 6750 §2: the header (§2.1) or a form body (§2.2, POST only); never both (§2: MUST NOT
// use more than one method).
Extracted extract_token(const http::Request& request) {
  Extracted out;
  if (const auto header = request.header("Authorization")) {
    constexpr std::string_view kScheme = "bearer ";
    if (header->size() > kScheme.size() &&
        http::iequals(header->substr(0, kScheme.size()), kScheme)) {
      out.token = std::string(header->substr(kScheme.size()));
    }
  }
  if (request.method != http::Method::post) return out;
  const auto form = request.form();
  if (!form.ok()) {
    out.conflict = form.error() == http::FormError::malformed;
    return out;
  }
  const auto body_token = form->get("access_token");
  if (!body_token.ok()) return Extracted{std::nullopt, true};
  if (!body_token->has_value()) return out;
  if (out.token.has_value()) return Extracted{std::nullopt, true};
  out.token = **body_token;
  return out;
}

std::string_view describe(jose::JoseStatus status) {
  switch (status) {
    case jose::JoseStatus::expired:
      return "the access token expired";
    case jose::JoseStatus::bad_audience:
      return "the access token is not valid for /userinfo";
    default:
      return "the access token is invalid";
  }
}

std::vector<std::string> split_scope(const nlohmann::json& claims) {
  std::vector<std::string> scopes;
  const auto found = claims.find("scope");
  if (found == claims.end() || !found->is_string()) return scopes;
  const std::string& text = found->get_ref<const std::string&>();
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    if (end > start) scopes.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return scopes;
}

nlohmann::json user_claims(const model::User& user, const std::vector<std::string>& scopes) {
  nlohmann::json claims = {{"sub", user.user_id}};
  if (oauth::has_scope(scopes, oauth::kScopeProfile)) {
    claims["name"] = user.name;
    claims["nickname"] = user.nickname;
    claims["picture"] = user.picture;
    claims["updated_at"] = to_unix_seconds(user.updated_at);
  }
  if (oauth::has_scope(scopes, oauth::kScopeEmail)) {
    claims["email"] = user.email;
    claims["email_verified"] = user.email_verified;
  }
  return claims;
}

}  // namespace

UserInfoEndpoint::UserInfoEndpoint(std::string issuer, const jose::Keyring& keyring,
                                   store::UserStore& users, store::RevokedTokenStore& revoked,
                                   const Clock& clock)
    : issuer_(std::move(issuer)),
      audience_(oauth::userinfo_audience(issuer_)),
      keyring_(keyring),
      users_(users),
      revoked_(revoked),
      clock_(clock) {}

http::Response UserInfoEndpoint::handle(const http::Request& request) const {
  const Extracted extracted = extract_token(request);
  if (extracted.conflict) {
    return bearer_error(400, oauth::errors::kInvalidRequest, "send one access token, once");
  }
  if (!extracted.token.has_value() || extracted.token->empty()) return no_token();

  jose::ClaimsOptions options;
  options.issuer = issuer_;
  options.audience = audience_;
  options.typ = oauth::kAccessTokenType;  // RFC 9068 §4: check typ at+jwt
  options.require_iat = true;
  options.required_claims = {"sub", "jti"};
  const auto snapshot = keyring_.snapshot();
  auto jwt = jose::verify_jwt(*extracted.token, snapshot->trusted, {}, options, clock_);
  if (!jwt.ok()) return invalid_token(describe(jwt.error()));
  const auto& claims = jwt->claims;
  const auto sub = claims.find("sub");
  const auto jti = claims.find("jti");
  if (sub == claims.end() || !sub->is_string() || jti == claims.end() || !jti->is_string()) {
    return invalid_token("the access token is invalid");
  }
  auto revoked = revoked_.is_revoked(jti->get_ref<const std::string&>());
  if (!revoked.ok()) return unavailable();
  if (*revoked) return invalid_token("the access token was revoked");

  auto user = users_.find(sub->get_ref<const std::string&>());
  if (!user.ok()) {
    if (user.error() != store::StoreError::not_found) return unavailable();
    return invalid_token("the user no longer exists");
  }
  if (user->blocked) return invalid_token("the user is blocked");
  http::Response response = http::Response::json(200, user_claims(*user, split_scope(claims)));
  response.set_header("Cache-Control", "no-store");
  return response;
}

http::Handler UserInfoEndpoint::handler() const {
  return [this](const http::Request& request) { return handle(request); };
}

}  // namespace latchkey::oidc
