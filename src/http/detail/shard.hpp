#pragma once
// Internal to latchkey_http. One io_context, run by one thread, and the connections it owns.

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <optional>
#include <set>

namespace latchkey::http::detail {

/// A live connection as its shard sees it: enough to close it from outside.
struct ConnectionHandle {
  boost::beast::tcp_stream* tcp = nullptr;
  bool idle = true;  ///< waiting for a request's first byte, so stop() may close it at once
};

/// Only the shard's own thread touches it (connections are attached, detached and closed from
/// handlers running on its io_context), so it needs no lock.
class Shard {
 public:
  Shard();
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  [[nodiscard]] boost::asio::io_context& context() { return ioc_; }
  [[nodiscard]] bool stopping() const { return stopping_; }

  void attach(ConnectionHandle& connection);
  void detach(ConnectionHandle& connection);

  /// Closes idle connections, releases the work guard (so run() returns once the last
  /// connection ends) and closes whatever is still open after `grace`.
  void begin_stop(std::chrono::milliseconds grace);

 private:
  void close_connections(bool idle_only);

  // Declared before ioc_: coroutine frames destroyed with the io_context still detach here.
  std::set<ConnectionHandle*> connections_;
  bool stopping_ = false;
  bool destroying_ = false;
  boost::asio::io_context ioc_{1};
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::steady_timer deadline_;
};

/// Registers a connection with its shard for the lifetime of this object.
class ShardRegistration {
 public:
  ShardRegistration(Shard& shard, ConnectionHandle& handle) : shard_(shard), handle_(handle) {
    shard_.attach(handle_);
  }
  ~ShardRegistration() { shard_.detach(handle_); }
  ShardRegistration(const ShardRegistration&) = delete;
  ShardRegistration& operator=(const ShardRegistration&) = delete;

 private:
  Shard& shard_;
  ConnectionHandle& handle_;
};

}  // namespace latchkey::http::detail
