#pragma once
// POST /oauth/token (RFC 6749 §3.2, §5): parse -> authenticate the client -> pick the grant ->
// the grant validates and issues -> respond. Every response carries Cache-Control: no-store and
// Pragma: no-cache (RFC 6749 §5.1).

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "oauth/grants/grant.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

/// The path Auth0 serves the token endpoint on.
inline constexpr std::string_view kTokenPath = "/oauth/token";

/// The RFC 6749 §5.1 JSON body of a successful token response, written as text: byte for byte
/// what nlohmann::json would dump for it (members sorted by name), without building a value.
[[nodiscard]] std::string to_json_text(const TokenResponse& response);

/// The grant_type a token request names; "" when its body is not a form with one grant_type.
/// Meant for routing decisions: it parses the body, which the endpoint parses again.
[[nodiscard]] std::string requested_grant_type(const http::Request& request);

class TokenEndpoint {
 public:
  /// `grants` are keyed by their grant_type(); two grants with one type are a start-up bug and
  /// throw std::invalid_argument.
  TokenEndpoint(store::ClientStore& clients, const Clock& clock,
                std::vector<std::unique_ptr<Grant>> grants);

  /// Handles a POST. Fails with invalid_request (wrong content type, malformed form, a repeated
  /// parameter, no grant_type), invalid_client (401, with WWW-Authenticate),
  /// unsupported_grant_type, unauthorized_client (the client may not use that grant), or the
  /// grant's own error.
  [[nodiscard]] http::Response handle(const http::Request& request) const;

  /// A router handler bound to this endpoint, which must outlive it.
  [[nodiscard]] http::Handler handler() const;

 private:
  [[nodiscard]] Result<TokenResponse, OAuthError> process(const http::Request& request) const;

  store::ClientStore& clients_;
  const Clock& clock_;
  std::map<std::string, std::unique_ptr<Grant>, std::less<>> grants_;
};

}  // namespace latchkey::oauth
