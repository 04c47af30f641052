#include "verify/guard.hpp"

#include <utility>

namespace latchkey::verify {

http::Handler protect(const TokenVerifier& verifier, std::string required_scope,
                      ProtectedHandler handler, std::string realm) {
  return [&verifier, scope = std::move(required_scope), handler = std::move(handler),
          realm = std::move(realm)](const http::Request& request) {
    const auto token = bearer_token(request);
    if (!token) {
      if (token.error() == BearerError::missing) return missing_token_response(realm);
      return invalid_request_response("the Authorization header is malformed", realm);
    }
    const auto claims = verifier.verify(*token);
    if (!claims) return verify_error_response(claims.error(), realm);
    // RFC 6750 §3.1: a valid token without the scope the resource needs gets 403.
    if (!scope.empty() && !has_scope(*claims, scope)) {
      return insufficient_scope_response(scope, realm);
    }
    return handler(request, *claims);
  };
}

}  // namespace latchkey::verify
