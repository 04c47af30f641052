#pragma once
// The one OAuth error type, and the one place that renders it (STYLE.md rule 4): as the RFC 6749
// §5.2 JSON body, as a redirect back to the client with `error=` (§4.1.2.1), or as an HTML page
// when the client or its redirect_uri cannot be trusted.

#include <string>
#include <string_view>

#include "http/form.hpp"
#include "http/response.hpp"

namespace latchkey::oauth {

/// Wire values of "error" (RFC 6749 §4.1.2.1, §5.2; OIDC Core §3.1.2.6; RFC 6750 §3.1).
namespace errors {
inline constexpr std::string_view kInvalidRequest = "invalid_request";
inline constexpr std::string_view kInvalidClient = "invalid_client";
inline constexpr std::string_view kInvalidGrant = "invalid_grant";
inline constexpr std::string_view kUnauthorizedClient = "unauthorized_client";
inline constexpr std::string_view kUnsupportedGrantType = "unsupported_grant_type";
inline constexpr std::string_view kUnsupportedResponseType = "unsupported_response_type";
inline constexpr std::string_view kInvalidScope = "invalid_scope";
inline constexpr std::string_view kAccessDenied = "access_denied";
inline constexpr std::string_view kServerError = "server_error";
inline constexpr std::string_view kTemporarilyUnavailable = "temporarily_unavailable";
inline constexpr std::string_view kLoginRequired = "login_required";
inline constexpr std::string_view kConsentRequired = "consent_required";
inline constexpr std::string_view kInteractionRequired = "interaction_required";
inline constexpr std::string_view kInvalidToken = "invalid_token";
inline constexpr std::string_view kInsufficientScope = "insufficient_scope";
}  // namespace errors

struct OAuthError {
  std::string code;         ///< one of errors::k*
  std::string description;  ///< for the client: never internals
  int status = 400;
  std::string debug;          ///< for the log only
  bool may_redirect = false;  ///< true only once the client and redirect_uri are verified

  [[nodiscard]] static OAuthError make(std::string_view code, std::string description,
                                       int status = 400);
  /// The same error, now allowed to go back to the (verified) redirect_uri.
  [[nodiscard]] OAuthError redirectable() const;
};

/// invalid_request (400) with `description` for the client.
[[nodiscard]] OAuthError invalid_request(std::string description);

/// invalid_grant (400): `description` for the client, `debug` for the log only.
[[nodiscard]] OAuthError invalid_grant(std::string description, std::string debug = {});

/// RFC 6749 §4.1.2 and OAuth 2.0 Form Post Response Mode.
enum class ResponseMode { query, form_post };

/// Where an authorization response goes: the verified redirect_uri, the client's state, and
/// the issuer (RFC 9207 §2: the response carries "iss").
struct RedirectTarget {
  std::string redirect_uri;
  std::string state;
  std::string issuer;
  ResponseMode mode = ResponseMode::query;
};

/// JSON body with Cache-Control: no-store and Pragma: no-cache (RFC 6749 §5.1, §5.2).
[[nodiscard]] http::Response render_json(const OAuthError& error);

/// The error sent back to the client: `error`, `error_description`, `state`, `iss`.
/// Falls back to render_page when `error.may_redirect` is false.
[[nodiscard]] http::Response render_redirect(const OAuthError& error, const RedirectTarget& target);

/// An HTML error page (for an unknown client or an unregistered redirect_uri: never redirect).
[[nodiscard]] http::Response render_page(const OAuthError& error);

/// A successful authorization response carrying `params` (e.g. code) plus state and iss: a 302
/// with the parameters in the query, or an auto-submitting form for form_post.
[[nodiscard]] http::Response authorization_response(const RedirectTarget& target,
                                                    http::Params params);

/// Adds `params` to `uri`'s query (keeping its own query, RFC 6749 §3.1.2).
[[nodiscard]] std::string append_query(std::string_view uri, const http::Params& params);

}  // namespace latchkey::oauth
