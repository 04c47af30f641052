#include "store/sqlite/connection_pool.hpp"

#include <utility>

namespace latchkey::store::sqlite {

ConnectionPool::Lease::Lease(ConnectionPool& pool, std::unique_ptr<Connection> connection)
    : pool_(&pool), connection_(std::move(connection)) {}

ConnectionPool::Lease::~Lease() {
  if (connection_ == nullptr) return;  // moved from
  // A transaction left open by a failed operation must not leak into the next lease.
  if (connection_->in_transaction()) (void)connection_->exec("ROLLBACK");
  pool_->give_back(std::move(connection_));
}

ConnectionPool::ConnectionPool(std::vector<std::unique_ptr<Connection>> connections,
                               std::chrono::milliseconds wait_limit)
    : idle_(std::move(connections)), wait_limit_(wait_limit) {}

StoreResult<ConnectionPool::Lease> ConnectionPool::acquire() {
  std::unique_lock lock(mutex_);
  if (!available_.wait_for(lock, wait_limit_, [this] { return !idle_.empty(); })) {
    return fail(StoreError::unavailable);
  }
  std::unique_ptr<Connection> connection = std::move(idle_.back());
  idle_.pop_back();
  return Lease(*this, std::move(connection));
}

void ConnectionPool::give_back(std::unique_ptr<Connection> connection) {
  {
    const std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
  }
  available_.notify_one();
}

}  // namespace latchkey::store::sqlite
