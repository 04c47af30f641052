#pragma once
// A fixed set of SQLite connections handed out one operation at a time. Internal to the SQLite
// back end: each aggregate store leases a connection, runs its statements and gives it back.
// Writes take the pool's write lock too, so the process's own connections never meet on
// SQLite's write lock: SQLite answers that contention by sleeping (1 ms and up, its busy
// handler), which was most of the code flow's tail latency. Only another process (the CLI)
// can still make a writer wait inside SQLite.
//
// With two connections or more, one of them does every write and nothing else (decision 26).
// SQLite empties a connection's page cache whenever it finds that another connection committed
// since its last transaction; writes passed round the pool found it so every time, and read the
// B-tree pages they touch again with pread (7 a code flow). The only writer of the process
// keeps its cache until another process writes or the WAL restarts.
//
// Group commit (decision 28): a write leased with acquire_group_writer, on a thread with a
// CommitDeferral open, runs inside a transaction that stays open after the lease, and other such
// writes join it. It commits when a caller settles the group (after the requests queued beside
// it had their turn) or when any ordinary write, or a WAL rewind, takes the writer first. A
// caller answers only once its group has committed, so what it answers is durable as before;
// the transaction's locks, its commit and the WAL frames of pages that several writes touch are
// paid once per group instead of once per write.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "core/commit_deferral.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class ConnectionPool {
  class Group;

 public:
  /// Exclusive use of one connection; it goes back to the pool when the Lease is destroyed.
  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection,
          std::unique_lock<std::timed_mutex> write_lock = {}, bool dedicated = false,
          std::shared_ptr<Group> group = nullptr);
    Lease(Lease&& other) noexcept = default;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    [[nodiscard]] Connection& connection() { return *connection_; }
    /// The group commit this lease's writes belong to; null when they commit on their own.
    [[nodiscard]] std::shared_ptr<PendingCommit> group() const;

   private:
    ConnectionPool* pool_;
    std::unique_lock<std::timed_mutex> write_lock_;
    std::unique_ptr<Connection> connection_;
    bool dedicated_;  // the pool's writer_, which goes back there before the write lock
    std::shared_ptr<Group> group_;
  };

  /// Takes ownership of `connections` (at least one; with two or more, the first becomes the
  /// writer and the rest serve reads). A caller waits at most `wait_limit` for a
  /// free connection.
  /// With a `checkpoints` connection, WAL checkpoints run on a Checkpointer thread that uses
  /// it; without one, on the thread whose write lease crossed the threshold, after the write
  /// lock is released.
  ConnectionPool(std::vector<std::unique_ptr<Connection>> connections,
                 std::chrono::milliseconds wait_limit,
                 std::unique_ptr<Connection> checkpoints = nullptr);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  /// Every Lease must have been destroyed first. Commits a group still open.
  ~ConnectionPool();

  /// A free connection for reads; `unavailable` when none came free within the wait limit.
  [[nodiscard]] StoreResult<Lease> acquire();
  /// The connection for a write: one writer at a time in this process. Once the WAL has
  /// grown past kCheckpointPages, the lease's end asks for a checkpoint (see the constructor).
  /// `unavailable` when the lock or a connection is not free within the limit.
  [[nodiscard]] StoreResult<Lease> acquire_writer();
  /// The connection for a write that may join the open group transaction (see the top of this
  /// file), begun here if none is open; Lease::group() is the group, which the caller must see
  /// settled (hand it to a CommitDeferral at once). Without a dedicated writer (a pool of one
  /// connection), an ordinary writer lease, whose writes commit on their own.
  [[nodiscard]] StoreResult<Lease> acquire_group_writer();
  /// Commits the open group, if any, so that a read on another connection sees its writes.
  void flush();

 private:
  /// Locks the turnstile, then the write mutex; an empty lock when the wait limit ran out.
  [[nodiscard]] std::unique_lock<std::timed_mutex> lock_writers();
  /// With write_mutex_ held and writer_ here: commits the open group (rolls back what failed)
  /// and tells its members.
  void finish_group();
  /// An idle connection, waiting up to the wait limit; nullptr when none came free.
  [[nodiscard]] std::unique_ptr<Connection> take_idle();
  void give_back(std::unique_ptr<Connection> connection);
  /// Whether a commit that left the WAL at `wal_frames` should ask for a checkpoint. Asking on
  /// every commit past kCheckpointPages (the WAL is reset only when a writer finds it wholly
  /// copied, which a steady load rarely allows) ran a checkpoint, with its two fsyncs, every
  /// few flows.
  [[nodiscard]] bool checkpoint_due(int wal_frames);

  /// Taken before write_mutex_ and let go once it is held, so that a checkpointer waiting for
  /// the writers queues ahead of the next writer: std::timed_mutex is not fair, and a busy
  /// writer thread took it back again and again (the WAL reached 85 MB in a test).
  std::timed_mutex turnstile_;
  std::timed_mutex write_mutex_;  // both before checkpointer_, which holds them at times
  /// The connection every write uses, while no write holds it; guarded by write_mutex_. Null
  /// when the pool has one connection, which then serves reads and writes alike.
  std::unique_ptr<Connection> writer_;
  /// The group whose transaction is open on writer_; guarded by write_mutex_.
  std::shared_ptr<Group> open_group_;
  std::unique_ptr<Checkpointer> checkpointer_;
  /// The WAL's size when a checkpoint was last asked for.
  std::atomic<int> wal_frames_at_request_{0};
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::chrono::milliseconds wait_limit_;
};

}  // namespace latchkey::store::sqlite
