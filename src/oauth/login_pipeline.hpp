#pragma once
// The hook the code issuance calls after login and consent, just before a code is issued: Auth0
// Rules and post-login Actions (issue 5). oauth/ only knows this interface; app/ implements it
// with rules:: (the JavaScript engine never enters oauth/, scripts/banned-patterns).

#include <nlohmann/json.hpp>
#include <optional>
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
  /// After /continue: the action whose api.redirect sent the browser away (its
  /// onContinuePostLogin runs; actions before it are skipped). nullopt otherwise.
  std::optional<std::string> resumed_action;
};

/// What the pipeline decided.
struct LoginPipelineOutcome {
  enum class Kind { ok, denied, redirect, failed };
  Kind kind = Kind::ok;
  /// ok: {"id_token": {...}, "access_token": {...}}, reserved claims already removed; becomes
  /// AuthorizationCode::extra_claims.
  nlohmann::json extra_claims = nlohmann::json::object();
  /// denied: the script's message; failed: a generic text that reveals nothing of the scripts.
  /// Sent as error_description with error=access_denied.
  std::string description;
  /// redirect: where to send the browser; the caller appends `state` and resumes at /continue.
  std::string redirect_url;
  /// redirect: the action that asked for it ("" for a rule), for resumed_action at /continue.
  std::string redirect_action;
};

/// Runs the enabled rules, then the enabled actions, for one login. Implementations persist
/// metadata updates and log console lines and failures themselves; the description of `failed`
/// is generic, so a browser learns nothing of the scripts. May block for up to the configured
/// wall time: call it on the offload pool.
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
