#pragma once
// Client authentication at the token endpoint (RFC 6749 §2.3): client_secret_basic,
// client_secret_post, or none for public clients (which must then use PKCE, RFC 7636).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "http/form.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

/// Wire values of token_endpoint_auth_method (RFC 7591 §2).
inline constexpr std::string_view kAuthMethodBasic = "client_secret_basic";
inline constexpr std::string_view kAuthMethodPost = "client_secret_post";
inline constexpr std::string_view kAuthMethodNone = "none";

/// The value of `name` in a token request's form, nullopt when absent; invalid_request when it
/// is sent twice (RFC 6749 §3.2).
[[nodiscard]] Result<std::optional<std::string>, OAuthError> single_form_parameter(
    const http::Params& form, std::string_view name);

/// Authenticates the client of a token request from its Authorization header and its already
/// parsed form. Fails with:
/// - invalid_request (400) when two methods are used at once (RFC 6749 §2.3: MUST NOT), a form
///   client_id disagrees with the Basic one, or client_id/client_secret is repeated;
/// - invalid_client (401) when no client is named, it is unknown, the secret is wrong, or the
///   method used is not the client's registered one (RFC 6749 §5.2);
/// - server_error (503) when the store is unavailable.
[[nodiscard]] Result<model::Client, OAuthError> authenticate_client(const http::Request& request,
                                                                    const http::Params& form,
                                                                    store::ClientStore& clients);

/// Renders an error of the token endpoint: the JSON body of render_json, plus
/// `WWW-Authenticate: Basic realm="latchkey"` on a 401 (RFC 6749 §5.2).
[[nodiscard]] http::Response render_token_error(const OAuthError& error);

}  // namespace latchkey::oauth
