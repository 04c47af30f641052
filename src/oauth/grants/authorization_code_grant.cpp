#include "oauth/grants/authorization_code_grant.hpp"

#include <vector>

#include "crypto/digest.hpp"
#include "jose/base64url.hpp"
#include "oauth/client_auth.hpp"
#include "oauth/grants/grant_support.hpp"
#include "oauth/pkce.hpp"

namespace latchkey::oauth {
namespace {

Result<std::string, OAuthError> required(const http::Params& form, std::string_view name) {
  auto value = single_form_parameter(form, name);
  if (!value.ok()) return fail(value.error());
  if (!value->has_value() || (*value)->empty()) {
    return fail(OAuthError::make(errors::kInvalidRequest, "missing " + std::string(name)));
  }
  return std::move(**value);
}

// RFC 7636 §4.6 and the downgrade rule of OAuth 2.1: a verifier is required exactly when the
// authorization request carried a challenge; public clients must have used one.
Result<void, OAuthError> check_pkce(const model::AuthorizationCode& code,
                                    const model::Client& client,
                                    const std::optional<std::string>& verifier) {
  if (code.code_challenge.empty()) {
    if (client.token_endpoint_auth_method == kAuthMethodNone) {
      return fail(invalid_grant("PKCE is required for public clients"));
    }
    if (verifier.has_value()) return fail(invalid_grant("no code_challenge was sent"));
    return {};
  }
  if (!verifier.has_value() || verifier->empty()) {
    return fail(OAuthError::make(errors::kInvalidRequest, "missing code_verifier"));
  }
  if (!verify_pkce(*verifier, code.code_challenge, code.code_challenge_method)) {
    return fail(invalid_grant("failed to verify code_verifier"));
  }
  return {};
}

Result<void, OAuthError> check_code(const model::AuthorizationCode& code,
                                    const model::Client& client, std::string_view redirect_uri,
                                    TimePoint now) {
  if (code.expires_at <= now) return fail(invalid_grant("authorization code expired"));
  // RFC 6749 §4.1.3: ensure the code was issued to the authenticated client.
  if (code.client_id != client.client_id) {
    return fail(invalid_grant("invalid authorization code", "code belongs to another client"));
  }
  // RFC 6749 §4.1.3: redirect_uri MUST be identical to the authorization request's.
  if (code.redirect_uri != redirect_uri) return fail(invalid_grant("redirect_uri mismatch"));
  return {};
}

}  // namespace

AuthorizationCodeGrant::AuthorizationCodeGrant(store::Store& store, const TokenIssuer& issuer,
                                               crypto::RandomSource& random)
    : store_(store), issuer_(issuer), random_(random) {}

Result<TokenResponse, OAuthError> AuthorizationCodeGrant::handle(const TokenRequest& request) {
  auto code_value = required(request.form, "code");
  if (!code_value.ok()) return fail(code_value.error());
  auto redirect_uri = required(request.form, "redirect_uri");
  if (!redirect_uri.ok()) return fail(redirect_uri.error());
  auto verifier = single_form_parameter(request.form, "code_verifier");
  if (!verifier.ok()) return fail(verifier.error());

  const std::string digest = crypto::sha256_hex(*code_value);
  Planned planned{issuer_.new_jti(), new_refresh_token(random_)};
  auto code = redeem(digest, request.now, planned);
  if (!code.ok()) return fail(code.error());
  auto checked = check_code(*code, request.client, *redirect_uri, request.now);
  if (!checked.ok()) return fail(checked.error());
  auto pkce = check_pkce(*code, request.client, *verifier);
  if (!pkce.ok()) return fail(pkce.error());
  return issue(*code, request.client, request.now, std::move(planned));
}

Result<model::AuthorizationCode, OAuthError> AuthorizationCodeGrant::redeem(
    const std::string& digest, TimePoint now, const Planned& planned) {
  auto redemption = store_.authorization_codes().redeem(
      digest, now, {planned.access_jti, crypto::sha256_hex(planned.refresh_token)});
  if (!redemption.ok()) {
    if (redemption.error() == store::StoreError::not_found) {
      return fail(invalid_grant("invalid authorization code", "unknown code"));
    }
    return fail(store_unavailable(redemption.error()));
  }
  if (!redemption->first) {
    // RFC 6749 §4.1.2: the server MUST deny the request and SHOULD revoke all tokens
    // previously issued based on that code.
    revoke_issued(redemption->code, now);
    return fail(invalid_grant("invalid authorization code", "code replayed"));
  }
  return std::move(redemption->code);
}

void AuthorizationCodeGrant::revoke_issued(const model::AuthorizationCode& code, TimePoint now) {
  if (!code.issued_refresh_digest.empty()) {
    auto refresh = store_.refresh_tokens().find(code.issued_refresh_digest);
    if (refresh.ok()) (void)store_.refresh_tokens().revoke_family(refresh->family_id, now);
  }
  if (code.issued_access_jti.empty()) return;
  std::int64_t lifetime = kDefaultAccessTokenLifetime;
  if (!code.audience.empty()) {
    auto api = store_.resource_servers().find(code.audience);
    if (api.ok()) lifetime = api->token_lifetime_seconds;
  }
  // The jti must stay revoked until the token would have expired anyway.
  const TimePoint issued_at = code.redeemed_at.value_or(now);
  (void)store_.revoked_tokens().revoke(code.issued_access_jti,
                                       issued_at + std::chrono::seconds(lifetime));
}

Result<void, OAuthError> AuthorizationCodeGrant::store_refresh_token(
    const model::AuthorizationCode& code, TimePoint now, const std::string& token) {
  model::RefreshToken record;
  record.token_digest = crypto::sha256_hex(token);
  record.family_id = crypto::random_hex(random_, 16);
  record.client_id = code.client_id;
  record.user_id = code.user_id;
  record.audience = code.audience;
  record.scopes = code.scopes;
  record.session_id = code.session_id;
  record.created_at = now;
  record.expires_at = now + kRefreshTokenLifetime;
  record.auth_time = code.auth_time;
  auto created = store_.refresh_tokens().create(record);
  if (!created.ok()) return fail(store_unavailable(created.error()));
  return {};
}

Result<TokenResponse, OAuthError> AuthorizationCodeGrant::sign_tokens(
    const model::AuthorizationCode& code, const model::Client& client, model::User user,
    const std::optional<model::ResourceServer>& api, const std::string& access_jti) const {
  TokenResponse out;
  out.scope = join_scopes(code.scopes);
  auto access =
      issuer_.issue_access_token({code.user_id, client.client_id, code.scopes, api,
                                  rule_claims(code.extra_claims, "access_token"), access_jti});
  if (!access.ok()) return fail(access.error());
  out.access_token = std::move(access->token);
  out.expires_in = access->expires_in;
  // OIDC Core §3.1.3.3: an ID token is returned when the openid scope was granted.
  if (has_scope(code.scopes, kScopeOpenId)) {
    auto id_token = issuer_.issue_id_token(
        {std::move(user), client.client_id, client.id_token_lifetime_seconds, code.scopes,
         code.auth_time, code.nonce, code.session_id, rule_claims(code.extra_claims, "id_token"),
         client.id_token_signed_response_alg});
    if (!id_token.ok()) return fail(id_token.error());
    out.id_token = std::move(id_token->token);
  }
  return out;
}

Result<TokenResponse, OAuthError> AuthorizationCodeGrant::issue(
    const model::AuthorizationCode& code, const model::Client& client, TimePoint now,
    Planned planned) {
  auto user = load_token_user(store_.users(), code.user_id, "invalid authorization code");
  if (!user.ok()) return fail(user.error());
  auto api = load_token_api(store_.resource_servers(), code.audience, "invalid authorization code");
  if (!api.ok()) return fail(api.error());
  auto response = sign_tokens(code, client, std::move(*user), *api, planned.access_jti);
  if (!response.ok()) return fail(response.error());
  const bool offline = has_scope(code.scopes, kScopeOfflineAccess) && api->has_value() &&
                       (*api)->allow_offline_access &&
                       has_scope(client.grant_types, kGrantTypeRefreshToken);
  if (offline) {
    auto stored = store_refresh_token(code, now, planned.refresh_token);
    if (!stored.ok()) return fail(stored.error());
    response->refresh_token = std::move(planned.refresh_token);
  }
  return response;
}

}  // namespace latchkey::oauth
