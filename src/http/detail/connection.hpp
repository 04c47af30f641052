#pragma once
// Internal to latchkey_http: the per-connection coroutine.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstddef>

#include "core/log.hpp"
#include "http/detail/shard.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace latchkey::http::detail {

/// What every connection needs; owned by the Server and outlives every connection.
struct ServerContext {
  const ServerOptions& options;
  const Router& router;
  Logger& access_log;
  boost::asio::thread_pool& workers;
  std::atomic<std::size_t>& active_connections;
};

/// Serves one accepted connection until it closes. With `tls`, performs the server handshake
/// first. With `reject`, answers 503 without reading a request and closes (the server is full);
/// otherwise the caller has counted the connection in active_connections and this uncounts it.
/// Never throws.
boost::asio::awaitable<void> serve_connection(boost::asio::ip::tcp::socket socket, Shard& shard,
                                              const ServerContext& context,
                                              boost::asio::ssl::context* tls, bool reject);

}  // namespace latchkey::http::detail
