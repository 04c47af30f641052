#pragma once
// The shapes every aggregate operation takes, so each store method is a bind, a read and one
// call: lease a connection, borrow the cached statement, bind, step, map the outcome. The
// `*_on` forms run on a connection the caller already holds (inside in_write_transaction).
// Internal to the SQLite back end.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/commit_deferral.hpp"
#include "store/codec.hpp"
#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

inline constexpr std::string_view kBeginImmediate = "BEGIN IMMEDIATE";
inline constexpr std::string_view kCommit = "COMMIT";

/// Runs a write on a held connection and returns how many rows it changed.
template <class Bind>
[[nodiscard]] StoreResult<std::int64_t> execute_on(Connection& connection, std::string_view sql,
                                                   Bind bind) {
  auto stmt = connection.prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  if (auto ran = stmt->run(); !ran) return fail(ran.error());
  return connection.changes();
}

/// Reads the first row on a held connection with `read`; `not_found` when there is none.
template <class T, class Bind, class Read>
[[nodiscard]] StoreResult<T> query_one_on(Connection& connection, std::string_view sql, Bind bind,
                                          Read read) {
  auto stmt = connection.prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(StoreError::not_found);
  return read(*stmt);
}

/// Runs a write on the connection `lease` holds; `conflict` on a UNIQUE or PRIMARY KEY
/// violation, and the lease's error when it was not granted.
template <class Bind>
[[nodiscard]] StoreResult<void> execute_leased(StoreResult<ConnectionPool::Lease> lease,
                                               std::string_view sql, Bind bind) {
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  return stmt->run();
}

/// Runs a write; `conflict` on a UNIQUE or PRIMARY KEY violation.
template <class Bind>
[[nodiscard]] StoreResult<void> execute(ConnectionPool& pool, std::string_view sql, Bind bind) {
  return execute_leased(pool.acquire_writer(), sql, std::move(bind));
}

/// The writer for a write that may join a group commit: with a CommitDeferral open on this
/// thread, the pool's group writer, whose group goes to the deferral at once (so it is settled
/// whatever the write does), else an ordinary one.
[[nodiscard]] inline StoreResult<ConnectionPool::Lease> acquire_deferrable_writer(
    ConnectionPool& pool) {
  if (!CommitDeferral::active()) return pool.acquire_writer();
  auto lease = pool.acquire_group_writer();
  if (lease) CommitDeferral::hand_over(lease->group());
  return lease;
}

/// Runs a write like `execute`, but lets it join a group commit (ConnectionPool's top comment)
/// when the calling thread has a CommitDeferral open.
template <class Bind>
[[nodiscard]] StoreResult<void> execute_deferrable(ConnectionPool& pool, std::string_view sql,
                                                   Bind bind) {
  return execute_leased(acquire_deferrable_writer(pool), sql, std::move(bind));
}

/// Runs a write and returns how many rows it changed.
template <class Bind>
[[nodiscard]] StoreResult<std::int64_t> execute_count(ConnectionPool& pool, std::string_view sql,
                                                      Bind bind) {
  auto lease = pool.acquire_writer();
  if (!lease) return fail(lease.error());
  return execute_on(lease->connection(), sql, std::move(bind));
}

/// How many rows one transaction of a sweep deletes at most.
inline constexpr std::int64_t kSweepBatch = 500;

/// Deletes the rows of `table` whose `expires_at_ms` is before `before`, through the table's
/// index on it, in batches of kSweepBatch, each a write of its own, so that a sweep of many rows
/// (a minute of codes under load) never holds the write lock for long. Returns how many rows
/// went, or the first failure.
[[nodiscard]] inline StoreResult<std::int64_t> delete_expired_rows(ConnectionPool& pool,
                                                                   std::string_view table,
                                                                   TimePoint before) {
  std::string sql = "DELETE FROM ";
  sql.append(table).append(" WHERE rowid IN (SELECT rowid FROM ").append(table);
  sql.append(" WHERE expires_at_ms < ?1 LIMIT ?2)");
  std::int64_t total = 0;
  for (;;) {
    auto deleted = execute_count(pool, sql, [&](Statement& stmt) {
      stmt.bind_int(1, to_unix_ms(before)).bind_int(2, kSweepBatch);
    });
    if (!deleted) return fail(deleted.error());
    total += *deleted;
    if (*deleted < kSweepBatch) return total;
  }
}

