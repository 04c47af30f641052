#include "http/server.hpp"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <exception>
#include <thread>
#include <vector>

#include "http/detail/connection.hpp"
#include "http/detail/shard.hpp"

namespace latchkey::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

// The CPUs this thread may run on: its affinity mask, which `taskset` and a cgroup cpuset
// narrow. std::thread::hardware_concurrency counts every online CPU instead, and a server
// pinned to one core then ran two I/O threads that took the core from each other mid-request
// (the RS256 code flow cost 5-7% more CPU than with one; bench/README.md).
unsigned usable_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0) {
    return static_cast<unsigned>(CPU_COUNT(&set));
  }
  return std::max(1U, std::thread::hardware_concurrency());
}

unsigned or_usable_cpus(unsigned n) { return n != 0 ? n : usable_cpus(); }

Result<void, std::string> load_tls(asio::ssl::context& tls, const std::string& cert_file,
                                   const std::string& key_file) {
  boost::system::error_code ec;
  tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                      asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                      asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                  ec);
  if (ec) return fail("cannot configure TLS: " + ec.message());
  tls.use_certificate_chain_file(cert_file, ec);
  if (ec) return fail("cannot load TLS certificate '" + cert_file + "': " + ec.message());
  tls.use_private_key_file(key_file, asio::ssl::context::pem, ec);
  if (ec) return fail("cannot load TLS private key '" + key_file + "': " + ec.message());
  return {};
}

// Keeps the I/O thread alive through a stray exception (a bug), logging it.
void run_shard(detail::Shard& shard, Logger& log) {
  for (;;) {
    try {
      shard.context().run();
      return;
    } catch (const std::exception& e) {
      log_event(log, LogLevel::err, "io_thread_exception", {{"error", e.what()}});
    }
  }
}

}  // namespace

// Member order matters for destruction: the TLS context and the connection counter outlive the
// shards (whose io_contexts may still destroy connection frames), and the worker pool, acceptor
// and signal set go before the shards whose executors they use.
class Server::State {
 public:
  State(ServerOptions server_options, const Router& server_router, Logger& log)
      : options(std::move(server_options)),
        router(server_router),
        access_log(log),
        workers(or_usable_cpus(options.worker_threads)),
        context{options, router, access_log, workers, active_connections} {
    const unsigned threads = or_usable_cpus(options.threads);
    for (unsigned i = 0; i < threads; ++i) shards.push_back(std::make_unique<detail::Shard>());
  }

  asio::awaitable<void> accept_loop();
  void hand_over(tcp::socket socket, detail::Shard& shard);

  ServerOptions options;
  const Router& router;
  Logger& access_log;
  std::optional<asio::ssl::context> tls;
  std::atomic<std::size_t> active_connections{0};
  std::atomic<bool> stopping{false};
  std::uint16_t port = 0;
  std::vector<std::unique_ptr<detail::Shard>> shards;
  asio::thread_pool workers;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::signal_set> signals;
  detail::ServerContext context;
};

asio::awaitable<void> Server::State::accept_loop() {
  std::size_t next = 0;
  while (!stopping.load()) {
    detail::Shard& shard = *shards[next++ % shards.size()];
    boost::system::error_code ec;
    tcp::socket socket =
        co_await acceptor->async_accept(asio::any_io_executor(shard.context().get_executor()),
                                        asio::redirect_error(asio::use_awaitable, ec));
    if (stopping.load() || !acceptor->is_open()) co_return;
    if (ec) {  // e.g. out of file descriptors: back off instead of spinning
      log_event(access_log, LogLevel::warn, "accept_failed", {{"error", ec.message()}});
      asio::steady_timer pause(acceptor->get_executor(), kAcceptRetryDelay);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    hand_over(std::move(socket), shard);
  }
}

// Beyond max_connections a connection is still accepted, answered 503 and closed, so the
// client learns why; such connections are short-lived and not counted.
void Server::State::hand_over(tcp::socket socket, detail::Shard& shard) {
  const bool reject = active_connections.fetch_add(1) >= options.max_connections;
  if (reject) active_connections.fetch_sub(1);
  asio::ssl::context* tls_context = tls ? &*tls : nullptr;
  asio::co_spawn(shard.context(),
                 detail::serve_connection(std::move(socket), shard, context, tls_context, reject),
                 [this](const std::exception_ptr& error) {
                   if (error) log_event(access_log, LogLevel::err, "connection_failed");
                 });
}

Server::Server(ServerOptions options, const Router& router, Logger& access_log)
    : state_(std::make_unique<State>(std::move(options), router, access_log)) {}

Server::~Server() = default;

Result<void, std::string> Server::listen() {
  State& s = *state_;
  if (s.options.tls_cert_file.has_value() != s.options.tls_key_file.has_value()) {
    return fail(std::string("TLS needs both a certificate file and a key file"));
  }
  if (s.options.tls_cert_file) {
    s.tls.emplace(asio::ssl::context::tls_server);
    auto loaded = load_tls(*s.tls, *s.options.tls_cert_file, *s.options.tls_key_file);
    if (!loaded) return loaded;
  }
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(s.options.address, ec);
  if (ec) return fail("invalid listen address '" + s.options.address + "': " + ec.message());
  const tcp::endpoint endpoint(address, s.options.port);
  auto& acceptor = s.acceptor.emplace(s.shards.front()->context());
  if (acceptor.open(endpoint.protocol(), ec); ec)
    return fail("cannot open socket: " + ec.message());
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec) {
    return fail("cannot bind " + s.options.address + ":" + std::to_string(s.options.port) + ": " +
                ec.message());
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    return fail("cannot listen: " + ec.message());
  }
  s.port = acceptor.local_endpoint(ec).port();
  return {};
}

std::uint16_t Server::port() const { return state_->port; }

void Server::run() {
  State& s = *state_;
  if (!s.acceptor || !s.acceptor->is_open()) {
    log_event(s.access_log, LogLevel::err, "server_not_listening");
    return;
  }
  asio::co_spawn(s.shards.front()->context(), s.accept_loop(), [&s](std::exception_ptr error) {
    if (error) log_event(s.access_log, LogLevel::err, "accept_loop_failed");
  });
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < s.shards.size(); ++i) {
    threads.emplace_back([&s, i] { run_shard(*s.shards[i], s.access_log); });
  }
  run_shard(*s.shards.front(), s.access_log);
  for (auto& thread : threads) thread.join();
  s.workers.join();
}

void Server::stop() {
  State& s = *state_;
  if (s.stopping.exchange(true)) return;
  asio::post(s.shards.front()->context(), [&s] {
    boost::system::error_code ec;
    if (s.acceptor) s.acceptor->close(ec);
    if (s.signals) s.signals->cancel(ec);
  });
  for (auto& shard : s.shards) {
    asio::post(shard->context(),
               [&s, raw = shard.get()] { raw->begin_stop(s.options.shutdown_timeout); });
  }
}

void Server::stop_on_signals() {
  State& s = *state_;
  auto& signals = s.signals.emplace(s.shards.front()->context(), SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int) {
    if (!ec) stop();
  });
}

}  // namespace latchkey::http
