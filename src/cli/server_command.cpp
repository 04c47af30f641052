// latchkey serve | migrate
#include <ostream>

#include "app/server.hpp"
#include "app/store_factory.hpp"
#include "cli/command.hpp"

namespace latchkey::cli {
namespace {

int serve(Context& context, Output& output) {
  auto config = load_config(context);
  if (!config) return output.error(config.error());
  return app::serve(*config);
}

int migrate(Context& context, Output& output) {
  auto config = load_config(context);
  if (!config) return output.error(config.error());
  auto version = app::migrate_store(*config);
  if (!version) return output.error(version.error());
  return output.result({{"schema_version", *version}}, [&](std::ostream& out) {
    out << "schema is at version " << *version << '\n';
  });
}

/// A serve flag that overrides one setting, e.g. --listen -> listen.
void add_setting_flag(CLI::App& command, Context& context, const std::string& flag,
                      const std::string& key, const std::string& help) {
  command.add_option_function<std::string>(
      flag, [&context, key](const std::string& value) { context.flags[key] = value; }, help);
}

}  // namespace

void add_server_commands(CLI::App& app, Context& context) {
  auto* serve_command = app.add_subcommand("serve", "Run the authorization server");
  add_setting_flag(*serve_command, context, "--listen", "listen",
                   "HOST:PORT (default 127.0.0.1:8080)");
  add_setting_flag(*serve_command, context, "--issuer", "issuer", "Issuer URL");
  add_setting_flag(*serve_command, context, "--threads", "threads",
                   "I/O threads (0: one per CPU it may run on)");
  add_setting_flag(*serve_command, context, "--tls-cert", "tls_cert", "TLS certificate (PEM)");
  add_setting_flag(*serve_command, context, "--tls-key", "tls_key", "TLS private key (PEM)");
  add_setting_flag(*serve_command, context, "--log-level", "log_level", "trace ... off");
  add_setting_flag(*serve_command, context, "--header-timeout-ms", "header_timeout_ms",
                   "Time a client has to send a request's headers (and body)");
  add_setting_flag(*serve_command, context, "--idle-timeout-ms", "idle_timeout_ms",
                   "Time an idle keep-alive connection is kept");
  add_setting_flag(*serve_command, context, "--body-limit", "body_limit", "Largest request body");
  add_setting_flag(*serve_command, context, "--templates-dir", "templates_dir",
                   "Folder of <page>.mustache files replacing the built-in pages");
  add_setting_flag(*serve_command, context, "--signup-enabled", "signup_enabled",
                   "true to serve /u/signup");
  add_setting_flag(*serve_command, context, "--max-connections", "max_connections",
                   "Most connections served at once");
  add_setting_flag(*serve_command, context, "--rules-timeout-ms", "rules_timeout_ms",
                   "Wall time of one login's rules and actions");
  add_setting_flag(*serve_command, context, "--rules-heap-mb", "rules_heap_mb",
                   "JavaScript heap of one login's rules and actions");
  add_setting_flag(*serve_command, context, "--worker-nice", "worker_nice",
                   "Nice value (0-19) of the threads that hash passwords and run rules");
  add_setting_flag(*serve_command, context, "--password-hash-memory-mb", "password_hash_memory_mb",
                   "Memory of the password hashes run at once (32 MiB each; at least one runs)");
  serve_command->callback(
      [&context] { context.action = [&context](Output& o) { return serve(context, o); }; });

  app.add_subcommand("migrate", "Apply pending schema migrations")->callback([&context] {
    context.action = [&context](Output& o) { return migrate(context, o); };
  });
}

}  // namespace latchkey::cli
