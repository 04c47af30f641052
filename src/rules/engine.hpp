#pragma once
// A sandboxed JavaScript engine (SpiderMonkey 102) that runs one program at a time under a wall
// time and a heap limit. It knows nothing about Rules or Actions: pipeline.hpp builds on it.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace latchkey::rules {

class Platform;

/// Limits applied to every run of an Engine.
struct EngineOptions {
  /// Wall time for one run, from the first compile to the last drained Promise job.
  std::chrono::milliseconds wall_time{5000};
  /// JavaScript heap (GC heap) of the engine; a run that needs more ends with FailureKind::heap.
  std::size_t heap_bytes{std::size_t{64} << 20U};
  /// Native stack the engine may use before deep recursion throws "too much recursion".
  /// Must stay well below the stack size of the threads that call Engine::run.
  std::size_t stack_bytes{std::size_t{256} << 10U};
};

/// Why a run did not produce a result.
enum class FailureKind {
  exception,  ///< a script threw (or rejected) and nothing caught it
  timeout,    ///< the wall time ran out, or the program can no longer make progress
  heap,       ///< the heap limit was reached
  syntax,     ///< a script did not compile
};

/// The wire name of a FailureKind, for log events: "exception", "timeout", "heap", "syntax".
[[nodiscard]] std::string_view to_string(FailureKind kind);

/// A failed run. `message` is for the server log only (it may quote the script); never show it
/// to an end user.
struct ScriptFailure {
  FailureKind kind;
  std::string script;   ///< name of the script at fault when known, else empty
  std::string message;  ///< internal detail, e.g. "rule-a:3: TypeError: x is undefined"
};

/// How a Script's source is compiled.
enum class ScriptForm {
  /// The source is one function expression, e.g. an Auth0 rule `function (user, context, cb) {}`.
  function_expression,
  /// The source is a CommonJS module body, compiled as `function (exports, module) {…}`,
  /// e.g. an Auth0 Action.
  commonjs_module,
};

/// A user script; its name appears in error messages and stack traces.
struct Script {
  std::string name;
  std::string source;
  ScriptForm form{ScriptForm::function_expression};
};

/// What one run evaluates, in a fresh global that has only the standard JavaScript builtins.
/// First `prelude` runs as a classic script; it must define the global function `entry`.
/// Then every Script is compiled to a function (nothing in it runs yet), and
/// `entry(input_json, functions)` is called with the input text and the array of compiled
/// functions. `entry` returns a string, or a Promise of one, which becomes the run's result;
/// Promise jobs are drained until it settles.
struct Program {
  std::string_view prelude_name;
  std::string_view prelude;
  std::string_view entry;
  std::vector<Script> scripts;
  std::string input_json;
};

/// One JavaScript context, bound to the thread that constructs it (SpiderMonkey contexts are
/// single-threaded): each worker thread owns its own Engine, so the per-thread choice is explicit
/// and the context is destroyed on the thread that created it. Construct it only while the
/// Platform lives; construction failure throws std::runtime_error (a start-up error).
/// Each Engine owns a small watchdog thread that interrupts a run at its wall time.
class Engine {
 public:
  Engine(const Platform& platform, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  Engine(Engine&&) = delete;
  Engine& operator=(Engine&&) = delete;

  /// Runs `program` in a fresh global (realm) and returns the string `entry` produced.
  /// Fails with a ScriptFailure on a syntax error, an uncaught exception or rejection, the wall
  /// time, the heap limit, or when the result never settles (no pending jobs remain: reported as
  /// a timeout, since nothing but a deadline could end it). Must be called on the constructing
  /// thread. Never throws for anything a script does.
  [[nodiscard]] Result<std::string, ScriptFailure> run(const Program& program);

  [[nodiscard]] const EngineOptions& options() const;

 private:
  class State;
  std::unique_ptr<State> state_;
};

}  // namespace latchkey::rules
