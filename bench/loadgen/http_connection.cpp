#include "http_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http.hpp>

namespace latchkey::loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

constexpr auto kUseTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::uint64_t kBodyLimit = 4 * 1024 * 1024;

RequestFailure failure_of(const boost::system::error_code& error, RequestFailure::Kind kind) {
  if (error == beast::error::timeout) return {RequestFailure::Kind::timeout, "timeout"};
  return {kind, error.message()};
}

// A keep-alive connection the server closed while idle fails on its next use with one of
// these before any response byte; such a request is safe to send again on a new connection.
bool is_stale_connection(const boost::system::error_code& error) {
  return error == bhttp::error::end_of_stream || error == asio::error::eof ||
         error == asio::error::connection_reset || error == asio::error::broken_pipe;
}

bhttp::request<bhttp::string_body> to_beast(const HttpRequest& request, const std::string& host) {
  bhttp::request<bhttp::string_body> out{request.post ? bhttp::verb::post : bhttp::verb::get,
                                         request.target, 11};
  out.set(bhttp::field::host, host);
  out.set(bhttp::field::user_agent, "latchkey-loadgen");
  out.set(bhttp::field::accept, request.accept);
  if (!request.authorization.empty()) out.set(bhttp::field::authorization, request.authorization);
  if (!request.cookie.empty()) out.set(bhttp::field::cookie, request.cookie);
  if (request.post) {
    out.set(bhttp::field::content_type, request.content_type);
    out.body() = request.body;
    out.prepare_payload();
  }
  out.keep_alive(true);
  return out;
}

HttpResponse from_beast(bhttp::response<bhttp::string_body>&& response) {
  HttpResponse out;
  out.status = static_cast<int>(response.result_int());
  if (const auto location = response.find(bhttp::field::location); location != response.end()) {
    out.location = std::string(location->value());
  }
  for (auto [it, end] = response.equal_range(bhttp::field::set_cookie); it != end; ++it) {
    out.set_cookies.emplace_back(it->value());
  }
  out.body = std::move(response.body());
  return out;
}

}  // namespace

std::string kind_name(const RequestFailure& failure) {
  switch (failure.kind) {
    case RequestFailure::Kind::connect:
      return "connect";
    case RequestFailure::Kind::timeout:
      return "timeout";
    case RequestFailure::Kind::io:
      break;
  }
  return "io: " + failure.message;
}

HttpConnection::HttpConnection(asio::any_io_executor executor,
                               std::vector<asio::ip::tcp::endpoint> endpoints, std::string host,
                               std::chrono::milliseconds timeout)
    : stream_(std::move(executor)),
      endpoints_(std::move(endpoints)),
      host_(std::move(host)),
      timeout_(timeout) {}

void HttpConnection::close() {
  boost::system::error_code ignored;
  stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
  buffer_.clear();
  open_ = false;
}

asio::awaitable<Result<void, RequestFailure>> HttpConnection::connect() {
  stream_.expires_after(timeout_);
  auto [error, endpoint] = co_await stream_.async_connect(endpoints_, kUseTuple);
  if (error) co_return fail(failure_of(error, RequestFailure::Kind::connect));
  stream_.socket().set_option(asio::ip::tcp::no_delay(true));
  open_ = true;
  co_return Result<void, RequestFailure>{};
}

asio::awaitable<Result<HttpResponse, RequestFailure>> HttpConnection::send(
    const HttpRequest& request) {
  const bool reused = open_;
  if (!open_) {
    auto connected = co_await connect();
    if (!connected) co_return fail(connected.error());
  }
  auto response = co_await exchange(request);
  if (!response && reused && response.error().retryable) {
    close();  // the server dropped the idle connection: one fresh attempt
    auto connected = co_await connect();
    if (!connected) co_return fail(connected.error());
    response = co_await exchange(request);
  }
  co_return response;
}

asio::awaitable<Result<HttpResponse, RequestFailure>> HttpConnection::exchange(
    const HttpRequest& request) {
  auto message = to_beast(request, host_);
  stream_.expires_after(timeout_);
  auto [write_error, written] = co_await bhttp::async_write(stream_, message, kUseTuple);
  if (write_error) {
    close();
    auto failure = failure_of(write_error, RequestFailure::Kind::io);
    failure.retryable = is_stale_connection(write_error);
    co_return fail(std::move(failure));
  }
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(kBodyLimit);
  auto [read_error, read] = co_await bhttp::async_read(stream_, buffer_, parser, kUseTuple);
  if (read_error) {
    close();
    auto failure = failure_of(read_error, RequestFailure::Kind::io);
    failure.retryable = is_stale_connection(read_error) && read == 0;
    co_return fail(std::move(failure));
  }
  const bool keep_alive = parser.get().keep_alive();
  auto response = from_beast(parser.release());
  if (!keep_alive) close();
  co_return response;
}

}  // namespace latchkey::loadgen
