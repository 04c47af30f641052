#include "rules/pipeline.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "rules/detail/prelude.hpp"

namespace latchkey::rules {
namespace {

using nlohmann::json;

// Registered claims a rule can't overwrite (issue 5; Auth0 drops them the same way).
constexpr std::array<std::string_view, 10> kReservedClaims = {
    "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "azp", "auth_time", "nonce"};

Program make_program(const std::vector<Rule>& rules, const std::vector<Action>& actions,
                     const PipelineInput& input) {
  Program program{detail::kPreludeName, detail::prelude_source(), detail::kPreludeEntry, {}, {}};
  json payload = {{"user", input.user},
                  {"context", input.context},
                  {"configuration", input.configuration},
                  {"rules", json::array()},
                  {"actions", json::array()}};
  if (input.resumed_action) {
    payload["resumed_action"] = *input.resumed_action;
  }
  for (const Rule& rule : rules) {
    if (rule.enabled) {
      payload["rules"].push_back(rule.name);
      program.scripts.push_back(Script{rule.name, rule.script, ScriptForm::function_expression});
    }
  }
  for (const Action& action : actions) {
    payload["actions"].push_back({{"name", action.name}, {"secrets", action.secrets}});
    program.scripts.push_back(Script{action.name, action.code, ScriptForm::commonjs_module});
  }
  program.input_json = payload.dump(-1, ' ', false, json::error_handler_t::replace);
  return program;
}

json allowed_claims(const json& claims, bool access_token) {
  json out = json::object();
  if (!claims.is_object()) {
    return out;
  }
  for (const auto& [name, value] : claims.items()) {
    if (is_reserved_claim(name)) {
      continue;
    }
    if (name == "scope" && access_token) {
      const bool strings =
          value.is_array() &&
          std::all_of(value.begin(), value.end(), [](const json& s) { return s.is_string(); });
      if (!strings) {
        continue;
      }
    }
    out[name] = value;
  }
  return out;
}

std::vector<MetadataUpdate> metadata_updates(const json& updates) {
  std::vector<MetadataUpdate> out;
  for (const json& update : updates) {
    const bool app = update.value("kind", "") == "app_metadata";
    out.push_back(MetadataUpdate{
        app ? MetadataUpdate::Kind::app_metadata : MetadataUpdate::Kind::user_metadata,
        update.value("user_id", ""), update.value("metadata", json::object())});
  }
  return out;
}

Outcome outcome_of(const std::string& name) {
  if (name == "ok") {
    return Outcome::ok;
  }
  if (name == "denied") {
    return Outcome::denied;
  }
  return name == "redirect" ? Outcome::redirect : Outcome::failed;
}

PipelineResult read_result(const std::string& text, const PipelineInput& input) {
  PipelineResult result;
  const json out = json::parse(text, nullptr, false);
  if (!out.is_object()) {
    result.outcome = Outcome::failed;
    result.failure = ScriptFailure{FailureKind::exception, "", "the pipeline result is not JSON"};
    return result;
  }
  result.outcome = outcome_of(out.value("outcome", ""));
  result.description = out.value("description", "");
  result.redirect_url = out.value("url", "");
  result.redirect_action = out.value("action", "");
  if (result.outcome == Outcome::failed) {
    result.failure =
        ScriptFailure{FailureKind::exception, out.value("script", ""), out.value("message", "")};
  }
  result.user = out.contains("user") ? out["user"] : input.user;
  result.context = out.contains("context") ? out["context"] : input.context;
  if (result.context.is_object()) {
    result.id_token_claims = allowed_claims(result.context.value("idToken", json()), false);
    result.access_token_claims = allowed_claims(result.context.value("accessToken", json()), true);
  }
  result.metadata_updates = metadata_updates(out.value("updates", json::array()));
  for (const json& line : out.value("logs", json::array())) {
    if (line.is_array() && line.size() == 2 && line[0].is_string() && line[1].is_string()) {
      result.log.push_back(LogLine{line[0].get<std::string>(), line[1].get<std::string>()});
    }
  }
  return result;
}

}  // namespace

bool is_reserved_claim(std::string_view name) {
  return std::find(kReservedClaims.begin(), kReservedClaims.end(), name) != kReservedClaims.end();
}

PipelineResult run_pipeline(Engine& engine, const std::vector<Rule>& rules,
                            const std::vector<Action>& actions, const PipelineInput& input) {
  auto ran = engine.run(make_program(rules, actions, input));
  if (!ran) {
    PipelineResult result;
    result.outcome = Outcome::failed;
    result.failure = ran.error();
    result.user = input.user;
    result.context = input.context;
    return result;
  }
  return read_result(*ran, input);
}

}  // namespace latchkey::rules
