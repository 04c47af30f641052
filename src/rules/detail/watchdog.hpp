#pragma once
// A thread that calls a function once when an armed deadline passes. Used to interrupt a
// JavaScript run at its wall time; it measures time with steady_clock, which is not the
// injected wall Clock on purpose: a deadline must not move when someone sets the date.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

namespace latchkey::rules::detail {

/// While armed, calls `on_tick` every `period` and `on_expiry` once when the deadline passes
/// (which disarms it). Both run on the watchdog's own thread with its lock held: keep them short
/// and thread-safe (set a flag, request an interrupt).
class Watchdog {
 public:
  using Deadline = std::chrono::steady_clock::time_point;

  Watchdog(std::chrono::milliseconds period, std::function<void()> on_tick,
           std::function<void()> on_expiry);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;
  Watchdog(Watchdog&&) = delete;
  Watchdog& operator=(Watchdog&&) = delete;

  /// Starts watching `deadline`, replacing any earlier one.
  void arm(Deadline deadline);
  /// Stops watching; after it returns, `on_expiry` is not running and will not run.
  void disarm();

 private:
  void loop();

  std::chrono::milliseconds period_;
  std::function<void()> on_tick_;
  std::function<void()> on_expiry_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Deadline> deadline_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace latchkey::rules::detail
