#include "store/sqlite/connection_pool.hpp"

#include <utility>

namespace latchkey::store::sqlite {

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection,
                             std::unique_lock<std::timed_mutex> write_lock, bool dedicated)
    : pool_(&pool),
      write_lock_(std::move(write_lock)),
      connection_(std::move(connection)),
      dedicated_(dedicated) {}

ConnectionPool::Lease::~Lease() {
  if (connection_ == nullptr) return;  // moved from
  // A transaction left open by a failed operation must not leak into the next lease.
  if (connection_->in_transaction()) (void)connection_->exec("ROLLBACK");
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
    : checkpointer_(checkpoints ? std::make_unique<Checkpointer>(std::move(checkpoints), turnstile_,
                                                                 write_mutex_)
                                : nullptr),
      idle_(std::move(connections)),
      wait_limit_(wait_limit) {
  if (idle_.size() >= 2) {
    writer_ = std::move(idle_.front());
    idle_.erase(idle_.begin());
  }
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

StoreResult<ConnectionPool::Lease> ConnectionPool::acquire_writer() {
  // Through the turnstile first: a WAL restart waiting there goes before the next writer.
  std::unique_lock turn(turnstile_, std::defer_lock);
  if (!turn.try_lock_for(wait_limit_)) return fail(StoreError::unavailable);
  std::unique_lock write_lock(write_mutex_, std::defer_lock);
  if (!write_lock.try_lock_for(wait_limit_)) return fail(StoreError::unavailable);
  turn.unlock();
  if (writer_) return Lease(*this, std::move(writer_), std::move(write_lock), true);
  auto connection = take_idle();
  if (!connection) return fail(StoreError::unavailable);
  return Lease(*this, std::move(connection), std::move(write_lock));
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
