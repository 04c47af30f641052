#pragma once
// Auth0 Rules and post-login Actions run in the engine: the rules in order, chained through
// callback(err, user, context), then the actions. See docs in issue 5 and Auth0's Rules API.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "rules/engine.hpp"

namespace latchkey::rules {

/// A rule: `function (user, context, callback) {…}`. Disabled rules are skipped.
struct Rule {
  std::string name;
  std::string script;
  bool enabled = true;
};

/// A post-login Action: a module that sets `exports.onExecutePostLogin = async (event, api) => …`
/// and optionally `exports.onContinuePostLogin`.
struct Action {
  std::string name;
  std::string code;
  nlohmann::json secrets = nlohmann::json::object();  ///< event.secrets
};

/// What the pipeline starts from.
struct PipelineInput {
  nlohmann::json user = nlohmann::json::object();           ///< Auth0's normalized profile
  nlohmann::json context = nlohmann::json::object();        ///< Auth0's rule context
  nlohmann::json configuration = nlohmann::json::object();  ///< rules-configs, decrypted
  /// After a redirect, the action that sent the user away: actions before it are skipped and
  /// its onContinuePostLogin runs. Empty for a fresh login.
  std::optional<std::string> resumed_action;
};

enum class Outcome { ok, denied, redirect, failed };

/// A metadata change a script asked for, to be persisted by the caller. Auth0 merges the
/// top-level properties of `metadata` into the user's existing metadata (null deletes).
struct MetadataUpdate {
  enum class Kind { app_metadata, user_metadata };
  Kind kind;
  std::string user_id;
  nlohmann::json metadata;
};

/// One console.log line, tagged with the rule or action that wrote it.
struct LogLine {
  std::string script;
  std::string text;
};

/// What the pipeline decided.
struct PipelineResult {
  Outcome outcome = Outcome::ok;
  /// denied: the UnauthorizedError message or api.access.deny reason, shown to the app as
  /// error_description (Auth0 does the same).
  std::string description;
  std::string redirect_url;              ///< redirect: where to send the browser (add `state`)
  std::string redirect_action;           ///< redirect by an action: its name, for resumed_action
  std::optional<ScriptFailure> failure;  ///< failed: why, for the log only
  nlohmann::json user;                   ///< the final user (input user when failed)
  nlohmann::json context;                ///< the final context (input context when failed)
  nlohmann::json id_token_claims = nlohmann::json::object();      ///< reserved claims removed
  nlohmann::json access_token_claims = nlohmann::json::object();  ///< reserved claims removed
  /// In call order. Like Auth0's Management API calls, they stand even if a later script denies
  /// or throws; they are lost only when the engine itself fails (timeout, heap, syntax).
  std::vector<MetadataUpdate> metadata_updates;
  std::vector<LogLine> log;
};

/// Claims a script may not set (Auth0's list); `scope` in the access token is kept only as an
/// array of strings.
[[nodiscard]] bool is_reserved_claim(std::string_view name);

/// Runs the enabled rules in order, then the actions, in one fresh realm of `engine` under its
/// limits. Never throws for anything a script does: failures come back as Outcome::failed.
[[nodiscard]] PipelineResult run_pipeline(Engine& engine, const std::vector<Rule>& rules,
                                          const std::vector<Action>& actions,
                                          const PipelineInput& input);

}  // namespace latchkey::rules
