#include "http/detail/connection.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/commit_deferral.hpp"
#include "http/detail/beast_message.hpp"
#include "http/errors.hpp"
#include "http/security_headers.hpp"

namespace latchkey::http::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
using SteadyClock = std::chrono::steady_clock;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;
using RequestParser = beast_http::request_parser<beast_http::string_body>;

constexpr std::size_t kReadChunk = 4096;
// Lingering close: how much a closing connection drains, and for how long at most.
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kMaxLinger{1000};

enum class Next { keep_alive, close_gracefully, close_now };

// What the access log may say about a request: never the query, a header or the body.
struct AccessLine {
  std::string method;
  std::string path;
  SteadyClock::time_point started = SteadyClock::now();
};

struct Sent {
  bool ok = false;
  int status = 0;
  std::size_t bytes = 0;
};

void log_access(Logger& log, const AccessLine& line, const Sent& sent) {
  const std::chrono::duration<double, std::milli> elapsed = SteadyClock::now() - line.started;
  log_event(log, LogLevel::info, "request",
            {{"method", line.method},
             {"path", line.path},
             {"status", sent.status},
             {"duration_ms", std::round(elapsed.count() * 1000.0) / 1000.0},
             {"bytes", sent.bytes}});
}

std::string remote_address_of(const asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string() : endpoint.address().to_string();
}

