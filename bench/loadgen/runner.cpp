#include "runner.hpp"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <climits>
#include <memory>
#include <thread>

#include "flows.hpp"

namespace latchkey::loadgen {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// Shared by the connections of a run and the thread that paces it.
struct Control {
  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> measure_start{LLONG_MAX};  // steady-clock ns
  std::atomic<std::int64_t> measure_end{LLONG_MAX};
  std::atomic<std::uint64_t> measured{0};
  std::atomic<int> ready{0};
  std::atomic<int> finished{0};
  std::atomic<int> background_finished{0};
  std::uint64_t max_ops = 0;
};

// Written only by its connection's coroutine; read once the io threads have joined.
struct ConnectionStats {
  std::uint64_t ok = 0;
  std::map<std::string, std::uint64_t> errors;
  Histogram latency;
  std::map<std::string, Histogram> steps;
};

template <class T>
T or_default(const Result<T, std::string>& result, T fallback) {
  return result ? *result : fallback;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
      .count();
}

bool limit_reached(const Control& control) {
  return control.max_ops > 0 && control.measured.load() >= control.max_ops;
}

// Operations that end inside the measured phase count, wherever they began: in a steady state
// this neither gains nor loses operations at the edges.
void record(const Outcome& outcome, std::chrono::nanoseconds latency, Control& control,
            ConnectionStats& stats) {
  const auto end = now_ns();
  if (end < control.measure_start.load() || end > control.measure_end.load()) return;
  control.measured.fetch_add(1);
  if (!outcome.error.empty()) {
    ++stats.errors[outcome.error];
    return;
  }
  ++stats.ok;
  stats.latency.record(latency);
  for (const auto& [step, duration] : outcome.steps) stats.steps[step].record(duration);
}

// Counts a connection as set up once, however its setup ends (an exception included).
class ReadyMark {
 public:
  explicit ReadyMark(std::atomic<int>& ready) : ready_(ready) {}
  ~ReadyMark() { mark(); }
  ReadyMark(const ReadyMark&) = delete;
  ReadyMark& operator=(const ReadyMark&) = delete;
  void mark() {
    if (!marked_) ready_.fetch_add(1);
    marked_ = true;
  }

