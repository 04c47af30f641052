#pragma once
// One keep-alive HTTP/1.1 connection driven by a C++20 coroutine (Boost.Beast + Asio). Each
// request is bounded by the timeout; a connection the server closed is reopened once.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace latchkey::loadgen {

struct HttpRequest {
  bool post = false;
  std::string target;  ///< path and query
  std::string content_type;
  std::string authorization;  ///< the Authorization header value, when not empty
  std::string cookie;         ///< the Cookie header value, when not empty
  std::string accept = "application/json";
  std::string body;
};

struct HttpResponse {
  int status = 0;
  std::string location;
  std::vector<std::string> set_cookies;
  std::string body;
};

/// Why a request got no response: the kinds the report groups errors by.
struct RequestFailure {
  enum class Kind { connect, timeout, io };
  Kind kind = Kind::io;
  std::string message;  ///< never holds a header value or a body
  /// The connection was found closed before any response byte: safe to send again.
  bool retryable = false;
};

/// The error-kind name of a failure ("connect", "timeout", "io: ...").
[[nodiscard]] std::string kind_name(const RequestFailure& failure);

class HttpConnection {
 public:
  /// `endpoints` are the server's resolved addresses; `host` is the Host header.
  HttpConnection(boost::asio::any_io_executor executor,
                 std::vector<boost::asio::ip::tcp::endpoint> endpoints, std::string host,
                 std::chrono::milliseconds timeout);

  /// Sends `request` and reads the whole response (bodies up to 4 MiB).
  boost::asio::awaitable<Result<HttpResponse, RequestFailure>> send(const HttpRequest& request);

  void close();

 private:
  boost::asio::awaitable<Result<void, RequestFailure>> connect();
  boost::asio::awaitable<Result<HttpResponse, RequestFailure>> exchange(const HttpRequest& request);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::vector<boost::asio::ip::tcp::endpoint> endpoints_;
  std::string host_;
  std::chrono::milliseconds timeout_;
  bool open_ = false;
};

}  // namespace latchkey::loadgen
