#include "rules/engine_set.hpp"

#include <algorithm>
#include <cassert>
#include <utility>
#include <vector>

namespace latchkey::rules {
namespace {

// The Engines of the current thread, one per EngineSet it used. Destroyed at thread exit, on the
// thread, which is where SpiderMonkey requires a context to be destroyed.
class ThreadEngines {
 public:
  ThreadEngines() = default;
  ThreadEngines(const ThreadEngines&) = delete;
  ThreadEngines& operator=(const ThreadEngines&) = delete;
  ThreadEngines(ThreadEngines&&) = delete;
  ThreadEngines& operator=(ThreadEngines&&) = delete;
  ~ThreadEngines() {
    for (auto& [set, engine] : engines_) {
      engine.reset();
      set->forget_one();
    }
  }

  Engine* find(const EngineSet* set) {
    auto it = std::find_if(engines_.begin(), engines_.end(),
                           [set](const auto& entry) { return entry.first == set; });
    return it == engines_.end() ? nullptr : it->second.get();
  }
  Engine& add(EngineSet* set, std::unique_ptr<Engine> engine) {
    return *engines_.emplace_back(set, std::move(engine)).second;
  }
  /// Destroys the set's Engine on this thread; true if there was one.
  bool remove(const EngineSet* set) {
    auto it = std::find_if(engines_.begin(), engines_.end(),
                           [set](const auto& entry) { return entry.first == set; });
    if (it == engines_.end()) {
      return false;
    }
    engines_.erase(it);
    return true;
  }

 private:
  std::vector<std::pair<EngineSet*, std::unique_ptr<Engine>>> engines_;
};

ThreadEngines& thread_engines() {
  thread_local ThreadEngines engines;  // NOLINT: per-thread by nature (see engine_set.hpp)
  return engines;
}

}  // namespace

EngineSet::EngineSet(const Platform& platform, EngineOptions options)
    : platform_(platform), options_(options) {}

EngineSet::~EngineSet() {
  if (thread_engines().remove(this)) {
    forget_one();
  }
  assert(live_engines() == 0 && "an EngineSet outlived by a thread that used it");
}

Engine& EngineSet::for_this_thread() {
  ThreadEngines& engines = thread_engines();
  if (Engine* engine = engines.find(this); engine != nullptr) {
    return *engine;
  }
  auto engine = std::make_unique<Engine>(platform_, options_);
  {
    const std::lock_guard lock(mutex_);
    ++live_;
  }
  return engines.add(this, std::move(engine));
}

std::size_t EngineSet::live_engines() const {
  const std::lock_guard lock(mutex_);
  return live_;
}

void EngineSet::forget_one() {
  const std::lock_guard lock(mutex_);
  --live_;
}

}  // namespace latchkey::rules
