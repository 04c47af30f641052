#pragma once
// The hook the code issuance calls after login and consent, just before a code is issued: Auth0
// Rules and post-login Actions (issue 5). oauth/ only knows this interface; app/ implements it
// with rules:: (the JavaScript engine never enters oauth/, scripts/banned-patterns). Not yet
// called: wiring it into the authorize flow is the next step of issue 5.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace latchkey::oauth {

/// What the transaction knows when the pipeline runs (becomes the rule context's request,
/// protocol and accessToken.scope).
struct LoginPipelineFacts {
  std::string protocol = "oidc-basic-profile";  ///< "redirect-callback" after /continue
  std::string ip;
  std::string user_agent;
  nlohmann::json query = nlohmann::json::object();  ///< the /authorize parameters
  std::vector<std::string> scopes;                  ///< granted scopes
  std::string audience;
  std::string session_id;
};

/// What the pipeline decided.
struct LoginPipelineOutcome {
  enum class Kind { ok, denied, redirect, failed };
  Kind kind = Kind::ok;
  /// ok: {"id_token": {...}, "access_token": {...}}, reserved claims already removed; becomes
  /// AuthorizationCode::extra_claims.
  nlohmann::json extra_claims = nlohmann::json::object();
  /// denied: the script's message, sent as error_description with error=access_denied.
  std::string description;
  /// redirect: where to send the browser; the caller appends `state` and resumes at /continue.
  std::string redirect_url;
};

/// Runs the enabled rules, then the enabled actions, for one login. Implementations persist
/// metadata updates and log console lines and failures themselves; `failed` carries nothing a
/// browser may see (the caller answers with a generic access_denied description). May block for
/// up to the configured wall time: call it on the offload pool.
class LoginPipeline {
 public:
  virtual ~LoginPipeline() = default;
  /// True when no rule or action is enabled, so callers may skip the offload.
  [[nodiscard]] virtual bool empty() = 0;
  [[nodiscard]] virtual LoginPipelineOutcome run(const model::User& user,
                                                 const model::Client& client,
                                                 const LoginPipelineFacts& facts) = 0;
};

}  // namespace latchkey::oauth
