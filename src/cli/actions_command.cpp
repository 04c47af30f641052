// latchkey actions create|list|get|update|delete|enable|disable (Auth0 post-login Actions)
#include "cli/script_commands.hpp"

namespace latchkey::cli {
namespace {

struct ActionTraits {
  static constexpr const char* kNoun = "action";
  static constexpr const char* kIdPrefix = "act_";
  static constexpr const char* kSourceField = "code";
  static store::ActionStore& items(store::Store& store) { return store.actions(); }
  static std::string& source(model::Action& action) { return action.code; }
  static const std::string& source(const model::Action& action) { return action.code; }
  static Result<void, rules::ScriptFailure> check(rules::Engine& engine,
                                                  const model::Action& action) {
    return rules::check_action(engine, rules::Action{action.name, action.code, {}});
  }
};

}  // namespace

void add_action_commands(CLI::App& app, Context& context) {
  auto* actions =
      app.add_subcommand("actions", "Manage post-login Actions (exports.onExecutePostLogin)");
  actions->require_subcommand(1);
  add_script_commands<model::Action, ActionTraits>(*actions, context);
}

}  // namespace latchkey::cli
