#include "options.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace latchkey::loadgen {
namespace {

constexpr int kMaxConcurrency = 4096;
constexpr int kMaxThreads = 64;
constexpr std::array<std::pair<std::string_view, Scenario>, 7> kScenarioNames{{
    {"code", Scenario::code},
    {"cc", Scenario::cc},
    {"refresh", Scenario::refresh},
    {"userinfo", Scenario::userinfo},
    {"jwks", Scenario::jwks},
    {"discovery", Scenario::discovery},
    {"login", Scenario::login},
}};

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> items;
  while (true) {
    const auto comma = text.find(',');
    items.push_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return items;
    text.remove_prefix(comma + 1);
  }
}

// The raw values CLI11 fills; turned into Options by finish().
struct RawFlags {
  std::string scenarios = "code";
  std::string concurrency = "16";
  std::string background;
  double duration_s = 10;
  double warmup_s = 2;
  int timeout_ms = 10000;
  std::string auth_method = "basic";
  int server_pid = 0;
};

void add_flags(CLI::App& app, Options& o, RawFlags& raw) {
  app.add_option("--issuer", o.issuer, "issuer URL (discovery is read from it)")->required();
  app.add_option("--client-id", o.client_id, "client_id of a confidential client");
  app.add_option("--client-secret", o.client_secret, "its client_secret");
  app.add_option("--redirect-uri", o.redirect_uri, "a registered redirect_uri of the client");
  app.add_option("--scope", o.scope, "scope of code flows")->capture_default_str();
  app.add_option("--audience", o.audience, "audience= sent with /authorize and cc grants");
  app.add_option("--resource", o.resource, "resource= (RFC 8707) sent likewise");
  app.add_option("--cc-scope", o.cc_scope, "scope of client_credentials grants");
  app.add_option("--auth-method", raw.auth_method, "basic or post (client_secret_basic/_post)");
  app.add_option("--user", o.user, "login typed into the provider's login form");
  app.add_option("--password", o.password, "password typed into the login form");
  app.add_option("--cookie", o.cookie, "session cookie header to use instead of logging in");
  app.add_option("--scenario", raw.scenarios, "code,cc,refresh,userinfo,jwks,discovery,login");
  app.add_option("--background", raw.background,
                 "SCENARIO:N, unmeasured load beside every run (e.g. login:8)");
  app.add_option("--concurrency", raw.concurrency, "connections per run, a list: 16,64");
  app.add_option("--duration", raw.duration_s, "measured seconds per run (at most 600)");
  app.add_option("--warmup", raw.warmup_s, "unmeasured seconds before each run");
  app.add_option("--max-ops", o.max_ops, "end a run after this many operations (0: none)");
  app.add_option("--timeout-ms", raw.timeout_ms, "per-request timeout");
  app.add_option("--threads", o.threads, "io_context threads");
  app.add_option("--server-pid", raw.server_pid, "server pid: CPU and RSS from /proc");
  app.add_option("--json", o.json_path, "also write the results as JSON to this file");
  app.add_flag("--allow-non-loopback", o.allow_non_loopback, "allow an issuer off loopback");
}

std::chrono::milliseconds seconds_to_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0));
}

Result<void, std::string> check_bounds(const RawFlags& raw, const Options& o) {
  if (!(raw.duration_s > 0) || raw.duration_s > static_cast<double>(kMaxDuration.count())) {
    return fail(std::string("--duration must be in (0, 600] seconds"));
  }
  if (!(raw.warmup_s >= 0) || raw.warmup_s > static_cast<double>(kMaxDuration.count())) {
    return fail(std::string("--warmup must be in [0, 600] seconds"));
  }
  if (raw.timeout_ms < 1 || raw.timeout_ms > 600000) {
    return fail(std::string("--timeout-ms must be in [1, 600000]"));
  }
  if (o.threads < 1 || o.threads > kMaxThreads) {
    return fail(std::string("--threads must be in [1, 64]"));
  }
  if (raw.auth_method != "basic" && raw.auth_method != "post") {
    return fail(std::string("--auth-method must be basic or post"));
  }
  return {};
}

