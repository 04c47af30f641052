#include "app/rules_login_pipeline.hpp"

#include <algorithm>
#include <utility>

#include "app/rule_configs.hpp"
#include "rules/auth0_objects.hpp"
#include "rules/pipeline.hpp"
#include "rules/report.hpp"

namespace latchkey::app {
namespace {

using Outcome = oauth::LoginPipelineOutcome;

struct Scripts {
  std::vector<rules::Rule> rules;
  std::vector<rules::Action> actions;
  std::vector<std::string> action_ids;  // parallel to `actions`, for their secrets
};

// The enabled rules and actions in run order; nullopt when the store cannot be read.
std::optional<Scripts> load_scripts(store::Store& store) {
  auto stored_rules = store.rules().list();
  auto stored_actions = store.actions().list();
  if (!stored_rules || !stored_actions) return std::nullopt;
  Scripts scripts;
  for (const auto& rule : *stored_rules) {
    if (rule.enabled) scripts.rules.push_back({rule.name, rule.script, true});
  }
  for (const auto& action : *stored_actions) {
    if (!action.enabled) continue;
    scripts.actions.push_back({action.name, action.code, nlohmann::json::object()});
    scripts.action_ids.push_back(action.id);
  }
  return scripts;
}

// Opens each action's secrets into its event.secrets; false when one cannot be read or opened.
bool open_secrets(store::ActionSecretStore& store, const jose::KeyEncryptionKey& kek,
                  Scripts& scripts) {
  for (std::size_t i = 0; i < scripts.actions.size(); ++i) {
    auto secrets = open_action_secrets(store, kek, scripts.action_ids[i]);
    if (!secrets) return false;
    scripts.actions[i].secrets = std::move(*secrets);
  }
  return true;
}

// Auth0 merges the top-level properties of an update into the stored metadata; null deletes.
void merge_top_level(nlohmann::json& target, const nlohmann::json& update) {
  if (!target.is_object()) target = nlohmann::json::object();
  if (!update.is_object()) return;
  for (const auto& [name, value] : update.items()) {
    if (value.is_null()) {
      target.erase(name);
    } else {
      target[name] = value;
    }
  }
}

Outcome failed() {
  return Outcome{Outcome::Kind::failed, {}, std::string(rules::kFailedDescription), {}, {}};
}

rules::LoginFacts login_facts(const std::string& tenant, const oauth::LoginPipelineFacts& facts) {
  rules::LoginFacts login;
  login.tenant = tenant;
  login.hostname = tenant;
  login.protocol = facts.protocol;
  login.ip = facts.ip;
  login.user_agent = facts.user_agent;
  login.query = facts.query;
  login.scopes = facts.scopes;
  login.session_id = facts.session_id;
  return login;
}

}  // namespace

RulesLoginPipeline::RulesLoginPipeline(store::Store& store, rules::EngineSet& engines,
                                       jose::KeyEncryptionKey kek, std::string tenant, Logger& log,
                                       const Clock& clock)
    : store_(store),
      engines_(engines),
      kek_(kek),
      tenant_(std::move(tenant)),
      log_(log),
      clock_(clock) {}

// Asked on every /authorize and token request: it reads the cached lists and builds nothing.
bool RulesLoginPipeline::empty() {
  const auto enabled = [](const auto& script) { return script.enabled; };
  auto rules = store_.rules().list();
  if (!rules || std::any_of(rules->begin(), rules->end(), enabled)) return false;
  auto actions = store_.actions().list();
  return actions && std::none_of(actions->begin(), actions->end(), enabled);
}

Outcome RulesLoginPipeline::run(const model::User& user, const model::Client& client,
                                const oauth::LoginPipelineFacts& facts) {
  auto scripts = load_scripts(store_);
  // Nothing enabled: no configuration or secrets to open, nothing to run.
  if (scripts && scripts->rules.empty() && scripts->actions.empty()) return Outcome{};
  auto configuration = open_rule_configs(store_.rule_configs(), kek_);
  if (!scripts || !configuration || !open_secrets(store_.action_secrets(), kek_, *scripts)) {
    log_event(log_, LogLevel::err, "rules.unavailable", {{"user_id", user.user_id}});
    return failed();
  }
  const rules::PipelineInput input{rules::rule_user(user),
                                   rules::rule_context(client, user, login_facts(tenant_, facts)),
                                   std::move(*configuration), facts.resumed_action};
  const auto result =
      rules::run_pipeline(engines_.for_this_thread(), scripts->rules, scripts->actions, input);
  rules::log_pipeline(log_, result, user.user_id);
  if (!result.metadata_updates.empty()) persist_metadata(user, result);
  switch (result.outcome) {
    case rules::Outcome::ok:
      return Outcome{
          Outcome::Kind::ok,
          {{"id_token", result.id_token_claims}, {"access_token", result.access_token_claims}},
          {},
          {},
          {}};
    case rules::Outcome::denied:
      return Outcome{Outcome::Kind::denied, {}, result.description, {}, {}};
    case rules::Outcome::redirect:
      return Outcome{Outcome::Kind::redirect, {}, {}, result.redirect_url, result.redirect_action};
    case rules::Outcome::failed:
      break;
  }
  return failed();
}

void RulesLoginPipeline::persist_metadata(const model::User& user,
                                          const rules::PipelineResult& result) {
  nlohmann::json app_metadata = user.app_metadata;
  nlohmann::json user_metadata = user.user_metadata;
  for (const auto& update : result.metadata_updates) {
    if (update.user_id != user.user_id) continue;  // rules may only change the user logging in
    merge_top_level(
        update.kind == rules::MetadataUpdate::Kind::app_metadata ? app_metadata : user_metadata,
        update.metadata);
  }
  if (!store_.users().set_metadata(user.user_id, app_metadata, user_metadata, clock_.now())) {
    log_event(log_, LogLevel::err, "rules.metadata_not_saved", {{"user_id", user.user_id}});
  }
}

}  // namespace latchkey::app
