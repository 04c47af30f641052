#pragma once
// Wraps a route handler so that it runs only for requests with a valid Bearer access token
// holding a required scope; everything else gets the RFC 6750 answer.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "http/router.hpp"
#include "verify/bearer.hpp"
#include "verify/token_verifier.hpp"

namespace latchkey::verify {

/// A handler that also receives the verified token's claims.
using ProtectedHandler =
    std::function<http::Response(const http::Request&, const nlohmann::json& claims)>;

/// An http::Handler that answers 401 (no token: no error code; a refused token: invalid_token),
/// 400 (a malformed Authorization header), 403 insufficient_scope (a valid token without
/// `required_scope`; empty requires no scope) or 503 (the issuer's keys are unavailable), and
/// otherwise calls `handler` with the claims. The verifier must outlive the returned handler.
[[nodiscard]] http::Handler protect(const TokenVerifier& verifier, std::string required_scope,
                                    ProtectedHandler handler,
                                    std::string realm = std::string(kDefaultRealm));

}  // namespace latchkey::verify
