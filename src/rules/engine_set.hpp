#pragma once
// One Engine per thread, made on a thread's first use: for callers that run on a thread pool
// they do not own (the HTTP server's offload pool).

#include <cstddef>
#include <memory>
#include <mutex>

#include "rules/engine.hpp"

namespace latchkey::rules {

/// Hands each calling thread its own Engine, created lazily with the set's options and destroyed
/// on that same thread when it exits (SpiderMonkey contexts must die on their own thread).
/// The set itself is shared and thread-safe. Lifetime: build it after the Platform; destroy it
/// after every other thread that used it has ended (e.g. after the server joined its pool) and
/// before the Platform. The calling thread's own Engine is destroyed with the set.
/// The per-thread storage is a thread_local in engine_set.cpp; it holds nothing but Engines.
class EngineSet {
 public:
  EngineSet(const Platform& platform, EngineOptions options);
  ~EngineSet();
  EngineSet(const EngineSet&) = delete;
  EngineSet& operator=(const EngineSet&) = delete;
  EngineSet(EngineSet&&) = delete;
  EngineSet& operator=(EngineSet&&) = delete;

  /// The calling thread's Engine; the first call on a thread builds it (about 100 ms: the
  /// engine's self-hosted code). Throws std::runtime_error if the engine cannot start.
  [[nodiscard]] Engine& for_this_thread();

  /// How many threads currently hold an Engine from this set.
  [[nodiscard]] std::size_t live_engines() const;

  /// Called by a thread's storage when the thread exits and its Engine is gone.
  void forget_one();

 private:
  const Platform& platform_;
  EngineOptions options_;
  mutable std::mutex mutex_;
  std::size_t live_ = 0;
};

}  // namespace latchkey::rules
