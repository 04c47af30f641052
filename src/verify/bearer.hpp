#pragma once
// Bearer tokens on the resource server's side (RFC 6750): reading the token from a request,
// checking scopes, and the 400/401/403 answers with their WWW-Authenticate challenges (§3).

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "verify/token_verifier.hpp"

namespace latchkey::verify {

/// The realm named in challenges unless a caller picks another.
inline constexpr std::string_view kDefaultRealm = "api";

enum class BearerError {
  missing,    ///< no Authorization header, or another scheme (e.g. Basic): no error code is sent
  malformed,  ///< "Bearer" with no token, a token that is not token68, or several headers
};

/// The token of `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive,
/// RFC 9110 §11.1). The view points into the request's header.
[[nodiscard]] Result<std::string_view, BearerError> bearer_token(const http::Request& request);

/// True when the space-separated "scope" claim (RFC 9068 §2.2.3) contains `scope` exactly.
[[nodiscard]] bool has_scope(const nlohmann::json& claims, std::string_view scope);

/// 401 with `WWW-Authenticate: Bearer realm="<realm>"` and no error code: the request carried no
/// token at all (RFC 6750 §3.1).
[[nodiscard]] http::Response missing_token_response(std::string_view realm = kDefaultRealm);

/// 400 invalid_request: the Authorization header is malformed (RFC 6750 §3.1).
[[nodiscard]] http::Response invalid_request_response(std::string_view description,
                                                      std::string_view realm = kDefaultRealm);

/// 401 invalid_token: `Bearer realm="api", error="invalid_token", error_description="..."`.
[[nodiscard]] http::Response invalid_token_response(std::string_view description,
                                                    std::string_view realm = kDefaultRealm);

/// 403 insufficient_scope: `Bearer realm="api", error="insufficient_scope", scope="<scope>"`.
[[nodiscard]] http::Response insufficient_scope_response(std::string_view scope,
                                                         std::string_view realm = kDefaultRealm);

/// The answer to a refused token: 401 invalid_token, or 503 temporarily_unavailable when the
/// issuer's keys could not be fetched (the token may well be fine).
[[nodiscard]] http::Response verify_error_response(const VerifyError& error,
                                                   std::string_view realm = kDefaultRealm);

}  // namespace latchkey::verify