 private:
  std::atomic<int>& ready_;
  bool marked_ = false;
};

asio::awaitable<void> drive(Flows& flows, Scenario scenario, Control& control,
                            ConnectionStats& stats) {
  ReadyMark ready(control.ready);
  const auto setup = co_await flows.prepare(scenario);
  ready.mark();
  if (!setup.empty()) {
    ++stats.errors[setup];
    co_return;
  }
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!control.stop.load() && !limit_reached(control)) {
    const auto start = Clock::now();
    const auto outcome = co_await flows.run_once(scenario);
    record(outcome, Clock::now() - start, control, stats);
    if (outcome.error.ends_with("connect")) {  // do not spin on a refused port
      pause.expires_after(20ms);
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
}

// Background load: loops from the start until the run stops, counting only what ends inside the
// measured phase, and never touching the measured count (--max-ops).
asio::awaitable<void> drive_background(Flows& flows, Scenario scenario, Control& control,
                                       ConnectionStats& stats) {
  asio::steady_timer pause(co_await asio::this_coro::executor);
  while (!control.stop.load()) {
    const auto outcome = co_await flows.run_once(scenario);
    const auto end = now_ns();
    if (end >= control.measure_start.load() && end <= control.measure_end.load()) {
      if (outcome.error.empty()) {
        ++stats.ok;
      } else {
        ++stats.errors[outcome.error];
      }
    }
    if (outcome.error.ends_with("connect")) {
      pause.expires_after(20ms);
      co_await pause.async_wait(asio::use_awaitable);
    }
  }
}

template <class Predicate>
void wait_until(Predicate done, Clock::time_point deadline) {
  while (!done() && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
}

std::chrono::milliseconds operation_bound(const Options& o) {
  // A code flow is two requests; each may connect, fail stale and reconnect: 8 timeouts.
  return 8 * o.timeout + 1000ms;
}

RunResult merge(std::vector<ConnectionStats>& stats, Scenario scenario, int concurrency) {
  RunResult result;
  result.scenario = std::string(to_string(scenario));
  result.concurrency = concurrency;
  for (auto& s : stats) {
    result.ok += s.ok;
    for (const auto& [kind, count] : s.errors) result.errors[kind] += count;
    result.latency.merge(s.latency);
    for (const auto& [step, histogram] : s.steps) result.steps[step].merge(histogram);
  }
  return result;
}

BackgroundLoad merge_background(const std::vector<ConnectionStats>& stats,
                                const Background& background) {
  BackgroundLoad load;
  load.scenario = std::string(to_string(background.scenario));
  load.concurrency = background.concurrency;
  for (const auto& s : stats) {
    load.ok += s.ok;
    for (const auto& [kind, count] : s.errors) load.errors[kind] += count;
  }
  return load;
}

// The pacing thread's part: setup, warm-up, the measured phase (with the server's counters
// read at its edges), then the drain. Returns the measured phase's length.
std::chrono::nanoseconds pace(const Options& o, Control& control, int concurrency,
                              const ProcessProbe* probe, ServerUsage& usage) {
  const auto all = [&] { return control.ready.load() >= concurrency; };
  wait_until(all, Clock::now() + operation_bound(o));
  std::this_thread::sleep_for(o.warmup);
  const double cpu_before = probe ? or_default(probe->cpu_seconds(), 0.0) : 0.0;
  const auto start = now_ns();
  control.measure_start.store(start);
  const auto done = [&] {
    return limit_reached(control) || control.finished.load() >= concurrency;
  };
  wait_until(done, Clock::now() + o.duration);
  const auto end = now_ns();
  control.measure_end.store(end);
  control.stop.store(true);
  if (probe) {
    usage.cpu_seconds = or_default(probe->cpu_seconds(), cpu_before) - cpu_before;
    usage.rss_after_kib = or_default<std::uint64_t>(probe->rss_kib(), 0);
  }
  return std::chrono::nanoseconds(end - start);
}

}  // namespace

std::chrono::milliseconds run_bound(const Options& o) {
  return 2 * operation_bound(o) + o.warmup + o.duration + 2000ms;
}

RunResult run_scenario(const FlowContext& context, const CookieJar& session, Scenario scenario,
                       int concurrency, const ProcessProbe* probe) {
  const Options& o = *context.options;
  asio::io_context io(o.threads);
  Control control;
  control.max_ops = o.max_ops;
  ServerUsage usage;
  if (probe) usage.rss_before_kib = or_default<std::uint64_t>(probe->rss_kib(), 0);
  std::optional<PeakRssSampler> sampler;
  if (probe) sampler.emplace(*probe, 100ms);
  std::vector<ConnectionStats> stats(static_cast<std::size_t>(concurrency));
  const int background = o.background ? o.background->concurrency : 0;
  std::vector<ConnectionStats> background_stats(static_cast<std::size_t>(background));
  std::vector<std::unique_ptr<Flows>> flows;  // destroyed before `io`, which their sockets use
  const auto spawn = [&](ConnectionStats& s, auto coroutine, std::atomic<int>& finished) {
    auto strand = asio::make_strand(io);
    flows.push_back(std::make_unique<Flows>(
        context, HttpConnection(strand, context.addresses, context.issuer.authority, o.timeout),
        session));
    asio::co_spawn(strand, coroutine(*flows.back(), s),
                   [&s, &finished](const std::exception_ptr& error) {
                     if (error) ++s.errors["exception"];
                     finished.fetch_add(1);
                   });
  };
  for (auto& s : background_stats) {
    spawn(
        s,
        [&](Flows& f, ConnectionStats& c) {
          return drive_background(f, o.background->scenario, control, c);
        },
        control.background_finished);
  }
  for (auto& s : stats) {
    spawn(
        s, [&](Flows& f, ConnectionStats& c) { return drive(f, scenario, control, c); },
        control.finished);
  }
  std::vector<std::thread> threads;
  for (int i = 0; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });
  const auto elapsed = pace(o, control, concurrency, probe, usage);
  const auto all_finished = [&] {
    return control.finished.load() >= concurrency &&
           control.background_finished.load() >= background;
  };
  wait_until(all_finished, Clock::now() + operation_bound(o));
  if (!all_finished()) io.stop();  // abandon connections that hang
  for (auto& thread : threads) thread.join();
  auto result = merge(stats, scenario, concurrency);
  result.elapsed = elapsed;
  if (o.background) result.background = merge_background(background_stats, *o.background);
  if (sampler) {
    usage.rss_peak_kib = std::max({sampler->peak_kib(), usage.rss_before_kib, usage.rss_after_kib});
    result.server = usage;
  }
  return result;
}

}  // namespace latchkey::loadgen
