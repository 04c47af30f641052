#include "http/client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <utility>

namespace latchkey::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using Tcp = asio::ip::tcp;
using BeastRequest = beast_http::request<beast_http::string_body>;
using BeastResponse = beast_http::response<beast_http::string_body>;
using Outcome = Result<ClientResponse, ClientError>;
using Kind = ClientError::Kind;

constexpr std::size_t kHeaderLimit = 64 * 1024;
constexpr std::string_view kUserAgent = "latchkey-http-client";
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded";

/// What the client needs from a URL. `host` is what to resolve (an IPv6 literal without
/// brackets); `authority` is the Host header (RFC 9110 §7.2).
struct Url {
  bool tls = false;
  std::string host;
  std::string port;
  std::string authority;
  std::string target;
};

ClientError client_error(Kind kind, std::string message) {
  return ClientError{kind, std::move(message)};
}

/// An empty port (the scheme's default) or a decimal number in 1..65535.
bool valid_port(std::string_view port) {
  if (port.empty()) return true;
  if (port.size() > 5) return false;
  unsigned value = 0;
  for (const char c : port) value = value * 10 + static_cast<unsigned>(c - '0');
  return value >= 1 && value <= 65535;
}

Result<Url, ClientError> parse_url(const std::string& text) {
  const auto parsed = boost::urls::parse_uri(text);
  if (!parsed) return fail(client_error(Kind::bad_url, "not an absolute URL"));
  const auto& url = *parsed;
  const bool tls = url.scheme_id() == boost::urls::scheme::https;
  if (!tls && url.scheme_id() != boost::urls::scheme::http) {
    return fail(client_error(Kind::bad_url, "the scheme must be http or https"));
  }
  if (!url.has_authority() || url.encoded_host().empty()) {
    return fail(client_error(Kind::bad_url, "the URL has no host"));
  }
  if (url.has_userinfo()) {
    return fail(client_error(Kind::bad_url, "credentials in the URL are not supported"));
  }
  if (!valid_port(url.port())) {
    return fail(client_error(Kind::bad_url, "bad port"));
  }
  Url out;
  out.tls = tls;
  const bool ip_literal = url.host_type() == boost::urls::host_type::ipv6 ||
                          url.host_type() == boost::urls::host_type::ipv4;
  out.host = ip_literal ? std::string(url.host_address()) : std::string(url.encoded_host());
  out.port = url.port().empty() ? (tls ? "443" : "80") : std::string(url.port());
  out.authority = std::string(url.encoded_host_and_port());
  out.target = url.encoded_path().empty() ? "/" : std::string(url.encoded_path());
  if (url.has_query()) out.target += "?" + std::string(url.encoded_query());
  return out;
}

bool is_transport_owned(std::string_view name) {
  return iequals(name, "Host") || iequals(name, "Content-Length") || iequals(name, "Connection") ||
         iequals(name, "Transfer-Encoding");
}

Result<BeastRequest, ClientError> to_beast(const ClientRequest& request, const Url& url) {
  if (request.method == Method::other) {
    return fail(client_error(Kind::protocol, "unsupported request method"));
  }
  if (!request.headers.valid()) {
    return fail(client_error(Kind::protocol, "a request header is not a valid field"));
  }
  BeastRequest out{beast_http::string_to_verb(method_name(request.method)), url.target, 11};
  for (const auto& [name, value] : request.headers.fields()) {
    if (!is_transport_owned(name)) out.insert(name, value);
  }
  out.set(beast_http::field::host, url.authority);
  out.set(beast_http::field::connection, "close");
  if (!request.headers.contains("User-Agent")) out.set(beast_http::field::user_agent, kUserAgent);
  out.body() = request.body;
  out.prepare_payload();
  return out;
}

ClientResponse from_beast(BeastResponse&& response) {
  ClientResponse out;
  out.status = static_cast<int>(response.result_int());
  for (const auto& field : response) out.headers.add(field.name_string(), field.value());
  out.body = std::move(response.body());
  return out;
}

ClientError read_error(const beast::error_code& ec) {
  if (ec == beast_http::error::body_limit) {
    return client_error(Kind::too_large, "the response body is over the limit");
  }
  if (ec == beast_http::error::header_limit) {
    return client_error(Kind::too_large, "the response header is over the limit");
  }
  return client_error(Kind::protocol, "reading the response failed: " + ec.message());
}

