#pragma once
// The composition root: config -> store -> keys -> routes -> HTTP server.

#include <chrono>

#include "config/config.hpp"
#include "core/log.hpp"

namespace latchkey::app {

/// How often a running server re-reads its signing keys, so a rotation made by the CLI takes
/// effect within seconds.
inline constexpr std::chrono::milliseconds kKeyReloadPeriod{2000};

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully. Returns the exit code.
int serve(const config::Config& config);

}  // namespace latchkey::app
