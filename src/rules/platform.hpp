#pragma once
// The JavaScript engine's process-wide state (SpiderMonkey's JS_Init / JS_ShutDown).

namespace latchkey::rules {

/// Initialises SpiderMonkey for the process on construction and shuts it down on destruction.
/// SpiderMonkey itself keeps process-wide state (its allocator, atoms and helper threads), so
/// exactly one Platform may exist at a time: the composition root builds it before any Engine
/// and destroys it after the last one. Constructing a second one, or failing to initialise,
/// throws std::runtime_error (a start-up error).
class Platform {
 public:
  Platform();
  ~Platform();
  Platform(const Platform&) = delete;
  Platform& operator=(const Platform&) = delete;
  Platform(Platform&&) = delete;
  Platform& operator=(Platform&&) = delete;
};

}  // namespace latchkey::rules
