#include "store/sqlite/sqlite_login_attempt_store.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

// One statement counts the failure, so concurrent failures never lose a count. ?4 is the
// threshold, ?5 the blocked_until a failure at or past the threshold sets.
constexpr std::string_view kRecordLoginFailure =
    "INSERT INTO login_attempts (email, ip, failures, first_failure_at_ms, blocked_until_ms) "
    "VALUES (?1, ?2, 1, ?3, CASE WHEN ?4 <= 1 THEN ?5 ELSE NULL END) "
    "ON CONFLICT (email, ip) DO UPDATE SET failures = login_attempts.failures + 1, "
    "blocked_until_ms = CASE WHEN login_attempts.failures + 1 >= ?4 THEN ?5 "
    "ELSE login_attempts.blocked_until_ms END";
constexpr std::string_view kSelectLoginAttempts =
    "SELECT email, ip, failures, first_failure_at_ms, blocked_until_ms FROM login_attempts "
    "WHERE email = ?1 AND ip = ?2";
constexpr std::string_view kDeleteLoginAttempts =
    "DELETE FROM login_attempts WHERE email = ?1 AND ip = ?2";
constexpr std::string_view kDeleteEmailLoginAttempts =
    "DELETE FROM login_attempts WHERE email = ?1";

constexpr std::int64_t kMsPerSecond = 1000;

// `ms + seconds`, saturating instead of overflowing for absurd block durations.
std::int64_t add_seconds(std::int64_t ms, std::chrono::seconds seconds) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  const std::int64_t delta =
      std::clamp<std::int64_t>(seconds.count(), kMin / kMsPerSecond, kMax / kMsPerSecond) *
      kMsPerSecond;
  if (delta > 0 && ms > kMax - delta) return kMax;
  if (delta < 0 && ms < kMin - delta) return kMin;
  return ms + delta;
}

// Columns in the order of kSelectLoginAttempts.
StoreResult<model::LoginAttempts> read_login_attempts(const Statement& row) {
  model::LoginAttempts attempts;
  attempts.email = row.text(0);
  attempts.ip = row.text(1);
  attempts.failures = static_cast<int>(
      std::clamp<std::int64_t>(row.integer(2), 0, std::numeric_limits<int>::max()));
  attempts.first_failure_at = from_unix_ms(row.integer(3));
  attempts.blocked_until = read_optional_time(row, 4);
  return attempts;
}

}  // namespace

// Counting and reading back share one IMMEDIATE transaction, so the state returned is the one
// this failure produced, not one a concurrent failure moved on from.
StoreResult<model::LoginAttempts> SqliteLoginAttemptStore::record_failure(
    std::string_view email, std::string_view ip, TimePoint at, int threshold,
    std::chrono::seconds block_for) {
  const std::string folded = fold_email(email);
  const std::int64_t at_ms = to_unix_ms(at);
  const auto bind_pair = [&](Statement& stmt) { stmt.bind_text(1, folded).bind_text(2, ip); };
  return in_write_transaction<model::LoginAttempts>(
      pool_, [&](Connection& connection) -> StoreResult<model::LoginAttempts> {
        auto counted = execute_on(connection, kRecordLoginFailure, [&](Statement& stmt) {
          bind_pair(stmt);
          stmt.bind_int(3, at_ms)
              .bind_int(4, std::max(threshold, 1))
              .bind_int(5, add_seconds(at_ms, block_for));
        });
        if (!counted) return fail(counted.error());
        return query_one_on<model::LoginAttempts>(connection, kSelectLoginAttempts, bind_pair,
                                                  read_login_attempts);
      });
}

StoreResult<model::LoginAttempts> SqliteLoginAttemptStore::find(std::string_view email,
                                                                std::string_view ip) {
  const std::string folded = fold_email(email);
  return query_one<model::LoginAttempts>(
      pool_, kSelectLoginAttempts,
      [&](Statement& stmt) { stmt.bind_text(1, folded).bind_text(2, ip); }, read_login_attempts);
}

StoreResult<void> SqliteLoginAttemptStore::clear(std::string_view email, std::string_view ip) {
  const std::string folded = fold_email(email);
  return execute(pool_, kDeleteLoginAttempts,
                 [&](Statement& stmt) { stmt.bind_text(1, folded).bind_text(2, ip); });
}

StoreResult<std::int64_t> SqliteLoginAttemptStore::clear_email(std::string_view email) {
  const std::string folded = fold_email(email);
  return execute_count(pool_, kDeleteEmailLoginAttempts,
                       [&](Statement& stmt) { stmt.bind_text(1, folded); });
}

}  // namespace latchkey::store::sqlite
