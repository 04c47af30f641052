#include "core/buffered_sink.hpp"

namespace latchkey {

BufferedFileSink::BufferedFileSink(std::FILE* file, Options options)
    : file_(file), options_(options), writer_([this] { wait_and_write(); }) {}

BufferedFileSink::~BufferedFileSink() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  const std::lock_guard lock(mutex_);
  write_pending();
}

// Runs with mutex_ held (base_sink::log takes it).
void BufferedFileSink::sink_it_(const spdlog::details::log_msg& msg) {
  const bool was_empty = pending_.size() == 0;
  formatter_->format(msg, pending_);
  if (msg.level >= options_.write_at || pending_.size() >= options_.capacity) {
    write_pending();
    return;
  }
  if (was_empty) {
    oldest_ = std::chrono::steady_clock::now();
    wake_.notify_one();
  }
}

void BufferedFileSink::flush_() { write_pending(); }

// With mutex_ held: the write stays in order with every other line, whichever thread logs it.
void BufferedFileSink::write_pending() {
  if (pending_.size() == 0) return;
  std::fwrite(pending_.data(), 1, pending_.size(), file_);
  std::fflush(file_);
  pending_.clear();
}

void BufferedFileSink::wait_and_write() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (pending_.size() == 0) {
      wake_.wait(lock);
      continue;
    }
    const auto due = oldest_ + options_.delay;
    if (std::chrono::steady_clock::now() >= due) {
      write_pending();
      continue;
    }
    wake_.wait_until(lock, due);
  }
}

}  // namespace latchkey
