#include "app/housekeeping.hpp"

#include "store/transaction_store.hpp"

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
  counts.sessions = count_or_log(store.sessions().delete_expired(now), "sessions", log);
  counts.transactions =
      count_or_log(store.transactions().delete_expired(now), "authorization_transactions", log);
  counts.refresh_tokens =
      count_or_log(store.refresh_tokens().delete_expired(now), "refresh_tokens", log);
  if (counts.total() > 0) {
    log_event(log, LogLevel::debug, "housekeeping",
              {{"codes", counts.codes},
               {"revoked_jtis", counts.revoked_jtis},
               {"sessions", counts.sessions},
               {"transactions", counts.transactions},
               {"refresh_tokens", counts.refresh_tokens}});
  }
  return counts;
}

}  // namespace latchkey::app
