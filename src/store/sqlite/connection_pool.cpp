#include "store/sqlite/connection_pool.hpp"

#include <atomic>
#include <utility>

#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {

// The writes of one open transaction on the pool's writer. Its state changes under the pool's
// write mutex; settle() reads it without, once it is final.
class ConnectionPool::Group final : public PendingCommit {
 public:
  enum class State { open, committed, failed };

  explicit Group(ConnectionPool& pool) : pool_(pool) {}

  bool settle() override {
    if (const State now = state.load(std::memory_order_acquire); now != State::open) {
      return now == State::committed;
    }
    // Taking the writer commits the open group, this one unless another write did already.
    auto lease = pool_.acquire_writer();
    return lease && state.load(std::memory_order_acquire) == State::committed;
  }

  std::atomic<State> state{State::open};

 private:
  ConnectionPool& pool_;
};

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection,
                             std::unique_lock<std::timed_mutex> write_lock, bool dedicated,
                             std::shared_ptr<Group> group)
    : pool_(&pool),
      write_lock_(std::move(write_lock)),
      connection_(std::move(connection)),
      dedicated_(dedicated),
      group_(std::move(group)) {}

std::shared_ptr<PendingCommit> ConnectionPool::Lease::group() const { return group_; }

ConnectionPool::Lease::~Lease() {
  if (connection_ == nullptr) return;  // moved from
  if (group_) {
    // The group's transaction stays open for the next write, unless a failure ended it (SQLite
    // rolls the whole transaction back on some errors): then every member's write is lost.
    if (!connection_->in_transaction() && pool_->open_group_ == group_) {
      group_->state.store(Group::State::failed, std::memory_order_release);
      pool_->open_group_.reset();
    }
  } else if (connection_->in_transaction()) {
    // A transaction left open by a failed operation must not leak into the next lease.
    (void)connection_->exec("ROLLBACK");
  }
  const bool checkpoint = pool_->checkpoint_due(connection_->take_committed_wal_frames());
  if (checkpoint && !pool_->checkpointer_) {
    // No thread of its own: this lease runs it, the writer's still under the write lock.
    connection_->checkpoint();
  }
  if (dedicated_) pool_->writer_ = std::move(connection_);
  if (write_lock_.owns_lock()) write_lock_.unlock();
  // Outside the write lock: a checkpoint copies pages and syncs files, and the next writer
  // need not wait for it (WAL lets a writer append while a passive checkpoint runs).
  if (checkpoint && pool_->checkpointer_) pool_->checkpointer_->request();
  if (connection_) pool_->give_back(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> connections,
                               std::chrono::milliseconds wait_limit,
                               std::unique_ptr<Connection> checkpoints)
    : checkpointer_(checkpoints
                        ? std::make_unique<Checkpointer>(std::move(checkpoints), turnstile_,
                                                         write_mutex_, [this] { finish_group(); })
                        : nullptr),
      idle_(std::move(connections)),
      wait_limit_(wait_limit) {
  if (idle_.size() >= 2) {
    writer_ = std::move(idle_.front());
    idle_.erase(idle_.begin());
  }
}

ConnectionPool::~ConnectionPool() {
  const std::lock_guard lock(write_mutex_);
  finish_group();
}

void ConnectionPool::finish_group() {
  if (!open_group_ || !writer_) return;
  const bool committed =
      writer_->in_transaction() && static_cast<bool>(execute_on(*writer_, kCommit, bind_nothing));
  if (!committed && writer_->in_transaction()) (void)writer_->exec("ROLLBACK");
  open_group_->state.store(committed ? Group::State::committed : Group::State::failed,
                           std::memory_order_release);
  open_group_.reset();
}

bool ConnectionPool::checkpoint_due(int wal_frames) {
  if (wal_frames < kCheckpointPages) return false;
  int last = wal_frames_at_request_.load(std::memory_order_relaxed);
  // Due when the WAL grew by kCheckpointPages since the last request, or was restarted (it is
  // smaller than then) and grew past kCheckpointPages again.
  if (wal_frames >= last && wal_frames - last < kCheckpointPages) return false;
  // One lease wins the request; a concurrent one sees the new mark and stays quiet.
  return wal_frames_at_request_.compare_exchange_strong(last, wal_frames,
                                                        std::memory_order_relaxed);
}

StoreResult<ConnectionPool::Lease> ConnectionPool::acquire() {
  auto connection = take_idle();
  if (!connection) return fail(StoreError::unavailable);
  return Lease(*this, std::move(connection));
}

std::unique_lock<std::timed_mutex> ConnectionPool::lock_writers() {
  // Through the turnstile first: a WAL restart waiting there goes before the next writer.
  std::unique_lock turn(turnstile_, std::defer_lock);
  if (!turn.try_lock_for(wait_limit_)) return {};
  std::unique_lock write_lock(write_mutex_, std::defer_lock);
  if (!write_lock.try_lock_for(wait_limit_)) return {};
  return write_lock;
}

StoreResult<ConnectionPool::Lease> ConnectionPool::acquire_writer() {
  auto write_lock = lock_writers();
  if (!write_lock.owns_lock()) return fail(StoreError::unavailable);
  if (writer_) {
    finish_group();  // an ordinary write comes after the group's, which commit first
    return Lease(*this, std::move(writer_), std::move(write_lock), true);
  }
  auto connection = take_idle();
  if (!connection) return fail(StoreError::unavailable);
  return Lease(*this, std::move(connection), std::move(write_lock));
}

StoreResult<ConnectionPool::Lease> ConnectionPool::acquire_group_writer() {
  auto write_lock = lock_writers();
  if (!write_lock.owns_lock()) return fail(StoreError::unavailable);
  if (!writer_) {
    auto connection = take_idle();
    if (!connection) return fail(StoreError::unavailable);
    return Lease(*this, std::move(connection), std::move(write_lock));
  }
  if (!open_group_) {
    if (auto begun = execute_on(*writer_, kBeginImmediate, bind_nothing); !begun) {
      return fail(begun.error());
    }
    open_group_ = std::make_shared<Group>(*this);
  }
  return Lease(*this, std::move(writer_), std::move(write_lock), true, open_group_);
}

void ConnectionPool::flush() {
  const auto lease = acquire_writer();
  static_cast<void>(lease);
}

std::unique_ptr<Connection> ConnectionPool::take_idle() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, wait_limit_, [this] { return !idle_.empty(); })) return nullptr;
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return connection;
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  {
    const std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace latchkey::store::sqlite
