#pragma once
// The composition root: config -> store -> keys -> routes -> HTTP server.

#include <string>

#include "config/config.hpp"
#include "core/log.hpp"
#include "http/router.hpp"
#include "jose/keyring.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// How often a running server re-reads its signing keys, so a rotation made by the CLI takes
/// effect within seconds.
inline constexpr std::chrono::milliseconds kKeyReloadPeriod{2000};

/// How long verifiers may cache the JWKS: well below the time a `next` key is published before
/// a rotation promotes it.
inline constexpr int kJwksMaxAgeSeconds = 60;

/// What the route handlers may use. Built once by serve(); outlives the server.
struct Services {
  const config::Config& config;
  std::string issuer;  // effective issuer, with its trailing slash
  store::Store& store;
  jose::Keyring& keyring;
  Logger& log;
};

/// Registers every endpoint.
[[nodiscard]] http::Router build_router(Services& services);

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully. Returns the exit code.
int serve(const config::Config& config);

}  // namespace latchkey::app
