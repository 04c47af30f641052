#pragma once
// Runs one scenario at one concurrency: N connections, each a coroutine looping on the
// operation, through setup, warm-up and the measured phase, on --threads io_context threads.
// Every phase is bounded; connections that do not finish in time are abandoned.

#include <optional>

#include "cookie_jar.hpp"
#include "flow_context.hpp"
#include "proc_stats.hpp"
#include "report.hpp"

namespace latchkey::loadgen {

/// Runs `scenario` with `concurrency` connections, each starting from the `session` cookies.
/// `probe`, when given, measures the server's CPU and RSS around the measured phase.
[[nodiscard]] RunResult run_scenario(const FlowContext& context, const CookieJar& session,
                                     Scenario scenario, int concurrency, const ProcessProbe* probe);

/// The longest a run_scenario call may take with these options, hangs included (the
/// process-wide hard stop adds these up).
[[nodiscard]] std::chrono::milliseconds run_bound(const Options& options);

}  // namespace latchkey::loadgen
