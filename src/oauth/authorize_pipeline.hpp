#pragma once
// The /authorize checks, in order, in one table (STYLE.md rule 2). Each step is a pure check
// from oauth/checks/; a refusal names the step that failed so the log can say which.

#include <span>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/form.hpp"
#include "oauth/authorize_request.hpp"
#include "oauth/error.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

/// What the checks read besides the request itself.
struct AuthorizeLookups {
  store::ClientStore& clients;
  store::ResourceServerStore& resource_servers;
  std::string issuer;  ///< sent back as `iss` (RFC 9207 §2)
};

/// A request the checks refused. `error.may_redirect` is true once the client and its
/// redirect_uri were verified; `target` is then where the error goes.
struct AuthorizeRefusal {
  std::string_view step;  ///< the name of the failed step, for the log
  OAuthError error;
  RedirectTarget target;
  std::string client_id;  ///< the verified client_id, "" when the client is not known
};

/// The names of the steps, in the order they run.
[[nodiscard]] std::span<const std::string_view> authorize_steps();

/// Runs every check on `params` (the query of GET /authorize, or the form of POST) and returns
/// the validated request, or the first refusal. Never throws on bad input.
[[nodiscard]] Result<AuthorizeRequest, AuthorizeRefusal> validate_authorize_request(
    http::Params params, const AuthorizeLookups& lookups);

}  // namespace latchkey::oauth
