#include "app/server.hpp"

#include "app/health.hpp"
#include "app/store_factory.hpp"
#include "http/server.hpp"

namespace latchkey::app {
namespace {

http::ServerOptions server_options(const config::Config& config) {
  http::ServerOptions options;
  options.address = config.listen.host;
  options.port = config.listen.port;
  options.threads = config.threads;
  options.tls_cert_file = config.tls_cert;
  options.tls_key_file = config.tls_key;
  options.header_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.body_timeout = std::chrono::milliseconds(config.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  options.body_limit = config.body_limit;
  options.max_connections = config.max_connections;
  return options;
}

}  // namespace

http::Router build_router(Services& services) {
  http::Router router;
  router.add(http::Method::get, "/healthz", healthz);
  router.add(http::Method::get, "/readyz",
             [&services](const http::Request&) { return readyz(services.store); });
  return router;
}

int serve(const config::Config& config) {
  auto log = make_stderr_logger("latchkey", config.log_level);
  auto store = open_store(config);
  if (!store) {
    log_event(*log, LogLevel::critical, "cannot open the store", {{"error", store.error()}});
    return 1;
  }
  Services services{config, **store, *log};
  const http::Router router = build_router(services);
  http::Server server(server_options(config), router, *log);
  if (auto bound = server.listen(); !bound) {
    log_event(*log, LogLevel::critical, "cannot listen", {{"error", bound.error()}});
    return 1;
  }
  log_event(*log, LogLevel::info, "listening",
            {{"address", config.listen.host},
             {"port", server.port()},
             {"issuer", config::effective_issuer(config, server.port())}});
  server.stop_on_signals();
  server.run();
  store->reset();  // close the store only after the last request is answered
  log_event(*log, LogLevel::info, "stopped");
  return 0;
}

}  // namespace latchkey::app
