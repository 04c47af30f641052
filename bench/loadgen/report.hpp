#pragma once
// What one run (a scenario at one concurrency) measured, and how it is printed: a human table
// and JSON with the field names documented in README.md.

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "histogram.hpp"

namespace latchkey::loadgen {

/// The server's counters over the measured phase (only with --server-pid).
struct ServerUsage {
  double cpu_seconds = 0;  ///< user + system CPU during the measured phase
  std::uint64_t rss_before_kib = 0;
  std::uint64_t rss_peak_kib = 0;
  std::uint64_t rss_after_kib = 0;
};

/// What the background load (--background) did during the measured phase.
struct BackgroundLoad {
  std::string scenario;
  int concurrency = 0;
  std::uint64_t ok = 0;
  std::map<std::string, std::uint64_t> errors;  ///< kind -> count
};

/// The merged results of every connection of one run.
struct RunResult {
  std::string scenario;
  int concurrency = 0;
  std::chrono::nanoseconds elapsed{0};  ///< length of the measured phase
  std::uint64_t ok = 0;
  std::map<std::string, std::uint64_t> errors;  ///< kind -> count
  Histogram latency;
  /// Per-step latencies of the successful operations, for scenarios that have steps (code).
  std::map<std::string, Histogram> steps;
  std::optional<ServerUsage> server;
  std::optional<BackgroundLoad> background;

  [[nodiscard]] std::uint64_t error_count() const;
  /// Successful operations per second of the measured phase.
  [[nodiscard]] double ops_per_second() const;
};

/// The run's settings, echoed in the JSON.
struct RunSettings {
  std::string issuer;
  int threads = 1;
  double duration_s = 0;
  double warmup_s = 0;
  std::uint64_t max_ops = 0;
  int timeout_ms = 0;
  std::optional<int> server_pid;
  std::string started_at;  ///< ISO 8601 UTC
};

/// One result as JSON (README.md, "JSON").
[[nodiscard]] nlohmann::json to_json(const RunResult& result);

/// The whole report as JSON: settings and every result.
[[nodiscard]] nlohmann::json to_json(const RunSettings& settings,
                                     const std::vector<RunResult>& results);

/// The human table: one line per run, then its error kinds and steps indented below it.
[[nodiscard]] std::string format_table(const std::vector<RunResult>& results);

}  // namespace latchkey::loadgen
