#include "rules/engine.hpp"

#include <js/Array.h>
#include <js/CallAndConstruct.h>
#include <js/CompilationAndEvaluation.h>
#include <js/Context.h>
#include <js/ErrorReport.h>
#include <js/Exception.h>
#include <js/GlobalObject.h>
#include <js/Initialization.h>
#include <js/Interrupt.h>
#include <js/MemoryCallbacks.h>
#include <js/MemoryMetrics.h>
#include <js/Promise.h>
#include <js/SourceText.h>
#include <js/Stack.h>
#include <js/String.h>
#include <js/experimental/JSStencil.h>
#include <jsapi.h>
#include <malloc.h>
#include <mozilla/RefPtr.h>

#include <algorithm>
#include <atomic>
#include <cassert>
#include <limits>
#include <stdexcept>
#include <thread>
#include <utility>

#include "rules/detail/job_queue.hpp"
#include "rules/detail/watchdog.hpp"
#include "rules/platform.hpp"

namespace latchkey::rules {
namespace {

// SpiderMonkey requires the class of a global object to outlive every global made from it.
// NOLINTNEXTLINE: a constant table the engine reads, not mutable state
constexpr JSClass kGlobalClass = {
    "global", JSCLASS_GLOBAL_FLAGS, &JS::DefaultGlobalClassOps, nullptr, nullptr, nullptr};

// How often a running program's memory is measured against the heap limit.
constexpr std::chrono::milliseconds kMemoryCheckPeriod{20};

// Arguments CommonJS modules (Auth0 Actions) are compiled with.
constexpr const char* kModuleArguments[] = {"exports", "module"};

// The allocator's own size of a block SpiderMonkey malloc'd, for its memory reporter.
std::size_t allocated_size(const void* block) {
  return malloc_usable_size(const_cast<void*>(block));  // NOLINT: the C API is not const-correct
}

std::string utf8(JSContext* cx, JS::HandleString text) {
  JS::UniqueChars chars = JS_EncodeStringToUTF8(cx, text);
  return chars ? std::string(chars.get()) : std::string();
}

}  // namespace

std::string_view to_string(FailureKind kind) {
  switch (kind) {
    case FailureKind::exception:
      return "exception";
    case FailureKind::timeout:
      return "timeout";
    case FailureKind::heap:
      return "heap";
    case FailureKind::syntax:
      return "syntax";
  }
  return "exception";
}

class Engine::State {
 public:
  explicit State(EngineOptions options);
  ~State();
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  State(State&&) = delete;
  State& operator=(State&&) = delete;

  Result<std::string, ScriptFailure> run(const Program& program);
  [[nodiscard]] const EngineOptions& options() const { return options_; }

 private:
  static JSContext* make_context(const EngineOptions& options);
  static bool on_interrupt(JSContext* cx);
  static void on_out_of_memory(JSContext* cx, void* data);
  bool within_heap_limit();

  Result<std::string, ScriptFailure> run_in_global(const Program& program);
  Result<void, ScriptFailure> run_prelude(const Program& program);
  Result<void, ScriptFailure> compile(const Script& script, JS::MutableHandleValue function);
  Result<std::string, ScriptFailure> settle(JS::HandleValue returned);
  ScriptFailure failure(FailureKind otherwise, std::string script);
  ScriptFailure describe(FailureKind kind, std::string script, const JS::ExceptionStack& stack);

