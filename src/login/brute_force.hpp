#pragma once
// Brute-force protection as Auth0 does it by default: 10 consecutive failed logins for one email
// from one IP block that pair, and only that pair, for a while.

#include <chrono>
#include <string_view>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace latchkey::login {

/// Failures of one (email, IP) pair that block it (Auth0's default threshold).
inline constexpr int kMaxFailedLogins = 10;
/// How long a blocked pair stays blocked, unless `latchkey users unblock` lifts it first.
inline constexpr std::chrono::minutes kBruteForceBlockDuration{15};

class BruteForceGuard {
 public:
  BruteForceGuard(store::LoginAttemptStore& attempts, const Clock& clock);

  /// True while the pair is blocked. A store failure answers `unavailable`.
  [[nodiscard]] store::StoreResult<bool> is_blocked(std::string_view email, std::string_view ip);
  /// Counts one failure of the pair; true when the pair is now blocked.
  [[nodiscard]] store::StoreResult<bool> record_failure(std::string_view email,
                                                        std::string_view ip);
  /// Forgets the pair's failures after a successful login.
  [[nodiscard]] store::StoreResult<void> clear(std::string_view email, std::string_view ip);

 private:
  store::LoginAttemptStore& attempts_;
  const Clock& clock_;
};

}  // namespace latchkey::login
