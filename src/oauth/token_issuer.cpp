#include "oauth/token_issuer.hpp"

#include <algorithm>
#include <array>

#include "core/json_text.hpp"
#include "jose/jws.hpp"

namespace latchkey::oauth {
namespace {

constexpr std::array<std::string_view, 12> kReservedClaims = {
    "iss", "sub", "aud",       "exp",   "iat",       "nbf",
    "jti", "azp", "auth_time", "nonce", "client_id", "scope"};

constexpr std::string_view kDefaultSigningAlg = "RS256";

// A token's claims written as JSON text, with no JSON value built first. The standard claims
// come in the order given (sorted, as nlohmann::json writes an object, so the text is the same
// as before); then the claims a rule added. A rule may replace a standard claim that is not
// reserved (a profile claim, say), never one that changes what the token means: a replaced
// claim is left out where it would have been, so no name appears twice.
class ClaimsText {
 public:
  explicit ClaimsText(const nlohmann::json& extra)
      : extra_(extra.is_object() && !extra.empty() ? &extra : nullptr) {
    out_.push_back('{');
  }

  void string(std::string_view name, std::string_view value) {
    if (member(name)) append_json_string(out_, value);
  }
  void number(std::string_view name, std::int64_t value) {
    if (member(name)) append_json_number(out_, value);
  }
  void boolean(std::string_view name, bool value) {
    if (!member(name)) return;
    const std::string_view text = value ? "true" : "false";
    out_.append(text.data(), text.data() + text.size());
  }
  void strings(std::string_view name, std::initializer_list<std::string_view> values) {
    if (!member(name)) return;
    char separator = '[';
    for (const std::string_view value : values) {
      out_.push_back(separator);
      separator = ',';
      append_json_string(out_, value);
    }
    out_.push_back(']');
  }

  std::string finish() && {
    if (extra_ != nullptr) {
      for (const auto& [name, value] : extra_->items()) {
        if (is_reserved_claim(name)) continue;
        open(name);
        append_json_value(out_, value);
      }
    }
    out_.push_back('}');
    return {out_.data(), out_.size()};
  }

 private:
  // Opens a standard claim, unless a rule's claim of that name takes its place.
  bool member(std::string_view name) {
    if (extra_ != nullptr && !is_reserved_claim(name) && extra_->contains(name)) return false;
    open(name);
    return true;
  }
  void open(std::string_view name) {
    append_json_member_name(out_, name, first_);
    first_ = false;
  }

  const nlohmann::json* extra_;
  TextBuffer out_;
  bool first_ = true;
};

OAuthError signing_failure(std::string debug) {
  OAuthError error = OAuthError::make(errors::kServerError, "the token could not be issued", 500);
  error.debug = std::move(debug);
  return error;
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
                                                  std::string_view claims,
                                                  std::string_view alg_name) const {
  const auto alg = jose::algorithm_from_string(alg_name);
  if (!alg) return fail(signing_failure("unknown signing_alg " + std::string(alg_name)));
  const auto snapshot = keyring_.snapshot();
  const jose::SigningKey* key = snapshot->signer(*alg);
  if (key == nullptr) return fail(signing_failure("no current key for " + std::string(alg_name)));
  return jose::sign(header_extra, claims, *key);
}

Result<IssuedToken, OAuthError> TokenIssuer::issue_access_token(const AccessTokenSpec& spec) const {
  const auto& api = spec.resource_server;
  const std::int64_t lifetime = api ? api->token_lifetime_seconds : kDefaultAccessTokenLifetime;
  const std::int64_t iat = to_unix_seconds(clock_.now());
  IssuedToken issued;
  issued.jti = spec.jti.empty() ? new_jti() : spec.jti;
  // Sorted names; aud is the API and, with openid, /userinfo too (RFC 9068 §3).
  ClaimsText claims(spec.extra_claims);
  if (!api) {
    claims.string("aud", userinfo_audience_);
  } else if (has_scope(spec.scopes, kScopeOpenId)) {
    claims.strings("aud", {api->identifier, userinfo_audience_});
  } else {
    claims.string("aud", api->identifier);
  }
  claims.string("azp", spec.client_id);
  claims.string("client_id", spec.client_id);
  claims.number("exp", iat + lifetime);
  claims.number("iat", iat);
  claims.string("iss", issuer_);
  claims.string("jti", issued.jti);
  claims.string("scope", join_scopes(spec.scopes));
  claims.string("sub", spec.subject);
  // RFC 9068 §2.1: access tokens MUST carry typ "at+jwt".
  auto token = sign({{"typ", kAccessTokenType}}, std::move(claims).finish(),
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
  // OIDC Core §3.1.2.1: when the request had a nonce, the ID token MUST carry it unchanged.
  // Profile and email claims (OIDC Core §5.4) as the scopes ask; updated_at is a NumericDate.
  // Sorted names.
  const bool profile = has_scope(spec.scopes, kScopeProfile);
  const bool email = has_scope(spec.scopes, kScopeEmail);
  const model::User& user = spec.user;
  ClaimsText claims(spec.extra_claims);
  claims.string("aud", spec.client_id);
  claims.number("auth_time", to_unix_seconds(spec.auth_time));
  claims.string("azp", spec.client_id);
  if (email) claims.string("email", user.email);
  if (email) claims.boolean("email_verified", user.email_verified);
  claims.number("exp", iat + spec.lifetime_seconds);
  claims.number("iat", iat);
  claims.string("iss", issuer_);
  if (profile) claims.string("name", user.name);
  if (profile) claims.string("nickname", user.nickname);
  if (!spec.nonce.empty()) claims.string("nonce", spec.nonce);
  if (profile) claims.string("picture", user.picture);
  if (!spec.session_id.empty()) claims.string("sid", spec.session_id);
  claims.string("sub", user.user_id);
  if (profile) claims.number("updated_at", to_unix_seconds(user.updated_at));
  auto token = sign(nullptr, std::move(claims).finish(), spec.signing_alg);
  if (!token.ok()) return fail(token.error());
  return IssuedToken{
      std::move(*token), {}, spec.lifetime_seconds, from_unix_seconds(iat + spec.lifetime_seconds)};
}

}  // namespace latchkey::oauth
