#pragma once
// One SQLite connection with its cache of prepared statements, and the RAII Statement that
// borrows a cached statement for one operation. Internal to the SQLite back end.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/log.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace latchkey::store::sqlite {

/// WAL growth, in frames (pages), after which the pool asks for a checkpoint: SQLite's default
/// automatic checkpoint size.
inline constexpr int kCheckpointPages = 1000;

class Connection;

/// A prepared statement borrowed from a Connection's cache. On destruction it is reset and its
/// bindings cleared, so it never holds a read snapshot open after the operation ends.
/// Column and parameter indexes follow SQLite: parameters from 1, columns from 0.
class Statement {
 public:
  Statement(Connection& connection, sqlite3_stmt* stmt);
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  // Binders copy their argument into SQLite; a failed bind is reported by the next step().
  Statement& bind_text(int index, std::string_view text);
  Statement& bind_int(int index, std::int64_t value);
  Statement& bind_bool(int index, bool value);
  Statement& bind_blob(int index, std::span<const std::uint8_t> bytes);
  Statement& bind_null(int index);

  /// Advances: true when a row is ready, false when done. Errors are mapped to StoreError.
  [[nodiscard]] StoreResult<bool> step();
  /// Steps once and ignores any row: for INSERT, UPDATE and DELETE.
  [[nodiscard]] StoreResult<void> run();

  [[nodiscard]] bool is_null(int column) const;
  [[nodiscard]] std::string text(int column) const;
  [[nodiscard]] std::int64_t integer(int column) const;
  [[nodiscard]] bool boolean(int column) const { return integer(column) != 0; }
  [[nodiscard]] std::vector<std::uint8_t> blob(int column) const;

  /// Logs that the current row holds a value that does not decode; returns `unavailable`.
  [[nodiscard]] StoreError corrupt(std::string_view column) const;

 private:
  void note_bind(int rc);

  Connection* connection_;
  sqlite3_stmt* stmt_;
  int bind_error_ = 0;
};

/// An open database handle configured for latchkey (WAL, busy timeout, foreign keys).
/// Not thread-safe: the pool gives it to one thread at a time.
class Connection {
 public:
  /// Opens (creating if needed) `file` and applies the connection pragmas.
  /// Fails with a message naming the file when it cannot be opened or is not a database.
  [[nodiscard]] static Result<std::unique_ptr<Connection>, std::string> open(
      const std::filesystem::path& file, std::chrono::milliseconds busy_timeout,
      std::shared_ptr<Logger> logger);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  /// The cached statement for `sql` (prepared on first use), ready to bind.
  /// `sql` must be one statement.
  [[nodiscard]] StoreResult<Statement> prepare(std::string_view sql);
  /// Runs SQL text that may hold several statements and returns no rows (migrations, BEGIN).
  [[nodiscard]] Result<void, std::string> exec(const std::string& sql);
  /// Runs one uncached statement and returns the first column of its first row as text ("" when
  /// there is no row); for PRAGMAs and diagnostics.
  [[nodiscard]] Result<std::string, std::string> query_text(const std::string& sql);
  /// Rows changed by the last INSERT, UPDATE or DELETE.
  [[nodiscard]] std::int64_t changes() const;
  /// True while an explicit transaction is open.
  [[nodiscard]] bool in_transaction() const;
  /// The WAL's size in frames after this connection's last commit, answered once per commit
  /// (0 after that, or with no commit). SQLite's own automatic checkpoint is replaced by this,
  /// so that the pool decides when and where a checkpoint runs.
  [[nodiscard]] int take_committed_wal_frames();
  /// A passive checkpoint: copies what it can without waiting for readers or writers. Returns
  /// the WAL's size in frames (0 when unknown).
  int checkpoint();
  /// A RESTART checkpoint: copies the whole WAL and rewinds it, waiting (up to the busy
  /// timeout) for writers of other processes and for readers. True when it rewound.
  bool restart_wal();
  /// SQLite's message for the last failure on this connection (no bound values in it).
  [[nodiscard]] std::string last_error() const;

  /// Logs a failed call (the SQL text and SQLite's message, never bound values) and maps the
  /// result code: UNIQUE and PRIMARY KEY violations are `conflict`, FOREIGN KEY violations
  /// `not_found` (the referenced row does not exist), anything else `unavailable`.
  StoreError report(int rc, std::string_view sql);
  /// Logs a stored value that does not decode (never the value itself); returns `unavailable`.
  StoreError report_corrupt(std::string_view sql, std::string_view column);

 private:
  Connection(sqlite3* db, std::shared_ptr<Logger> logger);
  [[nodiscard]] Result<void, std::string> configure(std::chrono::milliseconds busy_timeout);
  /// sqlite3_wal_hook's callback: records the WAL size after a commit.
  static int note_wal_size(void* self, sqlite3* db, const char* schema, int frames);

  /// Hashes std::string and std::string_view alike, so a lookup needs no key copy.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const noexcept {
      return std::hash<std::string_view>{}(sql);
    }
  };

  sqlite3* db_;
  std::shared_ptr<Logger> logger_;
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> statements_;
  /// WAL frames after this connection's last commit (set by SQLite's WAL hook).
  int wal_frames_ = 0;
};

}  // namespace latchkey::store::sqlite
