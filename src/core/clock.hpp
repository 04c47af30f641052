#pragma once
// The injected clock (STYLE.md rule 5): system_clock::now() appears only in SystemClock.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace latchkey {

using TimePoint = std::chrono::system_clock::time_point;

/// Tells the current time. Expiry logic asks a Clock, never the system, so tests can move time.
class Clock {
 public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual TimePoint now() const = 0;
};

/// Seconds since the Unix epoch, as JWT NumericDate uses them.
[[nodiscard]] std::int64_t to_unix_seconds(TimePoint t);
[[nodiscard]] TimePoint from_unix_seconds(std::int64_t seconds);

/// ISO 8601 in UTC with milliseconds, as Auth0 writes timestamps: 2026-11-24T02:18:02.123Z.
[[nodiscard]] std::string to_iso8601(TimePoint t);

/// The real wall clock.
class SystemClock final : public Clock {
 public:
  [[nodiscard]] TimePoint now() const override;
};

/// A clock that moves only when told to; for tests. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
  [[nodiscard]] TimePoint now() const override;
  void set(TimePoint t) { now_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::system_clock::duration d) { now_.fetch_add(d.count()); }

 private:
  std::atomic<std::chrono::system_clock::rep> now_;
};

}  // namespace latchkey
