#include "rules/platform.hpp"

#include <js/Initialization.h>

#include <atomic>
#include <stdexcept>
#include <string>

namespace latchkey::rules {
namespace {

// SpiderMonkey allows JS_Init once per process (and not again after JS_ShutDown), so this
// flag only turns a second Platform into a clear start-up error instead of undefined behaviour.
std::atomic<bool> platform_created{false};  // NOLINT: mirrors SpiderMonkey's own process state

}  // namespace

Platform::Platform() {
  if (platform_created.exchange(true)) {
    throw std::runtime_error("rules: the JavaScript platform can be initialised once per process");
  }
  if (const char* failure = JS_InitWithFailureDiagnostic(); failure != nullptr) {
    throw std::runtime_error(std::string("rules: JS_Init failed: ") + failure);
  }
}

Platform::~Platform() { JS_ShutDown(); }

}  // namespace latchkey::rules
