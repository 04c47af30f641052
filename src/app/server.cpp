#include "app/server.hpp"

#include "app/application.hpp"
#include "app/housekeeping.hpp"
#include "app/key_setup.hpp"
#include "app/periodic_task.hpp"
#include "app/rules_login_pipeline.hpp"
#include "app/store_factory.hpp"
#include "crypto/random.hpp"
#include "http/server.hpp"
#include "rules/engine_set.hpp"
#include "rules/platform.hpp"

namespace latchkey::app {
namespace {

http::ServerOptions server_options(const config::Config& config) {
  http::ServerOptions options;
  options.address = config.listen.host;
  options.port = config.listen.port;
  options.threads = config.threads;
  options.worker_nice = static_cast<int>(config.worker_nice);
  options.tls_cert_file = config.tls_cert;
  options.tls_key_file = config.tls_key;
  options.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  options.body_limit = config.body_limit;
  options.max_connections = config.max_connections;
  return options;
}

/// Creates missing keys for the algorithms in use and picks up rotations made elsewhere.
void refresh_keys(store::Store& store, jose::Keyring& keyring, Logger& log) {
  if (auto r = keyring.ensure(algorithms_in_use(store)); !r) {
    log_event(log, LogLevel::err, "signing keys not ensured", {{"error", r.error()}});
  }
  auto changed = keyring.reload();
  if (!changed) {
    log_event(log, LogLevel::err, "signing keys not reloaded", {{"error", changed.error()}});
  } else if (*changed) {
    log_event(log, LogLevel::info, "signing keys loaded",
              {{"keys", keyring.snapshot()->trusted.size()}});
  }
}

rules::EngineOptions engine_options(const config::Config& config) {
  rules::EngineOptions options;
  options.wall_time = std::chrono::milliseconds(config.rules_timeout_ms);
  options.heap_bytes = std::size_t{config.rules_heap_mb} << 20U;
  return options;
}

/// The tenant the rules see (context.tenant, request.hostname): the issuer's host.
std::string tenant_of(std::string_view issuer) {
  const auto scheme_end = issuer.find("://");
  std::string_view host = issuer.substr(scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  host = host.substr(0, host.find('/'));
  if (!host.starts_with('[')) host = host.substr(0, host.find(':'));
  return std::string(host);
}

}  // namespace

int serve(const config::Config& config) {
  auto log = make_stderr_logger("latchkey", config.log_level);
  auto store = open_store(config);
  if (!store) {
    log_event(*log, LogLevel::critical, "cannot open the store", {{"error", store.error()}});
    return 1;
  }
  crypto::OsRandom random;
  SystemClock clock;
  auto kek = load_kek(config, random, *log);
  if (!kek) {
    log_event(*log, LogLevel::critical, "no key-encryption key", {{"error", kek.error()}});
    return 1;
  }
  jose::Keyring keyring((*store)->signing_keys(), *kek, random, clock);
  refresh_keys(**store, keyring, *log);
  if (keyring.snapshot()->signer(jose::Algorithm::rs256) == nullptr) {
    log_event(*log, LogLevel::critical, "no signing key could be loaded");
    return 1;
  }

  // The JavaScript engine: one per worker thread, made on first use. Declared before the server,
  // so the server's worker threads (which destroy their engines) end before the set does.
  const rules::Platform platform;
  rules::EngineSet engines(platform, engine_options(config));

  // The router is filled once the port is known: the issuer may derive from it.
  http::Router router;
  http::Server server(server_options(config), router, *log);
  if (auto bound = server.listen(); !bound) {
    log_event(*log, LogLevel::critical, "cannot listen", {{"error", bound.error()}});
    return 1;
  }
  const std::string issuer = config::effective_issuer(config, server.port());
  RulesLoginPipeline login_pipeline(**store, engines, *kek, tenant_of(issuer), *log, clock);
  Application application({config, issuer, **store, keyring, *log, clock, random, &login_pipeline});
  router = application.routes();
  const PeriodicTask key_refresh(kKeyReloadPeriod, [&] { refresh_keys(**store, keyring, *log); });
  const PeriodicTask housekeeping(
      std::chrono::duration_cast<std::chrono::milliseconds>(kHousekeepingPeriod),
      [&] { (void)sweep_expired(**store, clock.now(), *log); });
  // Handle SIGTERM/SIGINT before announcing the port: whoever waits for "listening" may signal
  // at once, and must get a graceful stop rather than the default kill.
  server.stop_on_signals();
  log_event(*log, LogLevel::info, "listening",
            {{"address", config.listen.host}, {"port", server.port()}, {"issuer", issuer}});
  // Whoever started the server waits for this line to learn the port: no buffering delay.
  log->flush();
  server.run();
  log_event(*log, LogLevel::info, "stopped");
  return 0;
}

}  // namespace latchkey::app
