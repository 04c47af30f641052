#pragma once
// `latchkey rules …` and `latchkey actions …` share their shape: a named script with an order
// and an enabled flag. This header gives both their create|list|get|update|delete|enable|
// disable subcommands; the traits say what differs (names, the store, how to syntax-check).
// Internal to cli/.

#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "cli/command.hpp"
#include "rules/check.hpp"
#include "rules/engine.hpp"
#include "rules/platform.hpp"

namespace latchkey::cli {

/// What `create` and `update` were given.
struct ScriptArgs {
  std::string name;
  std::string file;
  std::optional<std::int64_t> order;
  bool disabled = false;
};

/// Reads a whole file; fails with a one-line message.
[[nodiscard]] Result<std::string, std::string> read_text_file(const std::string& path);

/// Compiles `check(engine)` in a throwaway engine; fails with "syntax error at NAME:LINE: …".
template <class Check>
[[nodiscard]] Result<void, std::string> syntax_check(Check check) {
  const rules::Platform platform;
  rules::Engine engine(platform, rules::EngineOptions{});
  auto checked = check(engine);
  if (checked) return {};
  return fail("syntax error at " + checked.error().message);
}

/// JSON for a rule or action; the source only when `with_source` (get, create, update).
template <class Item, class Traits>
nlohmann::json script_json(const Item& item, bool with_source) {
  nlohmann::json json = {{"id", item.id},
                         {"name", item.name},
                         {"order", item.order},
                         {"enabled", item.enabled},
                         {"created_at", to_iso8601(item.created_at)},
                         {"updated_at", to_iso8601(item.updated_at)}};
  if (with_source) json[Traits::kSourceField] = Traits::source(item);
  return json;
}

template <class Item, class Traits>
void print_script(std::ostream& out, const Item& item) {
  out << item.id << "  " << item.name << "  order " << item.order << "  "
      << (item.enabled ? "enabled" : "disabled") << '\n';
}

template <class Item, class Traits>
int show_script(Output& output, const Item& item) {
  return output.result(script_json<Item, Traits>(item, true),
                       [&](std::ostream& out) { print_script<Item, Traits>(out, item); });
}

/// Applies the file, name, order and flag given to `item`, syntax-checking the source.
template <class Item, class Traits>
Result<void, std::string> apply_args(Item& item, const ScriptArgs& args) {
  if (!args.name.empty()) item.name = args.name;
  if (args.order) item.order = *args.order;
  if (!args.file.empty()) {
    auto text = read_text_file(args.file);
    if (!text) return fail(text.error());
    Traits::source(item) = std::move(*text);
  }
  if (item.name.empty() || item.name.size() > 255) {
    return fail(std::string("--name must be 1 to 255 characters"));
  }
  return syntax_check([&](rules::Engine& engine) { return Traits::check(engine, item); });
}

template <class Item, class Traits>
int create_script(Context& context, Output& output, const ScriptArgs& args) {
  Item item;
  item.enabled = !args.disabled;
  if (auto applied = apply_args<Item, Traits>(item, args); !applied) {
    return output.error(applied.error());
  }
  return with_store(context, output, [&](store::Store& store) {
    item.id = std::string(Traits::kIdPrefix) + crypto::random_hex(context.random, 8);
    item.created_at = item.updated_at = context.clock.now();
    if (!args.order) {
      auto existing = Traits::items(store).list();
      if (!existing) return store_error(output, existing.error(), Traits::kNoun);
      item.order = existing->empty() ? 1 : existing->back().order + 1;
    }
    if (auto r = Traits::items(store).create(item); !r) {
      return store_error(output, r.error(), std::string(Traits::kNoun) + " " + item.name);
    }
    return show_script<Item, Traits>(output, item);
  });
}

template <class Item, class Traits>
int list_scripts(Context& context, Output& output) {
  return with_store(context, output, [&](store::Store& store) {
    auto items = Traits::items(store).list();
    if (!items) return store_error(output, items.error(), Traits::kNoun);
    nlohmann::json json = nlohmann::json::array();
    for (const auto& item : *items) json.push_back(script_json<Item, Traits>(item, false));
    return output.result(json, [&](std::ostream& out) {
      for (const auto& item : *items) print_script<Item, Traits>(out, item);
    });
  });
}

template <class Item, class Traits>
int get_script(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    auto item = Traits::items(store).find(id);
    if (!item) return store_error(output, item.error(), std::string(Traits::kNoun) + " " + id);
    return show_script<Item, Traits>(output, *item);
  });
}

