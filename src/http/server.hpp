#pragma once
// The HTTP/1.1 server: Boost.Beast + Asio behind a Beast-free header. One io_context per I/O
// thread (the acceptor hands connections to them round-robin), a bounded worker pool for
// offloaded routes, explicit limits and timeouts on every connection, optional TLS.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/log.hpp"
#include "core/result.hpp"
#include "http/router.hpp"

namespace latchkey::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  ///< 0 picks an ephemeral port; read it back with Server::port()
  unsigned threads = 0;    ///< I/O threads (one io_context each); 0 = the usable CPUs
  std::size_t header_limit = 16 * 1024;  ///< request line + header fields; more gets 431
  std::size_t body_limit = 64 * 1024;    ///< body bytes (Content-Length or chunked); more gets 413
  /// From a request's first byte (or a new connection, or a TLS handshake) to its end of header.
  std::chrono::milliseconds header_timeout{10000};
  /// An idle keep-alive connection waiting for its next request is closed after this.
  std::chrono::milliseconds idle_timeout{30000};
  /// Reading one request body, and writing one response.
  std::chrono::milliseconds body_timeout{30000};
  /// After stop(): in-flight requests have this long before their connections are closed.
  std::chrono::milliseconds shutdown_timeout{10000};
  /// A connection beyond this many open ones is still accepted, answered 503
  /// temporarily_unavailable (after the TLS handshake, with TLS) without reading its request,
  /// and closed; such short-lived rejections are not counted.
  std::size_t max_connections = 10000;
  /// Threads for offloaded routes; 0 = the usable CPUs (the affinity mask's). A connection has at
  /// most one job queued, so the queue is bounded by max_connections.
  unsigned worker_threads = 0;
  /// The nice value (0..19) of the worker threads: above 0 they yield to the I/O threads, so a
  /// storm of password logins does not slow the routes served on the I/O threads.
  int worker_nice = 5;
  std::optional<std::string> tls_cert_file;  ///< PEM certificate chain; with tls_key_file
  std::optional<std::string> tls_key_file;   ///< PEM private key
};

/// Serves a Router. Construct, listen(), then run() on a thread; stop() from any thread.
/// The router and the access log must outlive the server. A Server runs once.
class Server {
 public:
  Server(ServerOptions options, const Router& router, Logger& access_log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Loads the TLS certificate and key (when configured) and binds the listening socket.
  /// Fails with a message naming what went wrong (bad address, port in use, unreadable PEM).
  [[nodiscard]] Result<void, std::string> listen();

  /// The bound port (useful after listening on port 0); 0 before listen().
  [[nodiscard]] std::uint16_t port() const;

  /// Serves until stop(): blocks the calling thread, which runs the first io_context while
  /// `threads - 1` more threads run the others. Returns at once if listen() did not succeed.
  void run();

  /// Graceful stop, thread-safe and idempotent: stops accepting, closes idle connections, lets
  /// in-flight requests finish (answered with `Connection: close`), closes whatever remains after
  /// shutdown_timeout; run() then returns. An offloaded handler still running is waited for.
  void stop();

  /// Makes SIGINT and SIGTERM call stop(). Call before run().
  void stop_on_signals();

 private:
  class State;
  std::unique_ptr<State> state_;
};

}  // namespace latchkey::http
