#pragma once
// Scope values (RFC 6749 §3.3): a space-delimited, order-free set of case-sensitive strings.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/model.hpp"

namespace latchkey::oauth {

/// Scopes defined by OpenID Connect Core (§5.4, §11), granted without any API.
namespace scopes {
inline constexpr std::string_view kOpenId = "openid";
inline constexpr std::string_view kProfile = "profile";
inline constexpr std::string_view kEmail = "email";
inline constexpr std::string_view kOfflineAccess = "offline_access";
}  // namespace scopes

/// Splits a scope parameter on spaces (RFC 6749 §3.3), dropping empty parts and duplicates;
/// the first occurrence keeps its place.
[[nodiscard]] std::vector<std::string> split_scope(std::string_view scope);

/// Joins scopes with single spaces, as the `scope` parameter and claim spell them.
[[nodiscard]] std::string join_scope(const std::vector<std::string>& scopes);

/// True for openid, profile, email and offline_access.
[[nodiscard]] bool is_oidc_scope(std::string_view scope);

/// The requested scopes that can be granted: the OIDC scopes and the scopes `api` defines.
/// Anything else is dropped silently, as Auth0 does (not an error). Order is kept.
[[nodiscard]] std::vector<std::string> grantable_scopes(
    const std::vector<std::string>& requested, const std::optional<model::ResourceServer>& api);

/// True when every scope in `requested` is in `granted`, in any order.
[[nodiscard]] bool covers(const std::vector<std::string>& granted,
                          const std::vector<std::string>& requested);

}  // namespace latchkey::oauth