template <class Item, class Traits>
int update_script(Context& context, Output& output, const std::string& id, const ScriptArgs& args,
                  std::optional<bool> enabled) {
  return with_store(context, output, [&](store::Store& store) {
    auto item = Traits::items(store).find(id);
    if (!item) return store_error(output, item.error(), std::string(Traits::kNoun) + " " + id);
    if (auto applied = apply_args<Item, Traits>(*item, args); !applied) {
      return output.error(applied.error());
    }
    if (enabled) item->enabled = *enabled;
    item->updated_at = context.clock.now();
    if (auto r = Traits::items(store).update(*item); !r) {
      return store_error(output, r.error(), std::string(Traits::kNoun) + " " + item->name);
    }
    return show_script<Item, Traits>(output, *item);
  });
}

template <class Item, class Traits>
int delete_script(Context& context, Output& output, const std::string& id) {
  return with_store(context, output, [&](store::Store& store) {
    if (auto r = Traits::items(store).remove(id); !r) {
      return store_error(output, r.error(), std::string(Traits::kNoun) + " " + id);
    }
    return output.result({{"deleted", id}}, [&](std::ostream& out) {
      out << "deleted " << Traits::kNoun << ' ' << id << '\n';
    });
  });
}

/// Adds `--name`, `--file`, `--order` (and `--disabled` on create) to a subcommand.
void add_script_options(CLI::App& command, ScriptArgs& args, bool creating);

/// Adds `parent create|list|get|update|delete|enable|disable` for the item type.
template <class Item, class Traits>
void add_script_commands(CLI::App& parent, Context& context) {
  auto create_args = std::make_shared<ScriptArgs>();
  auto* create = parent.add_subcommand("create", std::string("Create a ") + Traits::kNoun);
  add_script_options(*create, *create_args, true);
  create->callback([&context, create_args] {
    context.action = [&context, create_args](Output& o) {
      return create_script<Item, Traits>(context, o, *create_args);
    };
  });
  parent.add_subcommand("list", "List in run order")->callback([&context] {
    context.action = [&context](Output& o) { return list_scripts<Item, Traits>(context, o); };
  });
  add_id_command(parent, context, "get", "Show one (by id or name)", get_script<Item, Traits>);
  add_id_command(parent, context, "delete", "Delete one (by id or name)",
                 delete_script<Item, Traits>);

  auto update_args = std::make_shared<ScriptArgs>();
  auto update_id = std::make_shared<std::string>();
  auto* update = parent.add_subcommand("update", "Change name, script or order (by id or name)");
  update->add_option("id", *update_id, "Id or name")->required();
  add_script_options(*update, *update_args, false);
  update->callback([&context, update_args, update_id] {
    context.action = [&context, update_args, update_id](Output& o) {
      return update_script<Item, Traits>(context, o, *update_id, *update_args, std::nullopt);
    };
  });
  for (const bool enable : {true, false}) {
    auto id = std::make_shared<std::string>();
    auto* command = parent.add_subcommand(enable ? "enable" : "disable",
                                          enable ? "Run it on logins" : "Keep it but skip it");
    command->add_option("id", *id, "Id or name")->required();
    command->callback([&context, id, enable] {
      context.action = [&context, id, enable](Output& o) {
        return update_script<Item, Traits>(context, o, *id, ScriptArgs{}, enable);
      };
    });
  }
}

}  // namespace latchkey::cli
