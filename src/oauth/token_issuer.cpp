#include "oauth/token_issuer.hpp"

#include <algorithm>
#include <array>

#include "jose/jws.hpp"

namespace latchkey::oauth {
namespace {

constexpr std::array<std::string_view, 12> kReservedClaims = {
    "iss", "sub", "aud",       "exp",   "iat",       "nbf",
    "jti", "azp", "auth_time", "nonce", "client_id", "scope"};

constexpr std::string_view kDefaultSigningAlg = "RS256";

// Rules may add claims, but never one that changes what the token means.
void merge_extra(nlohmann::json& claims, const nlohmann::json& extra) {
  if (!extra.is_object()) return;
  for (const auto& [name, value] : extra.items()) {
    if (!is_reserved_claim(name)) claims[name] = value;
  }
}

OAuthError signing_failure(std::string debug) {
  OAuthError error = OAuthError::make(errors::kServerError, "the token could not be issued", 500);
  error.debug = std::move(debug);
  return error;
}

void add_profile_claims(nlohmann::json& claims, const model::User& user) {
  claims["name"] = user.name;
  claims["nickname"] = user.nickname;
  claims["picture"] = user.picture;
  claims["updated_at"] = to_unix_seconds(user.updated_at);  // OIDC Core §5.1: NumericDate
}

}  // namespace

bool is_reserved_claim(std::string_view name) {
  return std::find(kReservedClaims.begin(), kReservedClaims.end(), name) != kReservedClaims.end();
}

std::string join_scopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& scope : scopes) {
    if (!out.empty()) out += ' ';
    out += scope;
  }
  return out;
}

bool has_scope(const std::vector<std::string>& scopes, std::string_view scope) {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

std::string userinfo_audience(std::string_view issuer) {
  std::string out(issuer);
  if (!out.ends_with('/')) out += '/';
  return out + "userinfo";
}

TokenIssuer::TokenIssuer(std::string issuer, const jose::Keyring& keyring, const Clock& clock,
                         crypto::RandomSource& random)
    : issuer_(std::move(issuer)),
      userinfo_audience_(userinfo_audience(issuer_)),
      keyring_(keyring),
      clock_(clock),
      random_(random) {}

std::string TokenIssuer::new_jti() const { return crypto::random_hex(random_, 16); }

Result<std::string, OAuthError> TokenIssuer::sign(const nlohmann::json& header_extra,
                                                  const nlohmann::json& claims,
                                                  std::string_view alg_name) const {
  const auto alg = jose::algorithm_from_string(alg_name);
  if (!alg) return fail(signing_failure("unknown signing_alg " + std::string(alg_name)));
  const auto snapshot = keyring_.snapshot();
  const jose::SigningKey* key = snapshot->signer(*alg);
  if (key == nullptr) return fail(signing_failure("no current key for " + std::string(alg_name)));
  return jose::sign_json(header_extra, claims, *key);
}

Result<IssuedToken, OAuthError> TokenIssuer::issue_access_token(const AccessTokenSpec& spec) const {
  const auto& api = spec.resource_server;
  const std::int64_t lifetime = api ? api->token_lifetime_seconds : kDefaultAccessTokenLifetime;
  const std::int64_t iat = to_unix_seconds(clock_.now());
  nlohmann::json aud = userinfo_audience_;
  if (api) {
    aud = has_scope(spec.scopes, kScopeOpenId)
              ? nlohmann::json::array({api->identifier, userinfo_audience_})
              : nlohmann::json(api->identifier);
  }
  IssuedToken issued;
  issued.jti = spec.jti.empty() ? new_jti() : spec.jti;
  nlohmann::json claims = {{"iss", issuer_},
                           {"sub", spec.subject},
                           {"aud", std::move(aud)},
                           {"iat", iat},
                           {"exp", iat + lifetime},
                           {"azp", spec.client_id},
                           {"client_id", spec.client_id},
                           {"scope", join_scopes(spec.scopes)},
                           {"jti", issued.jti}};
  merge_extra(claims, spec.extra_claims);
  // RFC 9068 §2.1: access tokens MUST carry typ "at+jwt".
  auto token = sign({{"typ", kAccessTokenType}}, claims,
                    api ? std::string_view(api->signing_alg) : kDefaultSigningAlg);
  if (!token.ok()) return fail(token.error());
  issued.token = std::move(*token);
  issued.expires_in = lifetime;
  issued.expires_at = from_unix_seconds(iat + lifetime);
  return issued;
}

Result<IssuedToken, OAuthError> TokenIssuer::issue_id_token(const IdTokenSpec& spec) const {
  const std::int64_t iat = to_unix_seconds(clock_.now());
  // OIDC Core §2: iss, sub, aud, exp and iat are REQUIRED; auth_time, nonce, azp as requested.
  nlohmann::json claims = {{"iss", issuer_},
                           {"sub", spec.user.user_id},
                           {"aud", spec.client_id},
                           {"iat", iat},
                           {"exp", iat + spec.lifetime_seconds},
                           {"auth_time", to_unix_seconds(spec.auth_time)},
                           {"azp", spec.client_id}};
  // OIDC Core §3.1.2.1: when the request had a nonce, the ID token MUST carry it unchanged.
  if (!spec.nonce.empty()) claims["nonce"] = spec.nonce;
  if (!spec.session_id.empty()) claims["sid"] = spec.session_id;
  if (has_scope(spec.scopes, kScopeProfile)) add_profile_claims(claims, spec.user);
  if (has_scope(spec.scopes, kScopeEmail)) {
    claims["email"] = spec.user.email;
    claims["email_verified"] = spec.user.email_verified;
  }
  merge_extra(claims, spec.extra_claims);
  auto token = sign(nullptr, claims, spec.signing_alg);
  if (!token.ok()) return fail(token.error());
  return IssuedToken{
      std::move(*token), {}, spec.lifetime_seconds, from_unix_seconds(iat + spec.lifetime_seconds)};
}

}  // namespace latchkey::oauth
