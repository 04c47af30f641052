// latchkey rules create|list|get|update|delete|enable|disable|try and
// latchkey rules-configs set|unset|list (Auth0 Rules, issue 5)
#include <filesystem>
#include <fstream>
#include <iterator>

#include "app/key_setup.hpp"
#include "app/rule_configs.hpp"
#include "cli/script_commands.hpp"
#include "rules/auth0_objects.hpp"
#include "rules/pipeline.hpp"
#include "rules/report.hpp"

namespace latchkey::cli {
namespace {

struct RuleTraits {
  static constexpr const char* kNoun = "rule";
  static constexpr const char* kIdPrefix = "rul_";
  static constexpr const char* kSourceField = "script";
  static store::RuleStore& items(store::Store& store) { return store.rules(); }
  static std::string& source(model::Rule& rule) { return rule.script; }
  static const std::string& source(const model::Rule& rule) { return rule.script; }
  static Result<void, rules::ScriptFailure> check(rules::Engine& engine, const model::Rule& rule) {
    return rules::check_rule(engine, rules::Rule{rule.name, rule.script, true});
  }
};

int set_config(Context& context, Output& output, const std::string& key, const std::string& value) {
  if (key.empty() || key.size() > 255) return output.error("KEY must be 1 to 255 characters");
  return with_kek(context, output, [&](store::Store& store, const jose::KeyEncryptionKey& kek) {
    auto sealed = app::seal_rule_config(kek, key, value, context.clock.now(), context.random);
    if (!sealed) return output.error(sealed.error());
    if (auto r = store.rule_configs().set(*sealed); !r) {
      return store_error(output, r.error(), "rules-config " + key);
    }
    return output.result({{"key", key}}, [&](std::ostream& out) { out << "set " << key << '\n'; });
  });
}

int unset_config(Context& context, Output& output, const std::string& key) {
  return with_store(context, output, [&](store::Store& store) {
    if (auto r = store.rule_configs().remove(key); !r) {
      return store_error(output, r.error(), "rules-config " + key);
    }
    return output.result({{"deleted", key}},
                         [&](std::ostream& out) { out << "unset " << key << '\n'; });
  });
}

int list_configs(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto configs = store.rule_configs().list();
    if (!configs) return store_error(output, configs.error(), "rules-configs");
    nlohmann::json json = nlohmann::json::array();
    for (const auto& config : *configs) json.push_back({{"key", config.key}});
    return output.result(json, [&](std::ostream& out) {
      for (const auto& config : *configs) out << config.key << '\n';
    });
  });
}

}  // namespace

Result<std::string, std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("cannot read " + path);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return fail("cannot read " + path);
  return text;
}

void add_script_options(CLI::App& command, ScriptArgs& args, bool creating) {
  auto* name = command.add_option("--name", args.name, "Name (unique)");
  auto* file = command.add_option("--file", args.file, "JavaScript file");
  command.add_option("--order", args.order, "Run order (ascending; default: last)");
  if (creating) {
    name->required();
    file->required();
    command.add_flag("--disabled", args.disabled, "Create it disabled");
  }
}

namespace {

struct TryArgs {
  std::string file;
  std::string user;
  std::string context;
};

Result<nlohmann::json, std::string> read_json_object(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return fail(text.error());
  auto json = nlohmann::json::parse(*text, nullptr, false);
  if (!json.is_object()) return fail(path + " is not a JSON object");
  return json;
}

// The context a login of `user` to a sample application would give, with `overrides` merged
// over it (RFC 7396 merge patch).
nlohmann::json try_context(const nlohmann::json& user, const nlohmann::json& overrides) {
  model::Client client;
  client.client_id = "rules-try";
  client.name = "latchkey rules try";
  model::User profile;
  profile.user_id = user.value("user_id", std::string());
  profile.logins_count = user.value("logins_count", std::int64_t{1});
  rules::LoginFacts facts;
  facts.tenant = "latchkey";
  facts.scopes = {"openid", "profile", "email"};
  nlohmann::json context = rules::rule_context(client, profile, facts);
  context.merge_patch(overrides);
  return context;
}

int try_rule(Context& context, Output& output, const TryArgs& args) {
  auto script = read_text_file(args.file);
  if (!script) return output.error(script.error());
  auto user = read_json_object(args.user);
  if (!user) return output.error(user.error());
  nlohmann::json overrides = nlohmann::json::object();
  if (!args.context.empty()) {
    auto read = read_json_object(args.context);
    if (!read) return output.error(read.error());
    overrides = std::move(*read);
  }
  return with_kek(context, output, [&](store::Store& store, const jose::KeyEncryptionKey& kek) {
    auto configuration = app::open_rule_configs(store.rule_configs(), kek);
    if (!configuration) return output.error(configuration.error());
    const rules::Platform platform;
    rules::Engine engine(platform, rules::EngineOptions{});
    const rules::Rule rule{std::filesystem::path(args.file).stem().string(), *script, true};
    const rules::PipelineInput input{*user, try_context(*user, overrides), *configuration, {}};
    const auto result = rules::run_pipeline(engine, {rule}, {}, input);
    if (result.outcome == rules::Outcome::failed && result.failure) {
      return output.error("rule failed (" + std::string(rules::to_string(result.failure->kind)) +
                          "): " + result.failure->message);
    }
    const nlohmann::json json = rules::to_json(result);
    return output.result(json, [&](std::ostream& out) { out << json.dump(2) << '\n'; });
  });
}

void add_try_command(CLI::App& rules, Context& context) {
  auto args = std::make_shared<TryArgs>();
  auto* command = rules.add_subcommand("try", "Run a rule without a login and show its effect");
  command->add_option("--file", args->file, "The rule's JavaScript file")->required();
  command->add_option("--user", args->user, "user.json: the user profile the rule sees")
      ->required();
  command->add_option("--context", args->context, "ctx.json: fields merged over the context");
  command->callback([&context, args] {
    context.action = [&context, args](Output& o) { return try_rule(context, o, *args); };
  });
}

void add_config_commands(CLI::App& app, Context& context) {
  auto* configs = app.add_subcommand("rules-configs", "Values rules read as configuration.KEY");
  configs->require_subcommand(1);
  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  auto* set = configs->add_subcommand("set", "Set KEY to VALUE (stored encrypted)");
  set->add_option("key", *key, "KEY")->required();
  set->add_option("value", *value, "VALUE")->required();
  set->callback([&context, key, value] {
    context.action = [&context, key, value](Output& o) {
      return set_config(context, o, *key, *value);
    };
  });
  add_id_command(*configs, context, "unset", "Remove KEY", unset_config);
  configs->add_subcommand("list", "List the keys (never the values)")->callback([&context] {
    context.action = [&context](Output& o) { return list_configs(context, o); };
  });
}

}  // namespace

void add_rule_commands(CLI::App& app, Context& context) {
  auto* rules =
      app.add_subcommand("rules", "Manage Auth0 Rules (function (user, context, callback))");
  rules->require_subcommand(1);
  add_script_commands<model::Rule, RuleTraits>(*rules, context);
  add_try_command(*rules, context);
  add_config_commands(app, context);
}

}  // namespace latchkey::cli
