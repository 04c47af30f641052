#pragma once
// An authorization request (RFC 6749 §4.1.1, OIDC Core §3.1.2.1) once every check has passed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "http/form.hpp"
#include "model/model.hpp"
#include "oauth/checks/pkce.hpp"
#include "oauth/checks/prompt.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth {

struct AuthorizeRequest {
  http::Params params;    ///< the parameters as sent; what a transaction stores
  model::Client client;   ///< the registered client named by client_id
  RedirectTarget target;  ///< the verified redirect_uri, state, issuer and response mode
  std::string audience;   ///< the API identifier; "" for none (token good only at /userinfo)
  std::optional<model::ResourceServer> api;  ///< the API named by audience
  std::vector<std::string> scopes;  ///< requested scopes that can be granted, in request order
  checks::PkceChallenge pkce;
  checks::Prompt prompt;
  std::optional<std::int64_t> max_age;  ///< seconds; OIDC Core §3.1.2.1
  std::string nonce;                    ///< copied into the code, then the ID token
};

}  // namespace latchkey::oauth
