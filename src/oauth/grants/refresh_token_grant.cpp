#include "oauth/grants/refresh_token_grant.hpp"

#include <span>
#include <utility>

#include "crypto/digest.hpp"
#include "jose/base64url.hpp"
#include "oauth/grants/grant_support.hpp"
#include "oauth/scope.hpp"

namespace latchkey::oauth {
namespace {

// Auth0's words for every refresh token it will not honour; the reason goes to the log only.
constexpr const char* kInvalidRefreshToken = "Unknown or invalid refresh token.";

// What Auth0's rules see as context.protocol during a refresh token exchange.
constexpr const char* kRefreshProtocol = "oauth2-refresh-token";

OAuthError invalid_refresh_token(std::string debug) {
  return invalid_grant(kInvalidRefreshToken, std::move(debug));
}

Result<std::string, OAuthError> presented_token(const http::Params& form) {
  // RFC 6749 §3.1: parameters MUST NOT be included more than once.
  auto value = form.get("refresh_token");
  if (!value.ok()) return fail(invalid_request("refresh_token is repeated"));
  if (!value->has_value() || (*value)->empty()) {
    return fail(invalid_request("missing refresh_token"));
  }
  return std::move(**value);
}

}  // namespace

Result<std::vector<std::string>, OAuthError> refresh_scopes(
    const std::vector<std::string>& requested, const std::vector<std::string>& granted) {
  if (requested.empty()) return granted;
  // RFC 6749 §6: the requested scope MUST NOT include any scope not originally granted.
  for (const auto& scope : requested) {
    if (!has_scope(granted, scope)) {
      return fail(
          OAuthError::make(errors::kInvalidScope, "scope not originally granted: " + scope));
    }
  }
  return requested;
}

RefreshTokenGrant::RefreshTokenGrant(store::Store& store, const TokenIssuer& issuer,
                                     crypto::RandomSource& random, LoginPipeline* rules)
    : store_(store), issuer_(issuer), random_(random), rules_(rules) {}

Result<TokenResponse, OAuthError> RefreshTokenGrant::handle(const TokenRequest& request) {
  const model::Client& client = request.client;
  if (!has_scope(client.grant_types, kGrantTypeRefreshToken)) {
    return fail(
        OAuthError::make(errors::kUnauthorizedClient, "the client is not allowed this grant_type"));
  }
  auto presented = presented_token(request.form);
  if (!presented.ok()) return fail(presented.error());
  auto requested = requested_scopes(request.form);
  if (!requested.ok()) return fail(requested.error());

  auto token = load_token(crypto::sha256_hex(*presented), client, request.now);
  if (!token.ok()) return fail(token.error());
  auto scopes = refresh_scopes(*requested, token->scopes);
  if (!scopes.ok()) return fail(scopes.error());
  auto user = load_token_user(store_.users(), token->user_id, kInvalidRefreshToken);
  if (!user.ok()) return fail(user.error());
  // The rules decide before anything is spent: a denial leaves the token as it was.
  auto claims = run_rules(*user, *token, *scopes, request);
  if (!claims.ok()) return fail(claims.error());
  // Signed before the rotation, so that a signing failure does not spend the user's token.
  auto response = sign_tokens(*token, client, std::move(*user), *scopes, *claims);
  if (!response.ok()) return fail(response.error());
  auto rotated = rotate(*token, request.now);
  if (!rotated.ok()) return fail(rotated.error());
  response->refresh_token = std::move(*rotated);
  return response;
}

Result<model::RefreshToken, OAuthError> RefreshTokenGrant::load_token(const std::string& digest,
                                                                      const model::Client& client,
                                                                      TimePoint now) {
  auto token = store_.refresh_tokens().find(digest);
  if (!token.ok()) {
    if (token.error() == store::StoreError::not_found)
      return fail(invalid_refresh_token("unknown token"));
    return fail(store_unavailable(token.error()));
  }
  // RFC 6749 §6: the refresh token MUST have been issued to the authenticated client.
  if (token->client_id != client.client_id) {
    return fail(invalid_refresh_token("token belongs to another client"));
  }
  if (token->revoked_at.has_value()) return fail(invalid_refresh_token("token revoked"));
  if (token->expires_at.has_value() && *token->expires_at <= now) {
    return fail(invalid_refresh_token("token expired"));
  }
  return std::move(*token);
}

// OIDC Core §12.2: auth_time is the original authentication's, which the token records (its
// family inherits it). Tokens from before schema v10 did not: for them it comes from the login
// session while that lasts, and after a logout (or housekeeping) from the token's own creation,
// the closest known time.
TimePoint RefreshTokenGrant::auth_time_of(const model::RefreshToken& token) {
  if (token.auth_time.has_value()) return *token.auth_time;
  if (!token.session_id.empty()) {
    auto session = store_.sessions().find(token.session_id);
    if (session.ok() && session->user_id == token.user_id) return session->auth_time;
  }
  return token.created_at;
}

// Auth0 runs the rules and actions on every exchange. Their context has no query (the
// request's body holds the refresh token and perhaps the client's secret), and a redirect
// cannot be followed by a token request, so Auth0 answers it with an error.
Result<nlohmann::json, OAuthError> RefreshTokenGrant::run_rules(
    const model::User& user, const model::RefreshToken& token,
    const std::vector<std::string>& scopes, const TokenRequest& request) {
  if (rules_ == nullptr || rules_->empty()) return nlohmann::json::object();
  LoginPipelineFacts facts;
  facts.protocol = kRefreshProtocol;
  facts.ip = request.ip;
  facts.user_agent = request.user_agent;
  facts.scopes = scopes;
  facts.audience = token.audience;
  facts.session_id = token.session_id;
  LoginPipelineOutcome outcome = rules_->run(user, request.client, facts);
  switch (outcome.kind) {
    case LoginPipelineOutcome::Kind::ok:
      return std::move(outcome.extra_claims);
    case LoginPipelineOutcome::Kind::redirect:
      return fail(OAuthError::make(errors::kAccessDenied,
                                   "A rule or action asked for a redirect, which a refresh token "
                                   "exchange cannot follow",
                                   403));
    case LoginPipelineOutcome::Kind::denied:
    case LoginPipelineOutcome::Kind::failed:
      break;
  }
  return fail(OAuthError::make(errors::kAccessDenied, std::move(outcome.description), 403));
}

Result<TokenResponse, OAuthError> RefreshTokenGrant::sign_tokens(
    const model::RefreshToken& token, const model::Client& client, model::User user,
    const std::vector<std::string>& scopes, const nlohmann::json& claims) {
  auto api = load_token_api(store_.resource_servers(), token.audience, kInvalidRefreshToken);
  if (!api.ok()) return fail(api.error());
  TokenResponse response;
  response.scope = join_scopes(scopes);
  auto access = issuer_.issue_access_token(
      {token.user_id, client.client_id, scopes, *api, rule_claims(claims, "access_token")});
  if (!access.ok()) return fail(access.error());
  response.access_token = std::move(access->token);
  response.expires_in = access->expires_in;
  // OIDC Core §12.2: an ID token may come back; it has no nonce (no authorization request).
  if (has_scope(scopes, kScopeOpenId)) {
    IdTokenSpec spec{.user = std::move(user),
                     .client_id = client.client_id,
                     .lifetime_seconds = client.id_token_lifetime_seconds,
                     .scopes = scopes,
                     .auth_time = auth_time_of(token),
                     .nonce = {},
                     .session_id = token.session_id,
                     .extra_claims = rule_claims(claims, "id_token"),
                     .signing_alg = client.id_token_signed_response_alg};
    auto id_token = issuer_.issue_id_token(spec);
    if (!id_token.ok()) return fail(id_token.error());
    response.id_token = std::move(id_token->token);
  }
  return response;
}

// RFC 9700 §4.14.2: the new token keeps the family, the original scopes and the family's
// absolute expiry; the store spends the parent and adds the child atomically.
Result<std::string, OAuthError> RefreshTokenGrant::rotate(const model::RefreshToken& parent,
                                                          TimePoint now) {
  std::string token = new_refresh_token(random_);
  model::RefreshToken child = parent;
  child.token_digest = crypto::sha256_hex(token);
  child.parent_digest = parent.token_digest;
  child.created_at = now;
  child.revoked_at.reset();
  auto rotated = store_.refresh_tokens().rotate(parent.token_digest, child);
  if (!rotated.ok()) {
    if (rotated.error() == store::StoreError::not_found) {
      return fail(invalid_refresh_token("token vanished"));
    }
    return fail(store_unavailable(rotated.error()));
  }
  if (!*rotated) {
    // Reuse of a spent token: someone holds a copy, so every token of the family dies.
    (void)store_.refresh_tokens().revoke_family(parent.family_id, now);
    return fail(invalid_refresh_token("reuse of a rotated token; family revoked"));
  }
  return token;
}

}  // namespace latchkey::oauth
