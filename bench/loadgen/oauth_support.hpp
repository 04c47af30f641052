#pragma once
// Pure OAuth 2.0 / OIDC helpers for the load generator: URLs, PKCE, client authentication,
// token response checks. No I/O.

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "html_form.hpp"

namespace latchkey::loadgen {

/// An absolute http URL split into what a connection needs.
struct HttpUrl {
  std::string host;       ///< without brackets for IPv6
  std::string port;       ///< "80" when absent
  std::string authority;  ///< "host:port" as written: the Host header
  std::string origin;     ///< "http://" + authority
  std::string target;     ///< path and query ("/" when empty)
};

/// Parses an absolute http:// URL. Fails on https (this tool speaks plain http to loopback),
/// other schemes, user info, or a URL that does not parse.
[[nodiscard]] Result<HttpUrl, std::string> parse_http_url(std::string_view text);

/// 127.0.0.0/8, ::1 and "localhost".
[[nodiscard]] bool is_loopback_host(std::string_view host);

/// Parses the issuer and refuses a host off loopback unless `allow_non_loopback`.
[[nodiscard]] Result<HttpUrl, std::string> check_issuer(std::string_view issuer,
                                                        bool allow_non_loopback);

/// `<issuer>/.well-known/openid-configuration` (OIDC Discovery §4; a trailing '/' is dropped).
[[nodiscard]] std::string discovery_url(std::string_view issuer);

/// Resolves `reference` (a Location or a form action) against `base` (RFC 3986 §5.2);
/// an empty reference gives `base`. Fails when either does not parse.
[[nodiscard]] Result<std::string, std::string> resolve_url(std::string_view base,
                                                           std::string_view reference);

/// The decoded value of the first `name` in `url`'s query.
[[nodiscard]] std::optional<std::string> query_param(std::string_view url, std::string_view name);

/// `code_challenge` for S256: BASE64URL(SHA256(verifier)) (RFC 7636 §4.2).
[[nodiscard]] std::string pkce_challenge(std::string_view verifier);

/// The value of an `Authorization: Basic` header for client_secret_basic: both parts
/// form-encoded first (RFC 6749 §2.3.1).
[[nodiscard]] std::string basic_credentials(std::string_view client_id,
                                            std::string_view client_secret);

/// application/x-www-form-urlencoded body of `fields`.
[[nodiscard]] std::string form_body(const FormFields& fields);

/// A string claim of a JWT's payload, decoded without checking the signature; nullopt when
/// the token or the claim is malformed or missing.
[[nodiscard]] std::optional<std::string> jwt_string_claim(std::string_view jwt,
                                                          std::string_view claim);

/// The `error` member of a JSON error body (RFC 6749 §5.2), or "" when there is none.
[[nodiscard]] std::string oauth_error(std::string_view body);

/// A string member of a JSON object body, or "" when missing.
[[nodiscard]] std::string json_string(std::string_view body, std::string_view member);

/// The tokens of a successful token response.
struct TokenSet {
  std::string access_token;
  std::string refresh_token;  ///< empty when none was issued
  std::string id_token;       ///< empty when none was issued
};

/// Checks an authorization response (RFC 6749 §4.1.2): a 302/303 to `redirect_uri` carrying a
/// code and the same `state`. Returns the code, or the error kind: "status N", "oauth ERROR"
/// (an error= redirect), "check: redirected to PATH, not the redirect_uri", "check: state
/// mismatch", "check: no code".
[[nodiscard]] Result<std::string, std::string> code_from_redirect(int status,
                                                                  std::string_view location,
                                                                  std::string_view redirect_uri,
                                                                  std::string_view state);

/// Checks a token response (RFC 6749 §5.1): 200 with an access_token; with `nonce`, also an
/// id_token whose payload carries that nonce (OIDC Core §3.1.3.7). Errors: "oauth ERROR" (an
/// RFC 6749 §5.2 body), "status N", "check: not JSON", "check: no access_token", "check: no
/// id_token", "check: nonce mismatch".
[[nodiscard]] Result<TokenSet, std::string> check_token_response(
    int status, std::string_view body, std::optional<std::string_view> nonce);

}  // namespace latchkey::loadgen
