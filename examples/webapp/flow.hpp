#pragma once
// The pure steps of a regular web app's sign-in with the Authorization Code Grant (RFC 6749 §4.1,
// OpenID Connect Core §3.1) and PKCE (RFC 7636): reading the issuer's discovery document and the
// client's credentials, building the /authorize and /v2/logout URLs, checking the callback and
// reading the API's answer. No I/O here, so each step has its own unit test.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/random.hpp"
#include "http/form.hpp"

namespace latchkey::examples::webapp {

/// What the web app needs from `<issuer>.well-known/openid-configuration`.
struct ProviderMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string jwks_uri;
};

/// Reads a discovery document. Fails, with a message for the operator, on bad JSON, a missing
/// endpoint, or an `issuer` other than `expected_issuer` (OpenID Connect Discovery §4.3).
[[nodiscard]] Result<ProviderMetadata, std::string> parse_discovery(
    std::string_view body, std::string_view expected_issuer);

/// The web app's client_id and client_secret at the authorization server.
struct ClientCredentials {
  std::string client_id;
  std::string client_secret;
};

/// Reads the JSON that `latchkey clients create --json` prints. Fails with a message when it is
/// not JSON or lacks a non-empty `client_id` or `client_secret`.
[[nodiscard]] Result<ClientCredentials, std::string> parse_client_file(std::string_view text);

/// A `host:port` to listen on; `[::1]:3000` for IPv6.
struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

/// Parses `host:port` (port 0 picks an ephemeral port). Fails with a message otherwise.
[[nodiscard]] Result<ListenAddress, std::string> parse_listen(std::string_view text);

/// `http://host:port` for a bound address, without a trailing slash (IPv6 hosts in brackets).
[[nodiscard]] std::string base_url_for(std::string_view host, std::uint16_t port);

/// `url` with exactly one trailing '/'.
[[nodiscard]] std::string with_trailing_slash(std::string url);

/// One sign-in attempt's secrets, kept on the server until the callback comes back.
struct LoginTransaction {
  std::string state;          ///< CSRF protection for the callback (RFC 6749 §10.12)
  std::string nonce;          ///< binds the ID token to this attempt (OIDC Core §3.1.2.1)
  std::string code_verifier;  ///< PKCE (RFC 7636 §4.1): 43 unreserved characters
};

/// Fresh state, nonce and code verifier: 32 random bytes each, as base64url.
[[nodiscard]] LoginTransaction new_login_transaction(crypto::RandomSource& random);

/// BASE64URL(SHA256(verifier)), the S256 code challenge of RFC 7636 §4.2.
[[nodiscard]] std::string s256_code_challenge(std::string_view code_verifier);

/// The fixed parts of the /authorize request.
struct AuthorizeParams {
  std::string client_id;
  std::string redirect_uri;
  std::string scope;
  std::string audience;
};

/// `endpoint?response_type=code&client_id=…&…&code_challenge_method=S256`.
[[nodiscard]] std::string authorize_url(std::string_view endpoint, const AuthorizeParams& params,
                                        const LoginTransaction& transaction);

/// `<issuer>v2/logout?client_id=…&returnTo=…`: Auth0's logout, which ends the SSO session and
/// sends the browser back to `return_to` when it is one of the client's allowed logout URLs.
[[nodiscard]] std::string logout_url(std::string_view issuer, std::string_view client_id,
                                     std::string_view return_to);

/// The Authorization header for client_secret_basic: id and secret are form-urlencoded before
/// they are joined and base64-encoded (RFC 6749 §2.3.1).
[[nodiscard]] std::string basic_authorization(const ClientCredentials& client);

/// The token request body (RFC 6749 §4.1.3, RFC 7636 §4.5).
[[nodiscard]] http::Params token_request(std::string_view code, std::string_view redirect_uri,
                                         std::string_view code_verifier);

/// Why a callback is refused: `title` and `detail` are shown to the user (escaped).
struct CallbackFailure {
  std::string title;
  std::string detail;
};

/// Checks the callback's query against the transaction its cookie named (nullopt when the
/// cookie was missing or the transaction expired). Returns the code to redeem, or why not:
/// the server's `error`, a missing transaction, a state mismatch (RFC 6749 §10.12), an `iss`
/// other than the issuer (RFC 9207 §2.4), a missing code or a repeated parameter.
[[nodiscard]] Result<std::string, CallbackFailure> check_callback(
    const http::Params& query, const std::optional<LoginTransaction>& transaction,
    std::string_view issuer);

/// The token endpoint's error as `error: error_description` (or the HTTP status when the body is
/// not an RFC 6749 §5.2 error).
[[nodiscard]] std::string describe_token_error(int status, std::string_view body);

/// The messages in the example API's answer `{"messages":[...]}`: strings as they are, objects
/// by their `text` field. nullopt when the body has no such array.
[[nodiscard]] std::optional<std::vector<std::string>> parse_messages(std::string_view body);

}  // namespace latchkey::examples::webapp
