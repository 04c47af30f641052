#include "rules/engine.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "rules/platform_fixture.hpp"

namespace latchkey::rules {
namespace {

using std::chrono::milliseconds;

EngineOptions short_limits() {
  EngineOptions options;
  options.wall_time = milliseconds(300);
  options.heap_bytes = std::size_t{32} << 20U;
  return options;
}

// A program whose entry runs `body` with `input` (parsed) and `fns` (the compiled scripts) in
// scope and returns what it returns, JSON-encoded.
Program program(std::string body, std::vector<Script> scripts = {}, std::string input = "{}") {
  static std::string prelude;  // kept alive for the string_view below
  prelude =
      "function entry(text, fns) { const input = JSON.parse(text);\n" + body +
      "\n}\nasync function main(text, fns) { return JSON.stringify(await entry(text, fns)); }";
  return Program{"prelude", prelude, "main", std::move(scripts), std::move(input)};
}

EngineOptions small_heap() {
  EngineOptions options;
  options.wall_time = milliseconds(5000);
  options.heap_bytes = std::size_t{16} << 20U;
  return options;
}

class EngineTest : public ::testing::Test {
 protected:
  Engine engine_{testing::test_platform(), short_limits()};
};

// Bombs get a generous wall time so that only the heap limit can stop them.
class EngineHeapTest : public ::testing::Test {
 protected:
  void expect_heap_failure(const std::string& body) {
    auto result = engine_.run(program(body));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().kind, FailureKind::heap) << result.error().message;
    auto after = engine_.run(program("return 'still works';"));
    ASSERT_TRUE(after.ok()) << after.error().message;
    EXPECT_EQ(*after, R"("still works")");
  }
  Engine engine_{testing::test_platform(), small_heap()};
};

TEST(EngineOptions, DefaultLimitsAreFiveSecondsAnd64MiB) {
  const EngineOptions options;
  EXPECT_EQ(options.wall_time, milliseconds(5000));
  EXPECT_EQ(options.heap_bytes, std::size_t{64} * 1024 * 1024);
}

TEST_F(EngineTest, ReturnsWhatTheEntryProducesFromItsJsonInput) {
  auto result = engine_.run(program("return {sum: input.a + input.b};", {}, R"({"a":2,"b":3})"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, R"({"sum":5})");
}

TEST_F(EngineTest, CompiledScriptsArePassedToTheEntryInOrder) {
  auto result = engine_.run(
      program("const m = {exports: {}}; fns[1](m.exports, m); return fns[0](2) + m.exports.a;",
              {Script{"double", "function (x) { return x * 2; } // trailing comment"},
               Script{"module", "exports.a = module.exports === exports ? 10 : 0;",
                      ScriptForm::commonjs_module}}));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, "14");
}

TEST_F(EngineTest, SyntaxErrorNamesTheScriptAndLine) {
  auto result =
      engine_.run(program("return 1;", {Script{"broken-rule", "function (u) {\n  u.x = ;\n}"}}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::syntax);
  EXPECT_EQ(result.error().script, "broken-rule");
  EXPECT_NE(result.error().message.find("broken-rule:2"), std::string::npos)
      << result.error().message;
}

TEST_F(EngineTest, ScriptThatIsNotAFunctionIsASyntaxFailure) {
  auto result = engine_.run(program("return 1;", {Script{"not-a-function", "42"}}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::syntax);
}

TEST_F(EngineTest, UncaughtExceptionIsReportedWithItsMessage) {
  auto result = engine_.run(program("null.x;"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::exception);
  EXPECT_NE(result.error().message.find("TypeError"), std::string::npos) << result.error().message;
}

TEST_F(EngineTest, AwaitedPromisesAreDrainedBeforeTheResultIsRead) {
  auto result = engine_.run(
      program("const later = (v) => new Promise((resolve) => resolve(v));\n"
              "return (async () => { let n = 0; for (let i = 0; i < 100; i++) n += await later(i); "
              "return n; })();"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, "4950");
}

TEST_F(EngineTest, ResultThatCanNeverSettleIsATimeoutWithoutWaiting) {
  const auto start = std::chrono::steady_clock::now();
  auto result = engine_.run(program("return new Promise(() => {});"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds(250));
}

TEST_F(EngineTest, EndlessPromiseChainEndsAtTheWallTime) {
  auto result = engine_.run(program("return (async () => { for (;;) await null; })();"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
}

TEST_F(EngineTest, DeepRecursionIsAnExceptionNotACrash) {
  auto result = engine_.run(program("const f = (n) => f(n + 1) + 1; return f(0);"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::exception);
  EXPECT_NE(result.error().message.find("recursion"), std::string::npos) << result.error().message;
}

TEST_F(EngineTest, GlobalHasNoFileProcessOrNetworkAccess) {
  auto result = engine_.run(
      program("return ['require', 'process', 'print', 'load', 'read', 'readline', 'os', 'fetch', "
              "'XMLHttpRequest', 'setTimeout', 'quit', 'snarf', 'system']"
              ".filter((name) => typeof globalThis[name] !== 'undefined');"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, "[]");
}

TEST_F(EngineTest, EachRunGetsAFreshGlobal) {
  ASSERT_TRUE(
      engine_.run(program("globalThis.leftover = 1; Object.prototype.polluted = 1; return 0;"))
          .ok());
  auto result = engine_.run(program("return [typeof leftover, typeof ({}).polluted];"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, R"(["undefined","undefined"])");
}

TEST_F(EngineTest, InfiniteLoopEndsAtTheWallTime) {
  const auto start = std::chrono::steady_clock::now();
  auto result = engine_.run(program("for (;;) {}"));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, FailureKind::timeout);
  EXPECT_GE(elapsed, milliseconds(290));
  EXPECT_LT(elapsed, milliseconds(2000));
}

TEST_F(EngineHeapTest, ObjectBombEndsAtTheHeapLimit) {
  expect_heap_failure("const a = []; for (;;) a.push({n: a.length, s: 'x' + a.length});");
}

TEST_F(EngineHeapTest, ArrayBombEndsAtTheHeapLimit) {
  expect_heap_failure("const a = []; for (;;) a.push(new Array(100000).fill(1.5));");
}

TEST_F(EngineHeapTest, BufferBombEndsAtTheHeapLimit) {
  expect_heap_failure("const a = []; for (;;) a.push(new ArrayBuffer(1 << 20));");
}

TEST_F(EngineHeapTest, StringBombEndsAtTheHeapLimit) {
  expect_heap_failure("const a = []; for (let i = 0;; i++) a.push('y'.repeat(1 << 20) + i);");
}

TEST_F(EngineTest, AnEngineRunsAgainAfterAFailure) {
  ASSERT_FALSE(engine_.run(program("for (;;) {}")).ok());
  ASSERT_FALSE(engine_.run(program("const a = []; for (;;) a.push({n: a.length});")).ok());
  auto result = engine_.run(program("return 1;"));
  ASSERT_TRUE(result.ok()) << result.error().message;
  EXPECT_EQ(*result, "1");
}

}  // namespace
}  // namespace latchkey::rules
