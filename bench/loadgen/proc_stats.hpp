#pragma once
// The server's CPU time and resident memory, from Linux's /proc (proc(5)). The parsers are
// pure; ProcessProbe reads the files.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.hpp"

namespace latchkey::loadgen {

/// utime + stime of a /proc/<pid>/stat line, in clock ticks. The command name (field 2) may
/// hold spaces and parentheses, so fields are counted from its last ')'. Fails on a line too
/// short or with a non-numeric time.
[[nodiscard]] Result<std::uint64_t, std::string> parse_stat_cpu_ticks(std::string_view stat);

/// VmRSS of a /proc/<pid>/status text, in KiB. Fails when the line is missing or malformed.
[[nodiscard]] Result<std::uint64_t, std::string> parse_status_rss_kib(std::string_view status);

/// Reads one process's counters. A vanished process reads as an error, never a crash.
class ProcessProbe {
 public:
  explicit ProcessProbe(int pid);

  /// User + system CPU seconds the process has used so far.
  [[nodiscard]] Result<double, std::string> cpu_seconds() const;
  /// Resident set size now, in KiB.
  [[nodiscard]] Result<std::uint64_t, std::string> rss_kib() const;

 private:
  int pid_;
  double ticks_per_second_;
};

/// Samples a process's RSS every `interval` on its own thread until destroyed, keeping the peak.
class PeakRssSampler {
 public:
  PeakRssSampler(const ProcessProbe& probe, std::chrono::milliseconds interval);
  ~PeakRssSampler();
  PeakRssSampler(const PeakRssSampler&) = delete;
  PeakRssSampler& operator=(const PeakRssSampler&) = delete;

  /// The largest RSS seen so far, in KiB (0 when no sample could be read).
  [[nodiscard]] std::uint64_t peak_kib() const;

 private:
  void run();

  const ProcessProbe& probe_;
  std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::uint64_t peak_kib_ = 0;
  std::thread thread_;
};

}  // namespace latchkey::loadgen
