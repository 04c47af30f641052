#include "rules/report.hpp"

#include <string>

namespace latchkey::rules {
namespace {

using nlohmann::json;

std::string_view to_string(MetadataUpdate::Kind kind) {
  return kind == MetadataUpdate::Kind::app_metadata ? "app_metadata" : "user_metadata";
}

// A redirect URL's query may carry tokens a rule added; log only where it goes.
std::string without_query(const std::string& url) { return url.substr(0, url.find_first_of("?#")); }

}  // namespace

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok:
      return "ok";
    case Outcome::denied:
      return "denied";
    case Outcome::redirect:
      return "redirect";
    case Outcome::failed:
      return "failed";
  }
  return "failed";
}

void log_pipeline(Logger& logger, const PipelineResult& result, std::string_view user_id) {
  for (const LogLine& line : result.log) {
    log_event(logger, LogLevel::info, "rules.console",
              {{"user_id", user_id}, {"script", line.script}, {"text", line.text}});
  }
  switch (result.outcome) {
    case Outcome::ok:
      return;
    case Outcome::denied:
      log_event(logger, LogLevel::info, "rules.denied",
                {{"user_id", user_id}, {"description", result.description}});
      return;
    case Outcome::redirect:
      log_event(logger, LogLevel::info, "rules.redirect",
                {{"user_id", user_id}, {"url", without_query(result.redirect_url)}});
      return;
    case Outcome::failed:
      break;
  }
  const ScriptFailure failure =
      result.failure.value_or(ScriptFailure{FailureKind::exception, "", "unknown failure"});
  log_event(logger, LogLevel::warn, "rules.failed",
            {{"user_id", user_id},
             {"kind", to_string(failure.kind)},
             {"script", failure.script},
             {"message", failure.message}});
}

json to_json(const PipelineResult& result) {
  json out = {{"outcome", to_string(result.outcome)},
              {"user", result.user},
              {"context", result.context},
              {"id_token_claims", result.id_token_claims},
              {"access_token_claims", result.access_token_claims},
              {"metadata_updates", json::array()},
              {"log", json::array()}};
  if (result.outcome == Outcome::denied) {
    out["description"] = result.description;
  }
  if (result.outcome == Outcome::redirect) {
    out["redirect_url"] = result.redirect_url;
  }
  if (result.failure) {
    out["failure"] = {{"kind", to_string(result.failure->kind)},
                      {"script", result.failure->script},
                      {"message", result.failure->message}};
  }
  for (const MetadataUpdate& update : result.metadata_updates) {
    out["metadata_updates"].push_back({{"kind", to_string(update.kind)},
                                       {"user_id", update.user_id},
                                       {"metadata", update.metadata}});
  }
  for (const LogLine& line : result.log) {
    out["log"].push_back({{"script", line.script}, {"text", line.text}});
  }
  return out;
}

}  // namespace latchkey::rules
