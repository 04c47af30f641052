// check_rule / check_action: compiling without running, for `rules create|update`.
#include "rules/check.hpp"

#include <gtest/gtest.h>

#include "platform_fixture.hpp"

namespace latchkey::rules {
namespace {

class CheckTest : public ::testing::Test {
 protected:
  Engine engine_{testing::test_platform(), EngineOptions{}};
};

TEST_F(CheckTest, ValidRuleCompilesWithoutRunning) {
  // Running it would throw; compiling must not.
  EXPECT_TRUE(check_rule(engine_, {"r", "function (u, c, cb) { throw new Error('ran'); }"}).ok());
}

TEST_F(CheckTest, RuleWithASyntaxErrorNamesItsLine) {
  auto checked = check_rule(engine_, {"my-rule", "function (u, c, cb) {\n\n  u.x = ;\n}"});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind, FailureKind::syntax);
  EXPECT_NE(checked.error().message.find("my-rule:3"), std::string::npos)
      << checked.error().message;
}

TEST_F(CheckTest, RuleThatIsNotAFunctionIsRefused) {
  EXPECT_FALSE(check_rule(engine_, {"r", "42"}).ok());
}

TEST_F(CheckTest, ActionModuleIsCheckedWithoutRunning) {
  EXPECT_TRUE(check_action(engine_, {"a", "throw new Error('ran');", {}}).ok());
  auto checked = check_action(engine_, {"a", "exports.onExecutePostLogin = async (e, api) => {"});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().kind, FailureKind::syntax);
}

}  // namespace
}  // namespace latchkey::rules
