#include "http/detail/shard.hpp"

#include <vector>

namespace latchkey::http::detail {

Shard::Shard() : work_(boost::asio::make_work_guard(ioc_)), deadline_(ioc_) {}

Shard::~Shard() { destroying_ = true; }

void Shard::attach(ConnectionHandle& connection) { connections_.insert(&connection); }

void Shard::detach(ConnectionHandle& connection) {
  connections_.erase(&connection);
  if (stopping_ && !destroying_ && connections_.empty()) deadline_.cancel();
}

void Shard::begin_stop(std::chrono::milliseconds grace) {
  if (stopping_) return;
  stopping_ = true;
  work_.reset();
  close_connections(true);
  if (connections_.empty()) return;
  deadline_.expires_after(grace);
  deadline_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) close_connections(false);
  });
}

void Shard::close_connections(bool idle_only) {
  // Copy first: closing only schedules completions, but keep the loop independent of that.
  const std::vector<ConnectionHandle*> snapshot(connections_.begin(), connections_.end());
  for (ConnectionHandle* connection : snapshot) {
    if (!idle_only || connection->idle) connection->tcp->close();
  }
}

}  // namespace latchkey::http::detail
