#pragma once
// The composition root: config -> store -> routes -> HTTP server.

#include "config/config.hpp"
#include "core/log.hpp"
#include "http/router.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// What the route handlers may use. Built once by serve(); outlives the server.
struct Services {
  const config::Config& config;
  store::Store& store;
  Logger& log;
};

/// Registers every endpoint.
[[nodiscard]] http::Router build_router(Services& services);

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully. Returns the exit code.
int serve(const config::Config& config);

}  // namespace latchkey::app
