// The latency the rules pipeline adds to one login (issue 5: under 2 ms with 3 rules), measured
// where a login pays it: app::RulesLoginPipeline::run over a real SQLite store in a temp dir. That
// includes listing the rules and actions, opening the sealed rules-configs, building Auth0's
// user and context, running the engine in a fresh realm and reading the result back. Scenarios:
// no rules (the baseline), 3 typical rules, and the 3 equivalent post-login Actions. The engine
// alone (rules::run_pipeline on a prepared input) is measured beside them, to split the cost.
// Engine creation, paid once per worker thread, is timed once on a fresh thread and reported in
// the run's context, not as a benchmark.

#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/rule_configs.hpp"
#include "app/rules_login_pipeline.hpp"
#include "crypto/random.hpp"
#include "rules/auth0_objects.hpp"
#include "rules/engine_set.hpp"
#include "rules/pipeline.hpp"
#include "rules/platform.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace {

using namespace latchkey;  // NOLINT(google-build-using-namespace): a benchmark's main file
using Kind = oauth::LoginPipelineOutcome::Kind;

constexpr std::string_view kTenant = "latchkey.bench";
constexpr std::string_view kBlockedDomainsKey = "BLOCKED_DOMAINS";
constexpr std::string_view kBlockedDomains = "spam.example,throwaway.example";

struct NamedScript {
  std::string name;
  std::string source;
};

// Three rules in the style of Auth0's templates; the domain rule lets this user through.
std::vector<NamedScript> typical_rules() {
  return {
      {"add-roles", R"js(function addRolesToTokens(user, context, callback) {
  const namespace = 'https://example.com/';
  const roles = (user.app_metadata && user.app_metadata.roles) || [];
  context.idToken[namespace + 'roles'] = roles;
  context.accessToken[namespace + 'roles'] = roles;
  callback(null, user, context);
})js"},
      {"email-in-access-token", R"js(function addEmailToAccessToken(user, context, callback) {
  context.accessToken['https://example.com/email'] = user.email;
  callback(null, user, context);
})js"},
      {"deny-blocked-domains", R"js(function denyBlockedDomains(user, context, callback) {
  const blocked = (configuration.BLOCKED_DOMAINS || '').split(',');
  const domain = (user.email || '').split('@').pop().toLowerCase();
  if (blocked.includes(domain)) {
    return callback(new UnauthorizedError('Access denied for ' + domain));
  }
  callback(null, user, context);
})js"},
  };
}

// The same three as post-login Actions (actions get no rules-configs, so the list is inline).
std::vector<NamedScript> typical_actions() {
  return {
      {"add-roles", R"js(exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.app_metadata?.roles ?? [];
  api.idToken.setCustomClaim('https://example.com/roles', roles);
  api.accessToken.setCustomClaim('https://example.com/roles', roles);
};)js"},
      {"email-in-access-token", R"js(exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim('https://example.com/email', event.user.email);
};)js"},
      {"deny-blocked-domains", R"js(const BLOCKED = ['spam.example', 'throwaway.example'];
exports.onExecutePostLogin = async (event, api) => {
  const domain = (event.user.email ?? '').split('@').pop().toLowerCase();
  if (BLOCKED.includes(domain)) api.access.deny(`Access denied for ${domain}`);
};)js"},
  };
}

/// A directory under the system temp dir, removed with everything in it.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "rules-bench-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir(ScratchDir&&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

template <typename T>
T must(Result<T, std::string> result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + ": " + result.error());
  return std::move(result).value();
}

template <typename R>
void must_store(const R& result, const char* what) {
  if (!result) throw std::runtime_error(std::string(what) + " failed");
}

