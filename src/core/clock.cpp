#include "core/clock.hpp"

namespace latchkey {

std::int64_t to_unix_seconds(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

TimePoint from_unix_seconds(std::int64_t seconds) {
  return TimePoint(std::chrono::seconds(seconds));
}

TimePoint SystemClock::now() const { return std::chrono::system_clock::now(); }

TimePoint ManualClock::now() const {
  return TimePoint(std::chrono::system_clock::duration(now_.load()));
}

}  // namespace latchkey