  EngineOptions options_;
  std::thread::id owner_;
  JSContext* cx_;
  std::atomic<bool> interrupted_{false};
  std::atomic<bool> memory_check_due_{false};
  bool out_of_memory_ = false;
  // The prelude compiled once (fully parsed) and instantiated into each run's realm: compiling
  // it was most of a short pipeline's cost.
  std::string prelude_text_;
  RefPtr<JS::Stencil> prelude_stencil_;
  detail::JobQueue jobs_;
  detail::Watchdog watchdog_;
};

JSContext* Engine::State::make_context(const EngineOptions& options) {
  const auto gc_limit = static_cast<uint32_t>(
      std::min<std::size_t>(2 * options.heap_bytes, std::numeric_limits<uint32_t>::max()));
  JSContext* cx = JS_NewContext(gc_limit);
  if (cx == nullptr) {
    throw std::runtime_error("rules: JS_NewContext failed");
  }
  // The limit is enforced by measuring the run's zone (within_heap_limit), which also counts
  // malloc'd buffers such as array elements and ArrayBuffer contents that SpiderMonkey's own GC
  // limit ignores. The GC limit stays as a backstop above it, where collections start to thrash.
  JS_SetGCParameter(cx, JSGC_MAX_BYTES, gc_limit);
  JS_SetNativeStackQuota(cx, options.stack_bytes);
  return cx;
}

Engine::State::State(EngineOptions options)
    : options_(options),
      owner_(std::this_thread::get_id()),
      cx_(make_context(options_)),
      jobs_(cx_),
      watchdog_(
          kMemoryCheckPeriod,
          [this] {
            memory_check_due_.store(true);
            JS_RequestInterruptCallback(cx_);
          },
          [this] {
            interrupted_.store(true);
            JS_RequestInterruptCallback(cx_);
          }) {
  JS_SetContextPrivate(cx_, this);
  JS_AddInterruptCallback(cx_, &State::on_interrupt);
  JS::SetOutOfMemoryCallback(cx_, &State::on_out_of_memory, this);
  if (!JS::InitSelfHostedCode(cx_)) {
    jobs_.clear();
    JS_DestroyContext(cx_);
    throw std::runtime_error("rules: JS::InitSelfHostedCode failed");
  }
}

Engine::State::~State() {
  watchdog_.disarm();
  prelude_stencil_ = nullptr;
  jobs_.clear();
  JS_DestroyContext(cx_);
}

bool Engine::State::on_interrupt(JSContext* cx) {
  auto* state = static_cast<State*>(JS_GetContextPrivate(cx));
  if (state->interrupted_.load()) {
    return false;  // ends the script with an uncatchable termination
  }
  if (state->memory_check_due_.exchange(false) && !state->within_heap_limit()) {
    state->out_of_memory_ = true;
    return false;
  }
  return true;
}

bool Engine::State::within_heap_limit() {
  JS::RootedObject global(cx_, JS::CurrentGlobalOrNull(cx_));
  if (global == nullptr) {
    return true;
  }
  // Each run has its own zone, so this measures exactly what the running program holds: GC
  // cells plus the malloc'd memory they own.
  JS::TabSizes sizes;
  if (!JS::AddSizeOfTab(cx_, global, &allocated_size, nullptr, &sizes)) {
    return false;
  }
  const std::size_t used = sizes.objects_ + sizes.strings_ + sizes.private_ + sizes.other_;
  return used <= options_.heap_bytes;
}

void Engine::State::on_out_of_memory(JSContext* /*cx*/, void* data) {
  static_cast<State*>(data)->out_of_memory_ = true;
}

Result<std::string, ScriptFailure> Engine::State::run(const Program& program) {
  assert(std::this_thread::get_id() == owner_ && "an Engine is bound to its thread");
  interrupted_.store(false);
  memory_check_due_.store(false);
  out_of_memory_ = false;
  jobs_.clear();
  watchdog_.arm(std::chrono::steady_clock::now() + options_.wall_time);
  Result<std::string, ScriptFailure> result = run_in_global(program);
  watchdog_.disarm();
  jobs_.clear();
  JS_ClearPendingException(cx_);
  // Each run leaves its realm behind as garbage, which JS_MaybeGC alone does not reclaim fast
  // enough: the heap crept up to the GC limit and a later, innocent run failed. Collect fully
  // once the dead realms fill a quarter of the heap limit, and after every failure.
  const bool crowded = JS_GetGCParameter(cx_, JSGC_BYTES) > options_.heap_bytes / 4;
  if (!result.ok() || crowded) {
    JS_GC(cx_);
  } else {
    JS_MaybeGC(cx_);
  }
  return result;
}

Result<std::string, ScriptFailure> Engine::State::run_in_global(const Program& program) {
  JS::RealmOptions realm_options;
  JS::RootedObject global(
      cx_, JS_NewGlobalObject(cx_, &kGlobalClass, nullptr, JS::FireOnNewGlobalHook, realm_options));
  if (global == nullptr) {
    return fail(failure(FailureKind::heap, ""));
  }
  const JSAutoRealm realm(cx_, global);
  if (auto prelude = run_prelude(program); !prelude) {
    return fail(prelude.error());
  }
  JS::RootedValueVector functions(cx_);
  for (const Script& script : program.scripts) {
    JS::RootedValue function(cx_);
    if (auto compiled = compile(script, &function); !compiled) {
      return fail(compiled.error());
    }
    if (!functions.append(function)) {
      return fail(failure(FailureKind::heap, script.name));
    }
  }
  JS::RootedObject array(cx_, JS::NewArrayObject(cx_, functions));
  JS::RootedString input(cx_, JS_NewStringCopyUTF8N(cx_, JS::UTF8Chars(program.input_json.data(),
                                                                       program.input_json.size())));
  if (array == nullptr || input == nullptr) {
    return fail(failure(FailureKind::heap, ""));
  }
  JS::RootedValueArray<2> arguments(cx_);
  arguments[0].setString(input);
  arguments[1].setObject(*array);
  JS::RootedValue returned(cx_);
  const std::string entry(program.entry);
  if (!JS_CallFunctionName(cx_, global, entry.c_str(), arguments, &returned)) {
    return fail(failure(FailureKind::exception, ""));
  }
  return settle(returned);
}

Result<void, ScriptFailure> Engine::State::run_prelude(const Program& program) {
  const std::string prelude_name(program.prelude_name);
  JS::CompileOptions options(cx_);
  options.setFileAndLine(prelude_name.c_str(), 1).setForceFullParse();
  if (!prelude_stencil_ || prelude_text_ != program.prelude) {
    JS::SourceText<mozilla::Utf8Unit> source;
    prelude_stencil_ = nullptr;
    if (!source.init(cx_, program.prelude.data(), program.prelude.size(),
                     JS::SourceOwnership::Borrowed)) {
      return fail(failure(FailureKind::heap, prelude_name));
    }
    prelude_stencil_ = JS::CompileGlobalScriptToStencil(cx_, options, source);
    if (!prelude_stencil_) {
      return fail(failure(FailureKind::syntax, prelude_name));
    }
    prelude_text_ = program.prelude;
  }
  const JS::InstantiateOptions instantiate(options);
  JS::RootedScript script(cx_, JS::InstantiateGlobalStencil(cx_, instantiate, prelude_stencil_));
  JS::RootedValue ignored(cx_);
  if (script == nullptr || !JS_ExecuteScript(cx_, script, &ignored)) {
    return fail(failure(FailureKind::exception, prelude_name));
  }
  return {};
}

Result<void, ScriptFailure> Engine::State::compile(const Script& script,
                                                   JS::MutableHandleValue function) {
  JS::CompileOptions options(cx_);
  options.setFileAndLine(script.name.c_str(), 1);
  JS::SourceText<mozilla::Utf8Unit> source;
  if (script.form == ScriptForm::commonjs_module) {
    JS::RootedObjectVector scope(cx_);
    if (!source.init(cx_, script.source.data(), script.source.size(),
                     JS::SourceOwnership::Borrowed)) {
      return fail(failure(FailureKind::heap, script.name));
    }
    JSFunction* compiled =
        JS::CompileFunction(cx_, scope, options, "module", 2, kModuleArguments, source);
    if (compiled == nullptr) {
      return fail(failure(FailureKind::syntax, script.name));
    }
    function.setObject(*JS_GetFunctionObject(compiled));
    return {};
  }
  // A rule is one function expression; the newline keeps a trailing line comment from
  // swallowing the closing parenthesis.
  const std::string wrapped = "(" + script.source + "\n)";
  if (!source.init(cx_, wrapped.data(), wrapped.size(), JS::SourceOwnership::Borrowed) ||
      !JS::Evaluate(cx_, options, source, function)) {
    return fail(failure(FailureKind::syntax, script.name));
  }
  if (!function.isObject() || !JS_ObjectIsFunction(&function.toObject())) {
    return fail(ScriptFailure{FailureKind::syntax, script.name, "the script is not a function"});
  }
  return {};
}

Result<std::string, ScriptFailure> Engine::State::settle(JS::HandleValue returned) {
  JS::RootedObject promise(cx_, returned.isObject() ? &returned.toObject() : nullptr);
  const bool is_promise = promise != nullptr && JS::IsPromiseObject(promise);
  if (!jobs_.drain(cx_, [this] { return !interrupted_.load(); }) || interrupted_.load()) {
    return fail(failure(FailureKind::timeout, ""));
  }
  JS::RootedValue value(cx_, returned);
  if (is_promise) {
    switch (JS::GetPromiseState(promise)) {
      case JS::PromiseState::Pending:
        return fail(ScriptFailure{FailureKind::timeout, "",
                                  "the result never settled and no work is pending"});
      case JS::PromiseState::Rejected: {
        JS::RootedValue reason(cx_, JS::GetPromiseResult(promise));
        JS::RootedObject stack(cx_);
        return fail(describe(FailureKind::exception, "", JS::ExceptionStack(cx_, reason, stack)));
      }
      case JS::PromiseState::Fulfilled:
        value = JS::GetPromiseResult(promise);
        break;
    }
  }
  if (!value.isString()) {
    return fail(ScriptFailure{FailureKind::exception, "", "the entry did not produce a string"});
  }
  JS::RootedString text(cx_, value.toString());
  return utf8(cx_, text);
}

ScriptFailure Engine::State::failure(FailureKind otherwise, std::string script) {
  if (out_of_memory_ || JS_IsThrowingOutOfMemory(cx_)) {
    JS_ClearPendingException(cx_);
    return {FailureKind::heap, std::move(script), "heap limit reached"};
  }
  if (interrupted_.load()) {
    JS_ClearPendingException(cx_);
    return {FailureKind::timeout, std::move(script), "wall time limit reached"};
  }
  if (!JS_IsExceptionPending(cx_)) {
    return {otherwise, std::move(script), "the script was terminated"};
  }
  JS::ExceptionStack stack(cx_);
  if (!JS::StealPendingExceptionStack(cx_, &stack)) {
    JS_ClearPendingException(cx_);
    return {otherwise, std::move(script), "the script threw"};
  }
  return describe(otherwise, std::move(script), stack);
}

ScriptFailure Engine::State::describe(FailureKind kind, std::string script,
                                      const JS::ExceptionStack& stack) {
  JS::ErrorReportBuilder report(cx_);
  if (!report.init(cx_, stack, JS::ErrorReportBuilder::NoSideEffects)) {
    JS_ClearPendingException(cx_);
    return {kind, std::move(script), "the script threw"};
  }
  std::string message = report.toStringResult() ? report.toStringResult().c_str() : "";
  if (const JSErrorReport* details = report.report();
      details != nullptr && details->filename != nullptr) {
    if (script.empty()) {
      script = details->filename;
    }
    message =
        std::string(details->filename) + ":" + std::to_string(details->lineno) + ": " + message;
  }
  return {kind, std::move(script), std::move(message)};
}

Engine::Engine(const Platform& /*platform*/, EngineOptions options)
    : state_(std::make_unique<State>(options)) {}

Engine::~Engine() = default;

Result<std::string, ScriptFailure> Engine::run(const Program& program) {
  return state_->run(program);
}

const EngineOptions& Engine::options() const { return state_->options(); }

}  // namespace latchkey::rules
