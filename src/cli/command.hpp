#pragma once
// Shared plumbing of the `latchkey` subcommands: global options, output in text or JSON, and
// access to the configured store. Contract: with --json every command prints JSON; an error
// prints one line on stderr and the process exits non-zero.

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/key_setup.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "store/store.hpp"

namespace latchkey::cli {

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

/// Options every command takes (`--config`, `--data-dir`, `--json`).
struct GlobalOptions {
  std::string config_file;
  std::string data_dir;
  bool json = false;
};

/// Prints results and errors in the chosen format.
class Output {
 public:
  Output(Io io, bool json) : io_(io), json_(json) {}
  /// Prints `value` as JSON, or calls `text` to print it for people. Returns exit code 0.
  int result(const nlohmann::json& value, const std::function<void(std::ostream&)>& text);
  /// Prints one line on stderr. Returns exit code 1.
  int error(const std::string& message);
  [[nodiscard]] std::istream& in() { return io_.in; }

 private:
  Io io_;
  bool json_;
};

/// What a parsed command does once parsing succeeded.
using Action = std::function<int(Output&)>;

/// Everything commands share while the command line is parsed.
struct Context {
  GlobalOptions global;
  config::Overrides flags;  // settings given as flags (serve's --listen and so on)
  Action action;
  crypto::RandomSource& random;
  const Clock& clock;
};

/// Loads the configuration: the --config file (or ./latchkey.toml when present), LATCHKEY_*,
/// then flags.
[[nodiscard]] Result<config::Config, std::string> load_config(const Context& context);

/// Opens the configured store, creating the data directory and applying migrations.
[[nodiscard]] Result<std::unique_ptr<store::Store>, std::string> open_store(const Context& context);

/// Opens the store and returns `fn(store)`; prints why it could not be opened otherwise.
template <class F>
int with_store(const Context& context, Output& output, F&& fn) {
  auto store = open_store(context);
  if (!store) return output.error(store.error());
  return fn(**store);
}

/// Opens the store and loads the key-encryption key, then returns `fn(store, kek)`; prints why
/// either failed otherwise.
template <class F>
int with_kek(Context& context, Output& output, F&& fn) {
  auto config = load_config(context);
  if (!config) return output.error(config.error());
  return with_store(context, output, [&](store::Store& store) {
    auto log = make_null_logger();
    auto kek = app::load_kek(*config, context.random, *log);
    if (!kek) return output.error(kek.error());
    return fn(store, *kek);
  });
}

/// A command that runs against one stored item.
using IdCommand = int (*)(Context&, Output&, const std::string& id);

/// Adds `parent NAME ID`, running `fn` with the ID once parsed.
void add_id_command(CLI::App& parent, Context& context, const std::string& name,
                    const std::string& help, IdCommand fn);

/// argv without the program name, as `run` hands it to CLI11: an id that starts with '-' right
/// after its command (`keys revoke -Abc`) is moved behind "--", so it is read as the id.
[[nodiscard]] std::vector<std::string> arguments_for_parse(const CLI::App& app, int argc,
                                                           const char* const* argv);

/// Prints a store failure as one line naming what was asked for.
int store_error(Output& output, store::StoreError error, const std::string& what);

void add_client_commands(CLI::App& app, Context& context);
void add_api_commands(CLI::App& app, Context& context);
void add_user_commands(CLI::App& app, Context& context);
void add_server_commands(CLI::App& app, Context& context);
void add_key_commands(CLI::App& app, Context& context);
/// `rules …` and `rules-configs …` (rules_command.cpp).
void add_rule_commands(CLI::App& app, Context& context);
void add_action_commands(CLI::App& app, Context& context);
/// `client-grants …` (client_grants_command.cpp).
void add_client_grant_commands(CLI::App& app, Context& context);

/// Parses argv and runs the command. Returns the process exit code.
int run(int argc, const char* const* argv, Io io);

}  // namespace latchkey::cli
