#pragma once
// grant_type=client_credentials (RFC 6749 §4.4): Auth0's machine-to-machine flow. A confidential
// client asks for an access token to an API (the `audience`, or RFC 8707 `resource`) on its own
// behalf; a client grant (store::ClientGrantStore) must authorize it for that API and bounds the
// scopes. No ID token and no refresh token are issued (RFC 6749 §4.4.3).

#include <string>
#include <string_view>
#include <vector>

#include "oauth/grants/grant.hpp"
#include "oauth/token_issuer.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

inline constexpr std::string_view kGrantTypeClientCredentials = "client_credentials";
/// The `gty` claim Auth0 puts in client_credentials access tokens.
inline constexpr std::string_view kGtyClientCredentials = "client-credentials";
/// Auth0's subject suffix for tokens a client gets for itself: sub = "<client_id>@clients".
inline constexpr std::string_view kClientSubjectSuffix = "@clients";

class ClientCredentialsGrant final : public Grant {
 public:
  /// Reads APIs and client grants; `issuer` signs the access tokens.
  ClientCredentialsGrant(store::ResourceServerStore& apis, store::ClientGrantStore& client_grants,
                         const TokenIssuer& issuer);

  [[nodiscard]] std::string_view grant_type() const override { return kGrantTypeClientCredentials; }

  /// Issues an RFC 9068 access token for the API with sub "<client_id>@clients" and gty
  /// "client-credentials". Fails with unauthorized_client for a public client; invalid_request
  /// when no audience is given, or more than one (audience and resource disagree, resource is
  /// repeated); access_denied (403) for an unknown API or a client without a client grant for
  /// it; invalid_scope for a scope outside the client grant; server_error when the store fails.
  [[nodiscard]] Result<TokenResponse, OAuthError> handle(const TokenRequest& request) override;

 private:
  Result<model::ResourceServer, OAuthError> load_api(const std::string& audience);
  Result<model::ClientGrant, OAuthError> load_client_grant(const std::string& client_id,
                                                           const std::string& audience);

  store::ResourceServerStore& apis_;
  store::ClientGrantStore& client_grants_;
  const TokenIssuer& issuer_;
};

/// The scopes a client_credentials token gets: all of the client grant's when `requested` is
/// empty, else `requested` (which must be a subset). Only scopes the API still defines count.
/// Fails with invalid_scope naming the first scope that is not granted.
[[nodiscard]] Result<std::vector<std::string>, OAuthError> client_credentials_scopes(
    const std::vector<std::string>& requested, const model::ClientGrant& grant,
    const model::ResourceServer& api);

}  // namespace latchkey::oauth
