#include "rules/detail/watchdog.hpp"

#include <algorithm>
#include <utility>

namespace latchkey::rules::detail {

Watchdog::Watchdog(std::chrono::milliseconds period, std::function<void()> on_tick,
                   std::function<void()> on_expiry)
    : period_(period),
      on_tick_(std::move(on_tick)),
      on_expiry_(std::move(on_expiry)),
      thread_([this] { loop(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void Watchdog::arm(Deadline deadline) {
  {
    std::lock_guard lock(mutex_);
    deadline_ = deadline;
  }
  wake_.notify_one();
}

void Watchdog::disarm() {
  std::lock_guard lock(mutex_);
  deadline_.reset();
}

void Watchdog::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (!deadline_) {
      wake_.wait(lock);
      continue;
    }
    const Deadline deadline = *deadline_;
    const auto now = std::chrono::steady_clock::now();
    if (now < deadline) {
      // Spurious or early wake-ups only make a tick early, which is harmless.
      if (wake_.wait_until(lock, std::min(deadline, now + period_)) == std::cv_status::timeout &&
          deadline_ && std::chrono::steady_clock::now() < *deadline_) {
        on_tick_();
      }
      continue;
    }
    deadline_.reset();
    on_expiry_();
  }
}

}  // namespace latchkey::rules::detail
