#pragma once
// A thread with its own connection that checkpoints the WAL when asked. A checkpoint copies
// pages into the database file and syncs it, milliseconds on a busy disk; run by the request
// that crossed the threshold, it held up every other connection of that I/O thread, which was
// the code flow's p99. Internal to the SQLite back end.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace latchkey::store::sqlite {

/// The WAL size, in frames, past which a checkpoint also rewinds the WAL (about 16 MiB).
inline constexpr int kRestartPages = 4 * kCheckpointPages;

class Checkpointer {
 public:
  /// `turnstile` and `write_mutex` are the pool's (see ConnectionPool::acquire_writer): both are
  /// held while the WAL is rewound, so that no writer of this process appends meanwhile.
  /// `finish_writes` runs with them held, first: it commits a transaction the pool's writer
  /// left open (a group commit), which would otherwise hold the rewind up.
  Checkpointer(std::unique_ptr<Connection> connection, std::timed_mutex& turnstile,
               std::timed_mutex& write_mutex, std::function<void()> finish_writes);
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  /// Finishes a checkpoint under way and stops.
  ~Checkpointer();

  /// Asks for a passive checkpoint soon; never waits. Requests made while one is pending merge.
  void request();

 private:
  void loop();
  /// A passive checkpoint; then, once the WAL has grown past kRestartPages, a restart.
  void checkpoint();

  std::unique_ptr<Connection> connection_;
  std::timed_mutex& turnstile_;
  std::timed_mutex& write_mutex_;
  std::function<void()> finish_writes_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace latchkey::store::sqlite
