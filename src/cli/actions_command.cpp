// latchkey actions create|list|get|update|delete|enable|disable (Auth0 post-login Actions) and
// latchkey actions secrets set|unset|list ACTION (their event.secrets)
#include <iterator>

#include "app/rule_configs.hpp"
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

struct SecretArgs {
  std::string action;
  std::string key;
  std::string value;
  CLI::Option* value_option = nullptr;  // counted: an empty VALUE differs from none
};

// The action named by id or name, then `fn(store, action)`.
template <class F>
int with_action(Context& context, Output& output, const std::string& action, F&& fn) {
  return with_store(context, output, [&](store::Store& store) {
    auto found = store.actions().find(action);
    if (!found) return store_error(output, found.error(), "action " + action);
    return fn(store, *found);
  });
}

int set_secret(Context& context, Output& output, const SecretArgs& args) {
  if (args.key.empty() || args.key.size() > 255) {
    return output.error("KEY must be 1 to 255 characters");
  }
  // Without VALUE the value is read from stdin, so it stays out of the process list and history;
  // the newline `echo` adds is not part of it.
  std::string value = args.value;
  if (args.value_option->count() == 0) {
    value.assign(std::istreambuf_iterator<char>(output.in()), std::istreambuf_iterator<char>());
    if (value.ends_with('\n')) value.pop_back();
    if (value.ends_with('\r')) value.pop_back();
  }
  return with_kek(context, output, [&](store::Store& store, const jose::KeyEncryptionKey& kek) {
    auto action = store.actions().find(args.action);
    if (!action) return store_error(output, action.error(), "action " + args.action);
    auto sealed = app::seal_action_secret(kek, action->id, args.key, value, context.clock.now(),
                                          context.random);
    if (!sealed) return output.error(sealed.error());
    if (auto r = store.action_secrets().set(*sealed); !r) {
      return store_error(output, r.error(), "action " + args.action);
    }
    return output.result({{"action", action->name}, {"key", args.key}}, [&](std::ostream& out) {
      out << "set " << args.key << " on " << action->name << '\n';
    });
  });
}

int unset_secret(Context& context, Output& output, const SecretArgs& args) {
  return with_action(
      context, output, args.action, [&](store::Store& store, const model::Action& action) {
        if (auto r = store.action_secrets().remove(action.id, args.key); !r) {
          return store_error(output, r.error(), "secret " + args.key + " of " + action.name);
        }
        return output.result({{"action", action.name}, {"deleted", args.key}},
                             [&](std::ostream& out) {
                               out << "unset " << args.key << " on " << action.name << '\n';
                             });
      });
}

int list_secrets(Context& context, Output& output, const SecretArgs& args) {
  return with_action(context, output, args.action,
                     [&](store::Store& store, const model::Action& action) {
                       auto secrets = store.action_secrets().list(action.id);
                       if (!secrets)
                         return store_error(output, secrets.error(), "secrets of " + action.name);
                       nlohmann::json json = nlohmann::json::array();
                       for (const auto& secret : *secrets) json.push_back({{"key", secret.key}});
                       return output.result(json, [&](std::ostream& out) {
                         for (const auto& secret : *secrets) out << secret.key << '\n';
                       });
                     });
}

void add_secret_commands(CLI::App& actions, Context& context) {
  auto* secrets = actions.add_subcommand("secrets", "Values an action reads as event.secrets.KEY");
  secrets->require_subcommand(1);
  auto args = std::make_shared<SecretArgs>();
  auto* set = secrets->add_subcommand(
      "set", "Set the action's KEY to VALUE, or to stdin without VALUE (stored encrypted)");
  set->add_option("action", args->action, "ACTION (id or name)")->required();
  set->add_option("key", args->key, "KEY")->required();
  args->value_option = set->add_option("value", args->value, "VALUE (default: read from stdin)");
  auto* unset = secrets->add_subcommand("unset", "Remove the action's KEY");
  unset->add_option("action", args->action, "ACTION (id or name)")->required();
  unset->add_option("key", args->key, "KEY")->required();
  auto* list = secrets->add_subcommand("list", "List the action's keys (never the values)");
  list->add_option("action", args->action, "ACTION (id or name)")->required();
  const auto bind = [&context, args](CLI::App* command,
                                     int (*run)(Context&, Output&, const SecretArgs&)) {
    command->callback([&context, args, run] {
      context.action = [&context, args, run](Output& o) { return run(context, o, *args); };
    });
  };
  bind(set, set_secret);
  bind(unset, unset_secret);
  bind(list, list_secrets);
}

}  // namespace

void add_action_commands(CLI::App& app, Context& context) {
  auto* actions =
      app.add_subcommand("actions", "Manage post-login Actions (exports.onExecutePostLogin)");
  actions->require_subcommand(1);
  add_script_commands<model::Action, ActionTraits>(*actions, context);
  add_secret_commands(*actions, context);
}

}  // namespace latchkey::cli
