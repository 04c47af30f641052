#pragma once
// The one rules::Platform of a test process (SpiderMonkey initialises once per process).

#include "rules/platform.hpp"

namespace latchkey::rules::testing {

/// The process's Platform, created on first use and shut down at exit.
const Platform& test_platform();

}  // namespace latchkey::rules::testing
