#pragma once
// The interface every grant type implements (STYLE.md rule 1). The token endpoint keeps its
// grants in a map keyed by grant_type and hands each one an authenticated client.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/form.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth {

/// A token request after parsing and client authentication.
struct TokenRequest {
  http::Params form;     ///< every parameter of the body, as sent
  model::Client client;  ///< the authenticated client
  TimePoint now{};
  std::string ip;          ///< the caller's address (the rules' context.request.ip)
  std::string user_agent;  ///< its User-Agent header (context.request.userAgent)
};

/// The successful response (RFC 6749 §5.1). Holds bearer secrets: never log it.
struct TokenResponse {
  std::string access_token;
  std::string token_type = "Bearer";
  std::int64_t expires_in = 0;
  std::optional<std::string> id_token;
  std::optional<std::string> refresh_token;
  std::string scope;  ///< granted scopes, space-separated
};

class Grant {
 public:
  virtual ~Grant() = default;
  /// The grant_type value this grant answers, e.g. "authorization_code".
  [[nodiscard]] virtual std::string_view grant_type() const = 0;
  /// Validates the request and issues tokens; an OAuthError (RFC 6749 §5.2) otherwise.
  [[nodiscard]] virtual Result<TokenResponse, OAuthError> handle(const TokenRequest& request) = 0;
};

}  // namespace latchkey::oauth
