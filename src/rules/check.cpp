#include "rules/check.hpp"

#include <string_view>
#include <utility>

namespace latchkey::rules {
namespace {

// An entry that ignores the compiled scripts: the engine compiles every script before it calls
// the entry, so a syntax error fails the run and nothing of the script runs.
constexpr std::string_view kCheckPrelude = "function check() { return ''; }";

Result<void, ScriptFailure> check_script(Engine& engine, Script script) {
  Program program{"check", kCheckPrelude, "check", {}, "{}"};
  program.scripts.push_back(std::move(script));
  auto ran = engine.run(program);
  if (!ran) return fail(std::move(ran).error());
  return {};
}

}  // namespace

Result<void, ScriptFailure> check_rule(Engine& engine, const Rule& rule) {
  return check_script(engine, Script{rule.name, rule.script, ScriptForm::function_expression});
}

Result<void, ScriptFailure> check_action(Engine& engine, const Action& action) {
  return check_script(engine, Script{action.name, action.code, ScriptForm::commonjs_module});
}

}  // namespace latchkey::rules
