// latchkey-loadgen: drives an OAuth 2.0 / OpenID Connect provider on loopback with N keep-alive
// connections per scenario and reports throughput, latency, errors and the server's CPU and
// memory. See README.md.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <exception>
#include <fstream>
#include <iostream>
#include <mutex>
#include <thread>

#include "flows.hpp"
#include "runner.hpp"

namespace latchkey::loadgen {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;
constexpr int kExitHardStop = 3;

// Ends the process if the whole run outlives its bound, whatever hangs.
class HardStop {
 public:
  explicit HardStop(std::chrono::milliseconds bound)
      : thread_([this, bound] {
          std::unique_lock lock(mutex_);
          if (wake_.wait_for(lock, bound, [this] { return done_; })) return;
          std::fputs("latchkey-loadgen: hard stop: the run outlived its time bound\n", stderr);
          std::fflush(stdout);
          std::_Exit(kExitHardStop);
        }) {}
  ~HardStop() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  HardStop(const HardStop&) = delete;
  HardStop& operator=(const HardStop&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

// Runs `task` to completion on `io` from this thread.
template <class T>
T run_sync(asio::io_context& io, asio::awaitable<T> task) {
  std::optional<T> out;
  std::exception_ptr failure;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out.emplace(co_await std::move(task)); },
      [&](const std::exception_ptr& error) { failure = error; });
  io.run();
  io.restart();
  if (failure) std::rethrow_exception(failure);
  return std::move(*out);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::chrono::milliseconds total_bound(const Options& o) {
  // Discovery and a login of at most 12 hops, each up to 4 timeouts, then every run.
  auto bound = 13 * 4 * o.timeout + 5000ms;
  const auto runs = static_cast<long long>(o.scenarios.size() * o.concurrency.size());
  return bound + runs * run_bound(o);
}

Result<CookieJar, std::string> session_for(const FlowContext& context, asio::io_context& io) {
  const Options& o = *context.options;
  CookieJar session;
  if (!o.cookie.empty()) session.add_header(o.cookie);
  const bool flows = std::any_of(o.scenarios.begin(), o.scenarios.end(), needs_session);
  if (!flows || !o.cookie.empty()) return session;
  Flows login(
      context,
      HttpConnection(io.get_executor(), context.addresses, context.issuer.authority, o.timeout),
      std::move(session));
  auto logged_in = run_sync(io, login.log_in());
  if (!logged_in) return fail(logged_in.error());
  return login.cookies();
}

RunSettings settings_of(const Options& o, const std::string& started_at) {
  return RunSettings{o.issuer,
                     o.threads,
                     std::chrono::duration<double>(o.duration).count(),
                     std::chrono::duration<double>(o.warmup).count(),
                     o.max_ops,
                     static_cast<int>(o.timeout.count()),
                     o.server_pid,
                     started_at};
}

int run(const Options& o) {
  const auto started_at = utc_now();
  auto issuer = check_issuer(o.issuer, o.allow_non_loopback);
  if (!issuer) {
    std::cerr << "latchkey-loadgen: " << issuer.error() << "\n";
    return kExitUsage;
  }
  const HardStop hard_stop(total_bound(o));
  asio::io_context io;
  boost::system::error_code error;
  const auto resolved = asio::ip::tcp::resolver(io).resolve(issuer->host, issuer->port, error);
  if (error) {
    std::cerr << "latchkey-loadgen: cannot resolve " << issuer->host << ": " << error.message()
              << "\n";
    return kExitFailed;
  }
  FlowContext context{&o, *issuer, {resolved.begin(), resolved.end()}, "", "", "", "", ""};
  HttpConnection connection(io.get_executor(), context.addresses, issuer->authority, o.timeout);
  if (auto discovered = run_sync(io, read_discovery(connection, context)); !discovered) {
    std::cerr << "latchkey-loadgen: " << discovered.error() << "\n";
    return kExitFailed;
  }
  auto session = session_for(context, io);
  if (!session) {
    std::cerr << "latchkey-loadgen: " << session.error() << "\n";
    return kExitFailed;
  }
  std::optional<ProcessProbe> probe;
  if (o.server_pid) probe.emplace(*o.server_pid);
  std::vector<RunResult> results;
  for (const auto scenario : o.scenarios) {
    for (const int concurrency : o.concurrency) {
      std::cerr << "latchkey-loadgen: " << to_string(scenario) << " at " << concurrency
                << " connections\n";
      results.push_back(
          run_scenario(context, *session, scenario, concurrency, probe ? &*probe : nullptr));
    }
  }
  std::cout << format_table(results) << std::flush;
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << to_json(settings_of(o, started_at), results).dump(2) << "\n";
    if (!out) {
      std::cerr << "latchkey-loadgen: cannot write " << o.json_path << "\n";
      return kExitFailed;
    }
  }
  return 0;
}

}  // namespace
}  // namespace latchkey::loadgen

int main(int argc, char** argv) {
  using namespace latchkey::loadgen;
  auto parsed = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!parsed) {
    std::cerr << "latchkey-loadgen: " << parsed.error() << "\n(--help lists the options)\n";
    return kExitUsage;
  }
  if (!parsed->options) {
    std::cout << parsed->message;
    return 0;
  }
  try {
    return run(*parsed->options);
  } catch (const std::exception& error) {
    std::cerr << "latchkey-loadgen: " << error.what() << "\n";
    return kExitFailed;
  }
}