/// Writes the request and reads the whole response from a connected (and handshaken) stream.
template <class Stream>
asio::awaitable<Outcome> exchange(Stream& stream, BeastRequest& request, std::size_t body_limit) {
  beast::error_code ec;
  co_await beast_http::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
  if (ec)
    co_return fail(client_error(Kind::protocol, "writing the request failed: " + ec.message()));
  beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.header_limit(kHeaderLimit);
  parser.body_limit(body_limit);
  // A response to HEAD has no body whatever its Content-Length says (RFC 9110 §9.3.2).
  parser.skip(request.method() == beast_http::verb::head);
  co_await beast_http::async_read(stream, buffer, parser,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail(read_error(ec));
  co_return from_beast(parser.release());
}

asio::awaitable<Result<Tcp::resolver::results_type, ClientError>> resolve(const Url& url) {
  Tcp::resolver resolver(co_await asio::this_coro::executor);
  beast::error_code ec;
  auto endpoints = co_await resolver.async_resolve(url.host, url.port,
                                                   asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail(client_error(Kind::resolve, "cannot resolve " + url.host));
  co_return endpoints;
}

/// Connects `socket` to one of the host's addresses, trying each in turn.
asio::awaitable<Result<void, ClientError>> connect(Tcp::socket& socket, const Url& url) {
  auto endpoints = co_await resolve(url);
  if (!endpoints) co_return fail(endpoints.error());
  beast::error_code ec;
  co_await asio::async_connect(socket, *endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    co_return fail(
        client_error(Kind::connect, "connect to " + url.authority + " failed: " + ec.message()));
  }
  co_return Result<void, ClientError>{};
}

asio::awaitable<Outcome> send_plain(const Url& url, BeastRequest& request, std::size_t limit) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  auto connected = co_await connect(stream.socket(), url);
  if (!connected) co_return fail(connected.error());
  co_return co_await exchange(stream, request, limit);
}

asio::awaitable<Outcome> send_tls(const Url& url, BeastRequest& request, std::size_t limit,
                                  ssl::context& context) {
  beast::ssl_stream<beast::tcp_stream> stream(co_await asio::this_coro::executor, context);
  auto connected = co_await connect(beast::get_lowest_layer(stream).socket(), url);
  if (!connected) co_return fail(connected.error());
  beast::error_code ec;
  asio::ip::make_address(url.host, ec);
  // SNI carries a DNS name, never an IP literal (RFC 6066 §3).
  // (SSL_set_tlsext_host_name spelled out: the macro casts in C style.)
  if (ec && SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME,
                     TLSEXT_NAMETYPE_host_name, const_cast<char*>(url.host.c_str())) != 1) {
    co_return fail(client_error(Kind::tls, "cannot set the TLS server name"));
  }
  // RFC 9110 §4.3.4: the certificate must match the host the client meant to reach.
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return fail(client_error(Kind::tls, "TLS handshake failed: " + ec.message()));
  co_return co_await exchange(stream, request, limit);
}

asio::awaitable<void> drive(const Url& url, BeastRequest& request, std::size_t limit,
                            ssl::context& context, std::optional<Outcome>& outcome) {
  // Two statements, not a conditional expression: GCC 12 mishandles co_await inside ?:.
  if (url.tls) {
    outcome = co_await send_tls(url, request, limit, context);
  } else {
    outcome = co_await send_plain(url, request, limit);
  }
}

/// A client TLS context that verifies the peer against `ca_file` or the system's CAs.
Result<void, ClientError> configure_tls(ssl::context& context, const ClientOptions& options) {
  beast::error_code ec;
  context.set_verify_mode(ssl::verify_peer, ec);
  if (!ec && options.ca_file) context.load_verify_file(*options.ca_file, ec);
  if (!ec && !options.ca_file) context.set_default_verify_paths(ec);
  if (ec) return fail(client_error(Kind::tls, "cannot load the trusted CAs: " + ec.message()));
  return {};
}

}  // namespace

Client::Client(ClientOptions options) : options_(std::move(options)) {}

Result<ClientResponse, ClientError> Client::send(const ClientRequest& request) const {
  auto url = parse_url(request.url);
  if (!url) return fail(url.error());
  auto beast_request = to_beast(request, *url);
  if (!beast_request) return fail(beast_request.error());
  ssl::context tls_context(ssl::context::tls_client);
  if (url->tls) {
    auto configured = configure_tls(tls_context, options_);
    if (!configured) return fail(configured.error());
  }
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  std::optional<Outcome> outcome;
  {
    // Leaving this scope on a timeout destroys the pending operations, which closes the
    // connection; everything the coroutine refers to outlives `io`.
    asio::io_context io;
    asio::co_spawn(io, drive(*url, *beast_request, options_.body_limit, tls_context, outcome),
                   [&outcome](const std::exception_ptr& error) {
                     if (error) outcome = fail(client_error(Kind::protocol, "internal error"));
                   });
    io.run_until(deadline);
  }
  if (!outcome) return fail(client_error(Kind::timeout, "no complete response within the timeout"));
  return std::move(*outcome);
}

Result<ClientResponse, ClientError> Client::get(const std::string& url, Headers headers) const {
  return send(ClientRequest{Method::get, url, std::move(headers), {}});
}

Result<ClientResponse, ClientError> Client::post_form(const std::string& url, const Params& form,
                                                      Headers headers) const {
  headers.set("Content-Type", kFormContentType);
  return send(ClientRequest{Method::post, url, std::move(headers), form.encode()});
}

}  // namespace latchkey::http
