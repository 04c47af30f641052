#pragma once
// A log sink that pays one write(2) for many lines instead of one per line.

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <mutex>
#include <thread>

namespace latchkey {

/// Gathers formatted lines in memory and writes them to `file` together: at once when a line of
/// `write_at` level or worse arrives (all pending lines first, in order) or `capacity` bytes are
/// pending, else at most `delay` after the oldest pending line (a thread waits for that, and
/// sleeps while nothing is pending), on flush(), and on destruction, so a clean exit loses
/// nothing. Thread-safe; `file` must outlive the sink.
class BufferedFileSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  struct Options {
    std::size_t capacity = std::size_t{16} << 10U;
    std::chrono::milliseconds delay{100};
    spdlog::level::level_enum write_at = spdlog::level::warn;
  };

  BufferedFileSink(std::FILE* file, Options options);
  ~BufferedFileSink() override;
  BufferedFileSink(const BufferedFileSink&) = delete;
  BufferedFileSink& operator=(const BufferedFileSink&) = delete;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void write_pending();
  void wait_and_write();

  std::FILE* file_;
  Options options_;
  spdlog::memory_buf_t pending_;
  std::chrono::steady_clock::time_point oldest_;
  bool stopping_ = false;
  std::condition_variable wake_;
  std::thread writer_;  // last: it starts once the members above exist
};

}  // namespace latchkey
