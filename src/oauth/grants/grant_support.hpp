#pragma once
// What the grants that issue tokens for a stored user share: the store failure answer, and
// loading the user and the API a code or refresh token names (they may have changed since).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/random.hpp"
#include "http/form.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

/// 503 temporarily unavailable-style server_error for a store failure; the cause is debug only.
[[nodiscard]] OAuthError store_unavailable(store::StoreError error);

/// The scopes a token request asks for (`scope`, RFC 6749 §3.3), empty when absent;
/// invalid_request when `scope` is repeated.
[[nodiscard]] Result<std::vector<std::string>, OAuthError> requested_scopes(
    const http::Params& form);

/// A new opaque refresh token: 32 random bytes, base64url.
[[nodiscard]] std::string new_refresh_token(crypto::RandomSource& random);

/// The user the tokens are for. A user that no longer exists is invalid_grant with
/// `gone_description` (the grant's word for its unusable credential); a blocked user is
/// invalid_grant "user is blocked".
[[nodiscard]] Result<model::User, OAuthError> load_token_user(store::UserStore& users,
                                                              const std::string& user_id,
                                                              std::string_view gone_description);

/// The rules' claims for one token kind (`kind` "id_token" or "access_token") out of what the
/// login pipeline returned, {"id_token": {...}, "access_token": {...}}; empty when absent.
[[nodiscard]] nlohmann::json rule_claims(const nlohmann::json& extra, const char* kind);

/// The API named by `audience` (none when empty). An API that no longer exists is invalid_grant
/// with `gone_description`.
[[nodiscard]] Result<std::optional<model::ResourceServer>, OAuthError> load_token_api(
    store::ResourceServerStore& apis, const std::string& audience,
    std::string_view gone_description);

}  // namespace latchkey::oauth
