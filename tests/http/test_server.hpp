#pragma once
// An in-process Server on 127.0.0.1 port 0, run on its own thread, with a captured access log.

#include <spdlog/sinks/ostream_sink.h>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/log.hpp"
#include "http/server.hpp"

namespace latchkey::testing {

/// Short limits and timeouts for tests; individual tests shorten what they exercise.
inline http::ServerOptions fast_test_options() {
  http::ServerOptions options;
  options.threads = 2;
  options.worker_threads = 2;
  options.header_timeout = std::chrono::milliseconds(2000);
  options.idle_timeout = std::chrono::milliseconds(2000);
  options.body_timeout = std::chrono::milliseconds(2000);
  options.shutdown_timeout = std::chrono::milliseconds(2000);
  return options;
}

class RunningServer {
 public:
  RunningServer(const http::Router& router, http::ServerOptions options,
                bool handle_signals = false)
      : logger_(std::make_shared<Logger>(
            "access", std::make_shared<spdlog::sinks::ostream_sink_mt>(log_stream_))),
        server_(std::move(options), router, *logger_) {
    use_json_lines(*logger_);
    logger_->set_level(LogLevel::trace);
    auto listening = server_.listen();
    if (!listening) throw std::runtime_error("listen failed: " + listening.error());
    if (handle_signals) server_.stop_on_signals();
    thread_ = std::thread([this] {
      server_.run();
      returned_.set_value();
    });
  }
  ~RunningServer() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return server_.port(); }
  [[nodiscard]] http::Server& server() { return server_; }

  /// Waits for run() to return (after stop() or a signal); true when it did within `limit`.
  [[nodiscard]] bool returned_within(std::chrono::milliseconds limit) {
    return returned_future_.wait_for(limit) == std::future_status::ready;
  }

  /// stop(), then how long run() took to return (nullopt: not within `limit`).
  [[nodiscard]] std::optional<std::chrono::milliseconds> stop_and_time(
      std::chrono::milliseconds limit = std::chrono::milliseconds(5000)) {
    const auto start = std::chrono::steady_clock::now();
    server_.stop();
    if (!returned_within(limit)) return std::nullopt;
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }

  /// The access log so far; only call once run() has returned (the sink is not read-safe).
  [[nodiscard]] std::string log_after_stop() {
    (void)stop_and_time();
    if (thread_.joinable()) thread_.join();
    return log_stream_.str();
  }

 private:
  std::ostringstream log_stream_;
  std::shared_ptr<Logger> logger_;
  http::Server server_;
  std::promise<void> returned_;
  std::future<void> returned_future_ = returned_.get_future();
  std::thread thread_;
};

}  // namespace latchkey::testing
