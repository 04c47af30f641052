#pragma once
// Compiling a rule or an action without running it: `latchkey rules create|update` and
// `actions create|update` refuse a script with a syntax error, naming its line.

#include "core/result.hpp"
#include "rules/engine.hpp"
#include "rules/pipeline.hpp"

namespace latchkey::rules {

/// Compiles the rule as the pipeline would, runs none of it. Fails with FailureKind::syntax
/// and a message such as "my-rule:3: SyntaxError: …" when it does not compile or is not a
/// function expression.
[[nodiscard]] Result<void, ScriptFailure> check_rule(Engine& engine, const Rule& rule);

/// Compiles the action's module body as the pipeline would, runs none of it.
[[nodiscard]] Result<void, ScriptFailure> check_action(Engine& engine, const Action& action);

}  // namespace latchkey::rules
