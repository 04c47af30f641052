#pragma once
// Versioned schema migrations for the SQLite back end. Each step is a version and SQL text; a
// step runs in its own IMMEDIATE transaction together with its schema_migrations row, so a
// database is always at exactly one known version, even when two processes migrate at once.

#include <span>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

/// One schema change. Versions start at 1 and increase by one; a released step never changes.
struct Migration {
  int version;
  std::string_view sql;
};

/// All steps, in order.
[[nodiscard]] std::span<const Migration> migrations();

/// The version the newest step brings a database to.
[[nodiscard]] int latest_schema_version();

/// The highest applied version; 0 when the database was never migrated.
[[nodiscard]] StoreResult<int> read_schema_version(Connection& connection);

/// Applies every pending step and returns the version now in force. Idempotent. Fails with a
/// message when the database is newer than this code or a step fails (that step is rolled back).
[[nodiscard]] Result<int, std::string> apply_migrations(Connection& connection, const Clock& clock);

/// Fails with a message when the database's version is newer than this code knows.
[[nodiscard]] Result<int, std::string> check_schema_version(Connection& connection);

}  // namespace latchkey::store::sqlite
