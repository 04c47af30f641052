#include "app/housekeeping.hpp"

namespace latchkey::app {
namespace {

std::int64_t count_or_log(const store::StoreResult<std::int64_t>& deleted, const char* table,
                          Logger& log) {
  if (deleted.ok()) return *deleted;
  log_event(log, LogLevel::warn, "housekeeping failed",
            {{"table", table}, {"error", store::to_string(deleted.error())}});
  return 0;
}

}  // namespace

HousekeepingCounts sweep_expired(store::Store& store, TimePoint now, Logger& log) {
  HousekeepingCounts counts;
  counts.codes = count_or_log(store.authorization_codes().delete_expired(now - kExpiredCodeGrace),
                              "authorization_codes", log);
  counts.revoked_jtis =
      count_or_log(store.revoked_tokens().delete_expired(now), "revoked_tokens", log);
  if (counts.codes > 0 || counts.revoked_jtis > 0) {
    log_event(log, LogLevel::debug, "housekeeping",
              {{"codes", counts.codes}, {"revoked_jtis", counts.revoked_jtis}});
  }
  return counts;
}

}  // namespace latchkey::app
