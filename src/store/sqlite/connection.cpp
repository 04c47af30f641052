#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <utility>

namespace latchkey::store::sqlite {
namespace {

// SQLITE_TRANSIENT spelled without the header's old-style cast: SQLite copies the bound value,
// so callers may bind temporaries. SQLite defines this sentinel as the integer -1.
sqlite3_destructor_type copy_value() {
  return reinterpret_cast<sqlite3_destructor_type>(  // NOLINT(performance-no-int-to-ptr)
      static_cast<std::intptr_t>(-1));
}

// A non-null pointer for empty text and blobs: SQLite binds NULL when given a null pointer.
constexpr char kEmptyText[] = "";
constexpr std::uint8_t kEmptyBlob[1] = {0};

// Connection settings, applied to every connection in the pool:
// - journal_mode=WAL lets readers run beside one writer and lets a CLI process share the file
//   with a running server.
// - synchronous=NORMAL: in WAL mode a commit is durable once it reaches the WAL file, so no
//   committed transaction is lost when the process crashes, and the database cannot be
//   corrupted. The trade-off: the WAL is fsync'ed only at checkpoints, so after a power loss or
//   OS crash the last few commits may roll back (a just-issued token may be forgotten, which
//   costs a user a new login). FULL would fsync on every commit, a large cost on the token path.
// - foreign_keys=ON: SQLite leaves foreign key enforcement off unless asked, per connection.
constexpr const char* kConnectionPragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
constexpr const char* kUseWal = "PRAGMA journal_mode=WAL";

bool is_conflict(int rc) {
  return rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
}

// A row naming a user or client that does not exist (store.hpp: `not_found`).
bool is_missing_reference(int rc) { return rc == SQLITE_CONSTRAINT_FOREIGNKEY; }

int clamp_to_int(std::int64_t value) {
  if (value > std::numeric_limits<int>::max()) return std::numeric_limits<int>::max();
  if (value < 0) return 0;
  return static_cast<int>(value);
}

}  // namespace

// ---- Statement ----

Statement::Statement(Connection& connection, sqlite3_stmt* stmt)
    : connection_(&connection), stmt_(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : connection_(other.connection_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);  // its result repeats the last step's error, already reported
  sqlite3_clear_bindings(stmt_);
}

void Statement::note_bind(int rc) {
  if (rc != SQLITE_OK && bind_error_ == SQLITE_OK) bind_error_ = rc;
}

Statement& Statement::bind_text(int index, std::string_view text) {
  const char* data = text.empty() ? kEmptyText : text.data();
  note_bind(sqlite3_bind_text64(stmt_, index, data, text.size(), copy_value(), SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_int(int index, std::int64_t value) {
  note_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind_bool(int index, bool value) { return bind_int(index, value ? 1 : 0); }

Statement& Statement::bind_blob(int index, std::span<const std::uint8_t> bytes) {
  const std::uint8_t* data = bytes.empty() ? kEmptyBlob : bytes.data();
  note_bind(sqlite3_bind_blob64(stmt_, index, data, bytes.size(), copy_value()));
  return *this;
}

Statement& Statement::bind_null(int index) {
  note_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

StoreResult<bool> Statement::step() {
  if (bind_error_ != SQLITE_OK) return fail(connection_->report(bind_error_, sqlite3_sql(stmt_)));
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(connection_->report(rc, sqlite3_sql(stmt_)));
}

StoreResult<void> Statement::run() {
  auto stepped = step();
  if (!stepped) return fail(stepped.error());
  return {};
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::text(int column) const {
  const unsigned char* data = sqlite3_column_text(stmt_, column);
  if (data == nullptr) return {};
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return {reinterpret_cast<const char*>(data), size};
}

std::int64_t Statement::integer(int column) const { return sqlite3_column_int64(stmt_, column); }

std::vector<std::uint8_t> Statement::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  if (data == nullptr) return {};
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column));
  return {data, data + size};
}

StoreError Statement::corrupt(std::string_view column) const {
  return connection_->report_corrupt(sqlite3_sql(stmt_), column);
}

// ---- Connection ----

Connection::Connection(sqlite3* db, std::shared_ptr<Logger> logger)
    : db_(db), logger_(std::move(logger)) {}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<std::unique_ptr<Connection>, std::string> Connection::open(
    const std::filesystem::path& file, std::chrono::milliseconds busy_timeout,
    std::shared_ptr<Logger> logger) {
  // Before the library initialises (the first open): no memory statistics, which SQLite keeps
  // under a global mutex taken on every allocation and free (measured: 180 mutex entries per
  // code flow, most of them this). Nothing here reads sqlite3_memory_used. Refused with
  // SQLITE_MISUSE if the library was already initialised, which only keeps the statistics.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return fail("cannot open database " + file.string() + ": " + message);
  }
  std::unique_ptr<Connection> connection(new Connection(db, std::move(logger)));
  auto configured = connection->configure(busy_timeout);
  if (!configured) return fail("cannot open database " + file.string() + ": " + configured.error());
  return connection;
}

Result<void, std::string> Connection::configure(std::chrono::milliseconds busy_timeout) {
  sqlite3_extended_result_codes(db_, 1);
  // Set before anything that takes a lock, so a concurrent opener waits instead of failing.
  sqlite3_busy_timeout(db_, clamp_to_int(busy_timeout.count()));
  auto mode = query_text(kUseWal);
  if (!mode) return fail(mode.error());
  if (*mode != "wal") return fail("cannot switch to WAL mode (journal_mode is " + *mode + ")");
  sqlite3_wal_hook(db_, &Connection::note_wal_size, this);
  return exec(kConnectionPragmas);
}

Result<std::string, std::string> Connection::query_text(const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr);
  if (rc != SQLITE_OK) return fail(last_error());
  rc = sqlite3_step(stmt);
  std::string value;
  if (rc == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) value = reinterpret_cast<const char*>(text);
  }
  std::string error = rc == SQLITE_ROW || rc == SQLITE_DONE ? std::string() : last_error();
  sqlite3_finalize(stmt);
  if (!error.empty()) return fail(std::move(error));
  return value;
}

StoreResult<Statement> Connection::prepare(std::string_view sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Statement(*this, found->second);
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v3(db_, sql.data(), clamp_to_int(static_cast<std::int64_t>(sql.size())),
                         SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return fail(report(rc, sql));
  if (stmt == nullptr) return fail(report(SQLITE_MISUSE, sql));  // empty SQL text is a bug
  statements_.emplace(std::string(sql), stmt);
  return Statement(*this, stmt);
}

Result<void, std::string> Connection::exec(const std::string& sql) {
  char* raw_message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &raw_message);
  std::unique_ptr<char, decltype(&sqlite3_free)> message(raw_message, &sqlite3_free);
  if (rc == SQLITE_OK) return {};
  return fail(message ? std::string(message.get()) : std::string(sqlite3_errstr(rc)));
}

int Connection::note_wal_size(void* self, sqlite3* /*db*/, const char* /*schema*/, int frames) {
  static_cast<Connection*>(self)->wal_frames_ = frames;
  return SQLITE_OK;
}

int Connection::take_committed_wal_frames() { return std::exchange(wal_frames_, 0); }

int Connection::checkpoint() {
  // PASSIVE never waits for readers or writers; what it cannot copy now, a later one will.
  int frames = 0;
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &frames, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) (void)report(rc, "PRAGMA wal_checkpoint(PASSIVE)");
  return std::max(frames, 0);
}

bool Connection::restart_wal() {
  const int rc =
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) (void)report(rc, "PRAGMA wal_checkpoint(RESTART)");
  return rc == SQLITE_OK;
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

std::string Connection::last_error() const { return sqlite3_errmsg(db_); }

StoreError Connection::report(int rc, std::string_view sql) {
  const bool conflict = is_conflict(rc);
  const bool missing = is_missing_reference(rc);
  // A conflict (duplicate id) or a missing reference (unknown user) is an expected answer;
  // anything else needs an operator's eye.
  log_event(*logger_, conflict || missing ? spdlog::level::debug : spdlog::level::warn,
            "sqlite call failed", {{"code", rc}, {"error", sqlite3_errmsg(db_)}, {"sql", sql}});
  if (conflict) return StoreError::conflict;
  return missing ? StoreError::not_found : StoreError::unavailable;
}

StoreError Connection::report_corrupt(std::string_view sql, std::string_view column) {
  log_event(*logger_, spdlog::level::err, "stored value does not decode",
            {{"column", column}, {"sql", sql}});
  return StoreError::unavailable;
}

}  // namespace latchkey::store::sqlite
