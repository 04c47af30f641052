#include "cli/command.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "app/store_factory.hpp"

namespace latchkey::cli {

int Output::result(const nlohmann::json& value, const std::function<void(std::ostream&)>& text) {
  if (json_) {
    io_.out << value.dump(2) << '\n';
  } else {
    text(io_.out);
  }
  return 0;
}

int Output::error(const std::string& message) {
  if (json_) {
    io_.err << nlohmann::json{{"error", message}}.dump() << '\n';
  } else {
    io_.err << "error: " << message << '\n';
  }
  return 1;
}

Result<config::Config, std::string> load_config(const Context& context) {
  config::Sources sources;
  if (!context.global.config_file.empty()) {
    if (!std::filesystem::is_regular_file(context.global.config_file)) {
      return fail("config file not found: " + context.global.config_file);
    }
    sources.file = context.global.config_file;
  } else if (std::filesystem::is_regular_file("latchkey.toml")) {
    sources.file = "latchkey.toml";
  }
  sources.environment = config::latchkey_environment();
  sources.flags = context.flags;
  if (!context.global.data_dir.empty()) sources.flags["data_dir"] = context.global.data_dir;
  return config::load(sources);
}

Result<std::unique_ptr<store::Store>, std::string> open_store(const Context& context) {
  auto config = load_config(context);
  if (!config) return fail(config.error());
  return app::open_store(*config);
}

int store_error(Output& output, store::StoreError error, const std::string& what) {
  switch (error) {
    case store::StoreError::not_found:
      return output.error(what + " not found");
    case store::StoreError::conflict:
      return output.error(what + " already exists");
    case store::StoreError::unavailable:
      break;
  }
  return output.error("the store is unavailable (" + what + ")");
}

void add_id_command(CLI::App& parent, Context& context, const std::string& name,
                    const std::string& help, IdCommand fn) {
  auto id = std::make_shared<std::string>();
  auto* command = parent.add_subcommand(name, help);
  command->add_option("id", *id, "Identifier")->required();
  command->callback([&context, id, fn] {
    context.action = [&context, id, fn](Output& output) { return fn(context, output, *id); };
  });
}

namespace {

/// True for a word CLI11 would take for a short option ("-x..."), but not for "-h" (help).
bool looks_like_short_option(std::string_view word) {
  return word.size() > 2 && word[0] == '-' && word[1] != '-';
}

const CLI::App* subcommand(const CLI::App& parent, const std::string& name) {
  const auto found = parent.get_subcommands(
      [&name](const CLI::App* command) { return command->check_name(name); });
  return found.empty() ? nullptr : found.front();
}

/// An id command (add_id_command): a leaf whose one argument is the positional "id".
bool is_id_command(const CLI::App* command) {
  return command != nullptr &&
         command->get_subcommands(std::function<bool(const CLI::App*)>{}).empty() &&
         command->get_option_no_throw("id") != nullptr;
}

}  // namespace

std::vector<std::string> arguments_for_parse(const CLI::App& app, int argc,
                                             const char* const* argv) {
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  for (std::size_t i = 0; i + 2 < args.size(); ++i) {
    const CLI::App* group = subcommand(app, args[i]);
    if (group == nullptr || !is_id_command(subcommand(*group, args[i + 1]))) continue;
    if (!looks_like_short_option(args[i + 2])) break;
    // A key id is a base64url thumbprint (as client ids and user ids may be), so one in 64
    // starts with '-', which CLI11 reads as an option. An id command takes no option of its own,
    // so the id moves behind "--", where it can only be the positional; the global options
    // after it (--json) still parse.
    std::string id = std::move(args[i + 2]);
    args.erase(args.begin() + static_cast<std::ptrdiff_t>(i + 2));
    if (std::find(args.begin(), args.end(), "--") == args.end()) args.emplace_back("--");
    args.push_back(std::move(id));
    break;
  }
  return args;
}

int run(int argc, const char* const* argv, Io io) {
  crypto::OsRandom random;
  SystemClock clock;
  Context context{{}, {}, {}, random, clock};

  CLI::App app{"latchkey: a self-hostable OAuth 2.0 / OpenID Connect authorization server"};
  app.name("latchkey");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--config", context.global.config_file, "Configuration file (latchkey.toml)");
  app.add_option("--data-dir", context.global.data_dir, "Data directory (default ./data)");
  app.add_flag("--json", context.global.json, "Print JSON");

  add_server_commands(app, context);
  add_client_commands(app, context);
  add_api_commands(app, context);
  add_user_commands(app, context);
  add_key_commands(app, context);
  add_rule_commands(app, context);
  add_action_commands(app, context);
  add_client_grant_commands(app, context);

  try {
    auto args = arguments_for_parse(app, argc, argv);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, io.out, io.err);
  } catch (const CLI::ParseError& e) {
    Output output(io, context.global.json);
    return output.error(e.what()) == 0 ? 0 : 2;
  }
  Output output(io, context.global.json);
  if (!context.action) return output.error("no command given; see latchkey --help");
  try {
    return context.action(output);
  } catch (const std::exception& e) {
    return output.error(e.what());
  }
}

}  // namespace latchkey::cli
