#pragma once
// The four shapes every aggregate operation takes, so each store method is a bind, a read and
// one call: lease a connection, borrow the cached statement, bind, step, map the outcome.
// Internal to the SQLite back end.

#include <string_view>
#include <utility>
#include <vector>

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

/// Runs a write; `conflict` on a UNIQUE or PRIMARY KEY violation.
template <class Bind>
[[nodiscard]] StoreResult<void> execute(ConnectionPool& pool, std::string_view sql, Bind bind) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  return stmt->run();
}

/// Runs a write that must touch a row; `not_found` when it changed none.
template <class Bind>
[[nodiscard]] StoreResult<void> execute_one(ConnectionPool& pool, std::string_view sql, Bind bind) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  if (auto ran = stmt->run(); !ran) return ran;
  if (lease->connection().changes() == 0) return fail(StoreError::not_found);
  return {};
}

/// Reads the first row with `read` (Statement -> StoreResult<T>); `not_found` when none.
template <class T, class Bind, class Read>
[[nodiscard]] StoreResult<T> query_one(ConnectionPool& pool, std::string_view sql, Bind bind,
                                       Read read) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
  bind(*stmt);
  auto row = stmt->step();
  if (!row) return fail(row.error());
  if (!*row) return fail(StoreError::not_found);
  return read(*stmt);
}

/// Reads every row with `read`, in the order the SQL gives.
template <class T, class Read>
[[nodiscard]] StoreResult<std::vector<T>> query_all(ConnectionPool& pool, std::string_view sql,
                                                    Read read) {
  auto lease = pool.acquire();
  if (!lease) return fail(lease.error());
  auto stmt = lease->connection().prepare(sql);
  if (!stmt) return fail(stmt.error());
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

}  // namespace latchkey::store::sqlite
