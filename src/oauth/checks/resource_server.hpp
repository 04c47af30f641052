#pragma once
// The API (resource server) a request asks a token for: Auth0's `audience`, RFC 8707's
// `resource`.

#include <optional>
#include <string>

#include "core/result.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"
#include "store/store.hpp"

namespace latchkey::oauth::checks {

/// The API whose identifier equals `audience`; nullopt when `audience` is "" (the token is then
/// good only at /userinfo). An unknown identifier is access_denied "Service not found:
/// <audience>" as Auth0 answers it (RFC 8707 §2 suggests invalid_target; Auth0 compatibility
/// wins). A failing store is temporarily_unavailable (503).
[[nodiscard]] Result<std::optional<model::ResourceServer>, OAuthError> check_resource_server(
    const std::string& audience, store::ResourceServerStore& resource_servers);

}  // namespace latchkey::oauth::checks
