#pragma once
// When /authorize must ask the user for consent (Auth0's rules, OIDC Core §3.1.2.4).

#include <optional>
#include <string_view>

#include "model/model.hpp"
#include "oauth/authorize_request.hpp"

namespace latchkey::oauth {

/// True when the URI has an authority whose host is not a loopback name or address: neither
/// `localhost` (nor a `*.localhost` name), nor IPv4 127.0.0.0/8 or 0.0.0.0/8 (in any of the
/// numeric spellings browsers accept), nor IPv6 ::1, :: or an IPv4-mapped loopback. A URI
/// without an authority (a custom scheme) or one that cannot be parsed is not verifiable.
[[nodiscard]] bool is_verifiable_redirect_uri(std::string_view uri);

/// Whether the user must be asked, given the stored grant for (user, client, audience):
/// - prompt=consent always asks;
/// - a grant covering every requested scope (in any order) does not ask;
/// - a first-party client does not ask for an API with
///   skip_consent_for_verifiable_first_party_clients when its redirect_uri is verifiable;
/// - a first-party client does not ask with no API and only OIDC scopes;
/// - anything else asks (third-party clients always do).
[[nodiscard]] bool consent_required(const AuthorizeRequest& request,
                                    const std::optional<model::Grant>& grant);

}  // namespace latchkey::oauth
