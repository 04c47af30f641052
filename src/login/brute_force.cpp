#include "login/brute_force.hpp"

namespace latchkey::login {

BruteForceGuard::BruteForceGuard(store::LoginAttemptStore& attempts, const Clock& clock)
    : attempts_(attempts), clock_(clock) {}

store::StoreResult<bool> BruteForceGuard::is_blocked(std::string_view email, std::string_view ip) {
  auto found = attempts_.find(email, ip);
  if (!found) {
    if (found.error() == store::StoreError::not_found) return false;
    return fail(found.error());
  }
  if (!found->blocked_until) return false;
  if (clock_.now() < *found->blocked_until) return true;
  // The block ran out: start counting afresh, or the next single mistake would block again.
  if (auto cleared = attempts_.clear(email, ip); !cleared) return fail(cleared.error());
  return false;
}

store::StoreResult<bool> BruteForceGuard::record_failure(std::string_view email,
                                                         std::string_view ip) {
  const TimePoint now = clock_.now();
  auto recorded = attempts_.record_failure(
      email, ip, now, kMaxFailedLogins,
      std::chrono::duration_cast<std::chrono::seconds>(kBruteForceBlockDuration));
  if (!recorded) return fail(recorded.error());
  return recorded->blocked_until.has_value() && now < *recorded->blocked_until;
}

store::StoreResult<void> BruteForceGuard::clear(std::string_view email, std::string_view ip) {
  return attempts_.clear(email, ip);
}

}  // namespace latchkey::login