std::uint32_t clamp_to_u32(std::size_t n) {
  return static_cast<std::uint32_t>(
      std::min<std::size_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

// RFC 9110 §10.1.1: a server MUST NOT send 100 (Continue) to an HTTP/1.0 client.
bool expects_continue(const BeastRequest& request) {
  return request.version() >= 11 && iequals(request[beast_http::field::expect], "100-continue");
}

auto capture(beast::error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

// Offloaded work (password hashing, rules) yields the CPU to the I/O threads, so a storm of
// logins cannot starve the token endpoint. On Linux setpriority on a thread id sets that
// thread's nice value; done once per worker thread, on its first job. Failing only loses the
// preference.
void lower_worker_priority(int nice) {
  thread_local const bool lowered =
      nice == 0 || setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
  static_cast<void>(lowered);
}

template <class Stream>
class Connection {
 public:
  static constexpr bool kSecure = std::is_same_v<Stream, TlsStream>;

  Connection(Stream& stream, Shard& shard, const ServerContext& context, std::string remote)
      : stream_(stream),
        shard_(shard),
        context_(context),
        options_(context.options),
        remote_(std::move(remote)),
        handle_{&beast::get_lowest_layer(stream), true} {}

  asio::awaitable<void> serve();
  asio::awaitable<void> reject();

 private:
  beast::tcp_stream& tcp() { return beast::get_lowest_layer(stream_); }
  asio::awaitable<bool> handshake();
  asio::awaitable<bool> wait_for_request(bool first);
  asio::awaitable<Next> serve_one();
  asio::awaitable<Next> answer_read_failure(const beast::error_code& ec, const AccessLine& line);
  asio::awaitable<Response> respond(Request& request);
  asio::awaitable<Sent> send(Response response, unsigned version, bool keep_alive, bool head);
  asio::awaitable<void> send_continue(unsigned version);
  asio::awaitable<void> close_gracefully();

  Stream& stream_;
  Shard& shard_;
  const ServerContext& context_;
  const ServerOptions& options_;
  std::string remote_;
  ConnectionHandle handle_;
  beast::flat_buffer buffer_;
};

template <class Stream>
asio::awaitable<void> Connection<Stream>::serve() {
  const ShardRegistration registration(shard_, handle_);
  if (shard_.stopping() || !co_await handshake()) co_return;
  Next next = Next::keep_alive;
  for (bool first = true; next == Next::keep_alive; first = false) {
    if (!co_await wait_for_request(first)) co_return;
    next = co_await serve_one();
  }
  if (next == Next::close_gracefully) co_await close_gracefully();
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::reject() {
  const ShardRegistration registration(shard_, handle_);
  handle_.idle = false;
  if (!co_await handshake()) co_return;
  log_event(context_.access_log, LogLevel::warn, "connection_rejected",
            {{"reason", "max_connections"}});
  const Sent sent = co_await send(service_unavailable(), 11, false, false);
  if (sent.ok) co_await close_gracefully();
}

template <class Stream>
asio::awaitable<bool> Connection<Stream>::handshake() {
  if constexpr (kSecure) {
    beast::error_code ec;
    tcp().expires_after(options_.header_timeout);
    co_await stream_.async_handshake(asio::ssl::stream_base::server, capture(ec));
    co_return !ec;
  } else {
    co_return true;
  }
}

// Waits for the first byte of the next request: the idle phase, which stop() may cut short.
// A new connection gets header_timeout to start talking; a kept-alive one idle_timeout.
template <class Stream>
asio::awaitable<bool> Connection<Stream>::wait_for_request(bool first) {
  if (buffer_.size() > 0) {  // a pipelined request is already here
    handle_.idle = false;
    co_return true;
  }
  if (shard_.stopping()) co_return false;
  handle_.idle = true;
  beast::error_code ec;
  tcp().expires_after(first ? options_.header_timeout : options_.idle_timeout);
  const std::size_t n = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), capture(ec));
  handle_.idle = false;
  if (ec) co_return false;
  buffer_.commit(n);
  co_return true;
}

template <class Stream>
asio::awaitable<Next> Connection<Stream>::serve_one() {
  AccessLine line;
  RequestParser parser;
  parser.header_limit(clamp_to_u32(options_.header_limit));
  parser.body_limit(options_.body_limit);
  beast::error_code ec;
  tcp().expires_after(options_.header_timeout);
  co_await beast_http::async_read_header(stream_, buffer_, parser, capture(ec));
  if (!ec && !parser.is_done()) {
    if (expects_continue(parser.get())) co_await send_continue(parser.get().version());
    tcp().expires_after(options_.body_timeout);
    co_await beast_http::async_read(stream_, buffer_, parser, capture(ec));
  }
  if (parser.is_header_done()) {
    line.method = std::string(parser.get().method_string());
    line.path = std::string(target_path(parser.get().target()));
  }
  if (ec) co_return co_await answer_read_failure(ec, line);
  const unsigned version = parser.get().version();
  const bool wants_keep_alive = parser.get().keep_alive();
  auto request = to_request(parser.release(), remote_, kSecure);
  Response response = request ? Response{} : bad_request(to_string(request.error()));
  if (request) {
    line.path = request->path;
    response = co_await respond(*request);
  }
  const bool head = request && request->method == Method::head;
  const bool keep_alive = wants_keep_alive && !shard_.stopping();
  const Sent sent = co_await send(std::move(response), version, keep_alive, head);
  log_access(context_.access_log, line, sent);
  if (!sent.ok) co_return Next::close_now;
  co_return keep_alive ? Next::keep_alive : Next::close_gracefully;
}

template <class Stream>
asio::awaitable<Next> Connection<Stream>::answer_read_failure(const beast::error_code& ec,
                                                              const AccessLine& line) {
  auto response = transport_error_response(ec);
  if (!response) co_return Next::close_now;
  const Sent sent = co_await send(std::move(*response), 11, false, false);
  log_access(context_.access_log, line, sent);
  co_return sent.ok ? Next::close_gracefully : Next::close_now;
}

template <class Stream>
asio::awaitable<Response> Connection<Stream>::respond(Request& request) {
  auto match = context_.router.match(request.method, request.path);
  if (!match.route) co_return std::move(match.response);
  request.path_params = std::move(match.path_params);
  const Route& route = *match.route;
  Logger& log = context_.access_log;
  if (!should_offload(route.options, request)) {
    // Writes of the handler may join a group commit (decision 28). The answer waits for it, and
    // first the requests already queued on this thread run, so that their writes join it too.
    CommitDeferral deferral;
    Response response = invoke_handler(route, request, log);
    deferral.close();
    if (deferral.pending()) {
      co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      if (!deferral.settle_all()) response = service_unavailable();
    }
    co_return response;
  }
  // The I/O thread stays free while a worker runs the handler; the frame outlives the job.
  co_return co_await asio::co_spawn(
      context_.workers,
      [&route, &request, &log, nice = options_.worker_nice]() -> asio::awaitable<Response> {
        lower_worker_priority(nice);
        co_return invoke_handler(route, request, log);
      },
      asio::use_awaitable);
}

template <class Stream>
asio::awaitable<Sent> Connection<Stream>::send(Response response, unsigned version, bool keep_alive,
                                               bool head) {
  if (!check_response(response)) {
    log_event(context_.access_log, LogLevel::err, "invalid_response",
              {{"reason", "status out of range or unsafe header"}});
  }
  apply_security_headers(response, kSecure);
  Sent sent{false, response.status, 0};
  const WireResponse out = to_wire(std::move(response), version, keep_alive, head);
  sent.bytes = out.body.size();
  beast::error_code ec;
  tcp().expires_after(options_.body_timeout);
  const std::array<asio::const_buffer, 2> buffers = {asio::buffer(out.head),
                                                     asio::buffer(out.body)};
  co_await asio::async_write(stream_, buffers, capture(ec));
  sent.ok = !ec;
  co_return sent;
}

template <class Stream>
asio::awaitable<void> Connection<Stream>::send_continue(unsigned version) {
  beast_http::response<beast_http::empty_body> interim{beast_http::status::continue_, version};
  beast::error_code ec;
  tcp().expires_after(options_.body_timeout);
  co_await beast_http::async_write(stream_, interim, capture(ec));
}

// Closes without destroying the response in flight: closing a socket with unread input makes
// the kernel send RST, which can discard the response at the client, so the client's leftovers
// are drained for a short while first (RFC 9112 §9.6).
template <class Stream>
asio::awaitable<void> Connection<Stream>::close_gracefully() {
  beast::error_code ec;
  tcp().expires_after(std::min(kMaxLinger, options_.header_timeout));
  if constexpr (kSecure) {
    co_await stream_.async_shutdown(capture(ec));
  } else {
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    std::array<char, kReadChunk> sink{};
    std::size_t drained = 0;
    while (!ec && drained < kLingerBytes) {
      drained += co_await tcp().async_read_some(asio::buffer(sink), capture(ec));
    }
  }
  tcp().close();
}

// Gives the connection slot back when the connection ends.
class ActiveConnection {
 public:
  explicit ActiveConnection(std::atomic<std::size_t>* counter) : counter_(counter) {}
  ~ActiveConnection() {
    if (counter_ != nullptr) counter_->fetch_sub(1);
  }
  ActiveConnection(const ActiveConnection&) = delete;
  ActiveConnection& operator=(const ActiveConnection&) = delete;

 private:
  std::atomic<std::size_t>* counter_;
};

template <class Stream>
asio::awaitable<void> run_connection(Stream& stream, Shard& shard, const ServerContext& context,
                                     std::string remote, bool reject) {
  Connection<Stream> connection(stream, shard, context, std::move(remote));
  if (reject) {
    co_await connection.reject();
  } else {
    co_await connection.serve();
  }
}

}  // namespace

asio::awaitable<void> serve_connection(asio::ip::tcp::socket socket, Shard& shard,
                                       const ServerContext& context, asio::ssl::context* tls,
                                       bool reject) {
  const ActiveConnection slot(reject ? nullptr : &context.active_connections);
  try {
    std::string remote = remote_address_of(socket);
    if (tls != nullptr) {
      TlsStream stream(beast::tcp_stream(std::move(socket)), *tls);
      co_await run_connection(stream, shard, context, std::move(remote), reject);
    } else {
      beast::tcp_stream stream(std::move(socket));
      co_await run_connection(stream, shard, context, std::move(remote), reject);
    }
  } catch (const std::exception& e) {
    log_event(context.access_log, LogLevel::err, "connection_error", {{"error", e.what()}});
  }
}

}  // namespace latchkey::http::detail
