#pragma once
// Turning a PipelineResult into log events and into JSON for `latchkey rules try`.

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/log.hpp"
#include "rules/pipeline.hpp"

namespace latchkey::rules {

/// The wire name of an Outcome: "ok", "denied", "redirect", "failed".
[[nodiscard]] std::string_view to_string(Outcome outcome);

/// The error_description an app sees when the pipeline fails: generic on purpose, so that no
/// script text, stack or limit detail leaks (the log has those).
inline constexpr std::string_view kFailedDescription = "Login was stopped by a rule";

/// Writes the pipeline's log events: one info "rules.console" line per console.log (fields
/// script, text), then "rules.denied" (info), "rules.redirect" (info, url without its query) or
/// "rules.failed" (warn: kind, script, message). `user_id` tags every event. Rule authors
/// decide what console.log prints; nothing else from the run is logged.
void log_pipeline(Logger& logger, const PipelineResult& result, std::string_view user_id);

/// {outcome, description?, redirect_url?, failure? {kind, script, message}, user, context,
///  id_token_claims, access_token_claims, metadata_updates: [{kind, user_id, metadata}],
///  log: [{script, text}]}: what `rules try` prints.
[[nodiscard]] nlohmann::json to_json(const PipelineResult& result);

}  // namespace latchkey::rules