/// One SQLite store holding a user, a client, one rules-config and the scenario's scripts, and
/// the pipeline a login calls.
class LoginFixture {
 public:
  LoginFixture(rules::EngineSet& engines, const std::vector<NamedScript>& rule_scripts,
               const std::vector<NamedScript>& action_scripts)
      : store_(must(store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db"), "open store")),
        pipeline_(*store_, engines, kek_, std::string(kTenant), *log_, clock_) {
    user_.user_id = "auth0|65a1f0c2d3e4b5a697887766";
    user_.email = "ann@corp.example";
    user_.email_verified = true;
    user_.name = "Ann Example";
    user_.nickname = "ann";
    user_.app_metadata = {{"roles", {"admin", "editor"}}, {"plan", "pro"}};
    user_.user_metadata = {{"theme", "dark"}};
    user_.logins_count = 12;
    must_store(store_->users().create(user_), "create user");
    client_.client_id = "kbyuFDidLLm280LiwVR4";
    client_.name = "Example Web App";
    crypto::OsRandom random;
    must_store(
        store_->rule_configs().set(must(
            app::seal_rule_config(kek_, kBlockedDomainsKey, kBlockedDomains, clock_.now(), random),
            "seal rules-config")),
        "set rules-config");
    std::int64_t order = 1;
    for (const auto& rule : rule_scripts) {
      must_store(store_->rules().create({"rul_" + rule.name, rule.name, rule.source, order++, true,
                                         clock_.now(), clock_.now()}),
                 "create rule");
    }
    for (const auto& action : action_scripts) {
      must_store(store_->actions().create({"act_" + action.name, action.name, action.source,
                                           order++, true, clock_.now(), clock_.now()}),
                 "create action");
    }
  }

  /// What the code issuance calls for one login.
  oauth::LoginPipelineOutcome login() { return pipeline_.run(user_, client_, facts()); }

  /// The engine's input for this login, as the pipeline builds it.
  [[nodiscard]] rules::PipelineInput engine_input() const {
    rules::LoginFacts login;
    login.tenant = std::string(kTenant);
    login.hostname = std::string(kTenant);
    login.scopes = facts().scopes;
    login.query = facts().query;
    return {rules::rule_user(user_),
            rules::rule_context(client_, user_, login),
            {{std::string(kBlockedDomainsKey), std::string(kBlockedDomains)}},
            std::nullopt};
  }

 private:
  static oauth::LoginPipelineFacts facts() {
    oauth::LoginPipelineFacts facts;
    facts.ip = "203.0.113.7";
    facts.user_agent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0";
    facts.query = {{"client_id", "kbyuFDidLLm280LiwVR4"},
                   {"response_type", "code"},
                   {"scope", "openid profile email read:things"},
                   {"redirect_uri", "https://app.example/callback"},
                   {"state", "af0ifjsldkj"}};
    facts.scopes = {"openid", "profile", "email", "read:things"};
    facts.audience = "https://api.example.com/";
    facts.session_id = "ses_4f3e2d1c";
    return facts;
  }

  ScratchDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  jose::KeyEncryptionKey kek_{std::array<std::uint8_t, 32>{42}};
  std::shared_ptr<Logger> log_ = make_null_logger();
  ManualClock clock_{TimePoint(std::chrono::seconds(1'700'000'000))};
  model::User user_;
  model::Client client_;
  app::RulesLoginPipeline pipeline_;
};

// A benchmark that measures a failing login would be worthless: check what the scripts did.
void check_typical_outcome(const oauth::LoginPipelineOutcome& outcome) {
  const auto& claims = outcome.extra_claims;
  if (outcome.kind != Kind::ok || !claims.contains("access_token") ||
      claims["access_token"].value("https://example.com/email", "") != "ann@corp.example" ||
      !claims["id_token"].contains("https://example.com/roles")) {
    throw std::runtime_error("the 3 scripts did not produce the expected claims");
  }
}

std::vector<rules::Rule> engine_rules(const std::vector<NamedScript>& scripts) {
  std::vector<rules::Rule> out;
  for (const auto& s : scripts) out.push_back({s.name, s.source, true});
  return out;
}

std::vector<rules::Action> engine_actions(const std::vector<NamedScript>& scripts) {
  std::vector<rules::Action> out;
  for (const auto& s : scripts) out.push_back({s.name, s.source, {}});
  return out;
}

// Every iteration must be a successful login; the share that was not is reported beside the
// times (a failed run is cheaper and would flatter them).
benchmark::Counter failed_share(double failed) {
  return benchmark::Counter(failed, benchmark::Counter::kAvgIterations);
}

void register_login(const char* name, LoginFixture& fixture) {
  benchmark::RegisterBenchmark(name,
                               [&fixture](benchmark::State& state) {
                                 double failed = 0;
                                 for (auto _ : state) {
                                   auto outcome = fixture.login();
                                   if (outcome.kind != Kind::ok) ++failed;
                                   benchmark::DoNotOptimize(outcome);
                                 }
                                 state.counters["failed"] = failed_share(failed);
                               })
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime()
      ->MeasureProcessCPUTime();
}

void register_engine(const char* name, rules::EngineSet& engines, rules::PipelineInput input,
                     std::vector<rules::Rule> rule_list, std::vector<rules::Action> action_list) {
  benchmark::RegisterBenchmark(
      name,
      [&engines, input = std::move(input), rule_list = std::move(rule_list),
       action_list = std::move(action_list)](benchmark::State& state) {
        double failed = 0;
        for (auto _ : state) {
          auto result =
              rules::run_pipeline(engines.for_this_thread(), rule_list, action_list, input);
          if (result.outcome != rules::Outcome::ok) ++failed;
          benchmark::DoNotOptimize(result);
        }
        state.counters["failed"] = failed_share(failed);
      })
      ->Unit(benchmark::kMicrosecond)
      ->UseRealTime()
      ->MeasureProcessCPUTime();
}

double millis_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Once, on a thread that has no Engine yet (a worker's first login): engine creation, then the
// first and second logins on it. The thread's Engine dies with the thread.
void note_fresh_thread(rules::EngineSet& engines, LoginFixture& fixture) {
  std::array<double, 3> ms{};
  std::thread worker([&] {
    auto start = std::chrono::steady_clock::now();
    static_cast<void>(engines.for_this_thread());
    ms[0] = millis_since(start);
    start = std::chrono::steady_clock::now();
    check_typical_outcome(fixture.login());
    ms[1] = millis_since(start);
    start = std::chrono::steady_clock::now();
    check_typical_outcome(fixture.login());
    ms[2] = millis_since(start);
  });
  worker.join();
  const auto text = [](double value) {
    std::array<char, 32> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%.2f ms", value);
    return std::string(buffer.data());
  };
  benchmark::AddCustomContext("fresh_thread_engine_creation", text(ms[0]));
  benchmark::AddCustomContext("fresh_thread_first_login_3_rules", text(ms[1]));
  benchmark::AddCustomContext("fresh_thread_second_login_3_rules", text(ms[2]));
}

int run(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const rules::Platform platform;
  rules::EngineSet engines(platform, rules::EngineOptions{});
  LoginFixture none(engines, {}, {});
  LoginFixture three_rules(engines, typical_rules(), {});
  LoginFixture three_actions(engines, {}, typical_actions());
  note_fresh_thread(engines, three_rules);
  check_typical_outcome(three_rules.login());  // also builds this thread's Engine
  check_typical_outcome(three_actions.login());

  register_login("login/no_rules", none);
  register_login("login/3_rules", three_rules);
  register_login("login/3_actions", three_actions);
  register_engine("engine_only/3_rules", engines, three_rules.engine_input(),
                  engine_rules(typical_rules()), {});
  register_engine("engine_only/3_actions", engines, three_actions.engine_input(), {},
                  engine_actions(typical_actions()));
  register_engine("engine_only/1_empty_rule", engines, three_rules.engine_input(),
                  engine_rules({{"noop", "function (u, c, cb) { cb(null, u, c); }"}}), {});
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rules_bench: %s\n", e.what());
    return 1;
  }
}