/// Runs a write that must touch a row; `not_found` when it changed none.
template <class Bind>
[[nodiscard]] StoreResult<void> execute_one(ConnectionPool& pool, std::string_view sql, Bind bind) {
  auto changed = execute_count(pool, sql, std::move(bind));
  if (!changed) return fail(changed.error());
  if (*changed == 0) return fail(StoreError::not_found);
  return {};
}

/// Reads the first row with `read` (Statement -> StoreResult<T>); `not_found` when none.
template <class T, class Bind, class Read>
[[nodiscard]] StoreResult<T> query_one(ConnectionPool& pool, std::string_view sql, Bind bind,
                                       Read read) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  return query_one_on<T>(lease->connection(), sql, std::move(bind), std::move(read));
}

/// Reads every row with `read`, in the order the SQL gives.
template <class T, class Bind, class Read>
[[nodiscard]] StoreResult<std::vector<T>> query_all(ConnectionPool& pool, std::string_view sql,
                                                    Bind bind, Read read) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  std::vector<T> items;
  for (;;) {
    auto row = stmt->step();
    if (!row) return fail(row.error());
    if (!*row) return items;
    auto item = read(*stmt);
    if (!item) return fail(item.error());
    items.push_back(std::move(item).value());
  }
}

/// Binds nothing; for queries without parameters.
inline void bind_nothing(Statement& /*stmt*/) {}

/// Reads every row of a query without parameters.
template <class T, class Read>
[[nodiscard]] StoreResult<std::vector<T>> query_all(ConnectionPool& pool, std::string_view sql,
                                                    Read read) {
  return query_all<T>(pool, sql, bind_nothing, std::move(read));
}

/// Runs `body(Connection&) -> StoreResult<T>` between BEGIN IMMEDIATE and COMMIT on one leased
/// connection. IMMEDIATE takes the write lock before the first read (waiting up to the busy
/// timeout), so a read-then-write in `body` cannot interleave with a writer in another thread or
/// process. When `body` or COMMIT fails, the lease rolls the transaction back.
template <class T, class Body>
[[nodiscard]] StoreResult<T> in_write_transaction(ConnectionPool& pool, Body body) {
  auto lease = pool.acquire_writer();
  if (!lease) return fail(lease.error());
  Connection& connection = lease->connection();
  if (auto begun = execute_on(connection, kBeginImmediate, bind_nothing); !begun) {
    return fail(begun.error());
  }
  StoreResult<T> result = body(connection);
  if (!result) return result;
  if (auto committed = execute_on(connection, kCommit, bind_nothing); !committed) {
    return fail(committed.error());
  }
  return result;
}

/// Runs `body(Connection&) -> StoreResult<T>` as one atomic write. With a CommitDeferral open on
/// this thread, inside the pool's open group transaction: the write lock, held for the whole
/// body, keeps this process's other writers out, and the group's IMMEDIATE transaction other
/// processes. Otherwise between BEGIN IMMEDIATE and COMMIT (in_write_transaction). Inside a
/// group nothing rolls back a failed body's earlier statements, so a body may fail only before
/// its first write or in its one write statement (which SQLite undoes).
template <class T, class Body>
[[nodiscard]] StoreResult<T> in_deferrable_write(ConnectionPool& pool, Body body) {
  if (CommitDeferral::active()) {
    auto lease = acquire_deferrable_writer(pool);
    if (!lease) return fail(lease.error());
    if (lease->group()) return body(lease->connection());
  }
  return in_write_transaction<T>(pool, std::move(body));
}

/// Binds a time as Unix milliseconds, or NULL for nullopt.
inline void bind_optional_time(Statement& stmt, int index, const std::optional<TimePoint>& at) {
  if (at) {
    stmt.bind_int(index, to_unix_ms(*at));
  } else {
    stmt.bind_null(index);
  }
}

/// Reads a Unix-millisecond column; NULL reads as nullopt.
[[nodiscard]] inline std::optional<TimePoint> read_optional_time(const Statement& row, int column) {
  if (row.is_null(column)) return std::nullopt;
  return from_unix_ms(row.integer(column));
}

/// Reads a column holding a JSON array of strings; a value that does not decode is corrupt.
[[nodiscard]] inline StoreResult<std::vector<std::string>> read_strings(const Statement& row,
                                                                        int column,
                                                                        std::string_view name) {
  auto values = decode_strings(row.text(column));
  if (!values) return fail(row.corrupt(name));
  return std::move(*values);
}

}  // namespace latchkey::store::sqlite
