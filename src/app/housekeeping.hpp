#pragma once
// Deletes rows that can no longer matter, so the store stays the size of what is live: spent
// and expired authorization codes, revoked jtis whose tokens have expired anyway, expired login
// sessions, abandoned login transactions, and refresh tokens past their family's absolute
// lifetime (spent and revoked ones stay until then, for reuse detection). Each is refused the
// same way whether it is expired or gone. The server runs it every kHousekeepingPeriod on its
// own thread.

#include <chrono>
#include <cstdint>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "store/store.hpp"

namespace latchkey::app {

inline constexpr std::chrono::seconds kHousekeepingPeriod{60};
/// How long a code stays after it expires, so that a late replay still finds it and revokes
/// what its first redemption issued (RFC 6749 §4.1.2).
inline constexpr std::chrono::minutes kExpiredCodeGrace{10};

struct HousekeepingCounts {
  std::int64_t codes = 0;
  std::int64_t revoked_jtis = 0;
  std::int64_t sessions = 0;
  std::int64_t transactions = 0;
  std::int64_t refresh_tokens = 0;

  [[nodiscard]] std::int64_t total() const {
    return codes + revoked_jtis + sessions + transactions + refresh_tokens;
  }
};

/// One sweep at `now`. A store failure is logged and the sweep goes on with the next table.
HousekeepingCounts sweep_expired(store::Store& store, TimePoint now, Logger& log);

}  // namespace latchkey::app