Result<void, std::string> check_required(const Options& o) {
  std::vector<Scenario> all = o.scenarios;
  if (o.background) all.push_back(o.background->scenario);
  const auto has = [&](Scenario s) { return std::find(all.begin(), all.end(), s) != all.end(); };
  const bool flows = std::any_of(all.begin(), all.end(), needs_session);
  const bool logins = has(Scenario::login);
  if ((flows || logins || has(Scenario::cc)) && o.client_id.empty()) {
    return fail(std::string("--client-id is required"));
  }
  if ((flows || logins) && o.redirect_uri.empty()) {
    return fail(std::string("--redirect-uri is required"));
  }
  if (logins && (o.user.empty() || o.password.empty())) {
    return fail(std::string("the login scenario needs --user and --password"));
  }
  if (flows && o.cookie.empty() && o.user.empty()) {
    return fail(std::string("--user and --password (or --cookie) are required"));
  }
  return {};
}

Result<Options, std::string> finish(Options o, const RawFlags& raw) {
  if (auto bounds = check_bounds(raw, o); !bounds) return fail(bounds.error());
  auto scenarios = parse_scenarios(raw.scenarios);
  if (!scenarios) return fail(scenarios.error());
  auto levels = parse_concurrency(raw.concurrency);
  if (!levels) return fail(levels.error());
  o.scenarios = std::move(*scenarios);
  o.concurrency = std::move(*levels);
  if (!raw.background.empty()) {
    auto background = parse_background(raw.background);
    if (!background) return fail(background.error());
    o.background = *background;
  }
  o.duration = seconds_to_ms(raw.duration_s);
  o.warmup = seconds_to_ms(raw.warmup_s);
  o.timeout = std::chrono::milliseconds(raw.timeout_ms);
  o.auth_method = raw.auth_method == "post" ? AuthMethod::post : AuthMethod::basic;
  if (raw.server_pid > 0) o.server_pid = raw.server_pid;
  if (auto required = check_required(o); !required) return fail(required.error());
  return o;
}

}  // namespace

std::string_view to_string(Scenario scenario) {
  for (const auto& [name, value] : kScenarioNames) {
    if (value == scenario) return name;
  }
  return "unknown";
}

bool needs_session(Scenario scenario) {
  return scenario == Scenario::code || scenario == Scenario::refresh ||
         scenario == Scenario::userinfo;
}

Result<std::vector<Scenario>, std::string> parse_scenarios(std::string_view text) {
  std::vector<Scenario> scenarios;
  for (const auto item : split_list(text)) {
    const auto* found = std::find_if(kScenarioNames.begin(), kScenarioNames.end(),
                                     [&](const auto& entry) { return entry.first == item; });
    if (found == kScenarioNames.end()) {
      return fail("unknown scenario '" + std::string(item) +
                  "' (code, cc, refresh, userinfo, jwks, discovery, login)");
    }
    scenarios.push_back(found->second);
  }
  return scenarios;
}

Result<std::vector<int>, std::string> parse_concurrency(std::string_view text) {
  std::vector<int> levels;
  for (const auto item : split_list(text)) {
    int value = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value);
    if (error != std::errc() || end != item.data() + item.size() || value < 1 ||
        value > kMaxConcurrency) {
      return fail("bad concurrency '" + std::string(item) + "' (a list of 1..4096)");
    }
    levels.push_back(value);
  }
  return levels;
}

Result<Background, std::string> parse_background(std::string_view text) {
  const auto colon = text.find(':');
  const std::string usage =
      "bad --background '" + std::string(text) + "' (SCENARIO:N, e.g. login:8)";
  if (colon == std::string_view::npos) return fail(usage);
  auto scenario = parse_scenarios(text.substr(0, colon));
  if (!scenario || scenario->size() != 1) return fail(usage);
  auto level = parse_concurrency(text.substr(colon + 1));
  if (!level || level->size() != 1) return fail(usage);
  return Background{scenario->front(), level->front()};
}

Result<ParseOutcome, std::string> parse_options(std::vector<std::string> args) {
  CLI::App app{"latchkey-loadgen: OAuth 2.0 / OpenID Connect load generator", "latchkey-loadgen"};
  Options options;
  RawFlags raw;
  add_flags(app, options, raw);
  std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last-first
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    return ParseOutcome{std::nullopt, app.help()};
  } catch (const CLI::ParseError& error) {
    return fail(std::string(error.what()));
  }
  auto finished = finish(std::move(options), raw);
  if (!finished) return fail(finished.error());
  return ParseOutcome{std::move(*finished), ""};
}

}  // namespace latchkey::loadgen
