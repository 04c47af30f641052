#include "rules/platform_fixture.hpp"

namespace latchkey::rules::testing {

const Platform& test_platform() {
  static const Platform platform;  // NOLINT: the process-wide engine, as in a composition root
  return platform;
}

}  // namespace latchkey::rules::testing
