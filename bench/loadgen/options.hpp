#pragma once
// Command-line options of latchkey-loadgen, parsed and validated without touching the network.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace latchkey::loadgen {

/// The workloads the generator drives (README.md, "Scenarios").
enum class Scenario { code, cc, refresh, userinfo, jwks, discovery, login };

/// How the client authenticates at the token endpoint (RFC 6749 §2.3.1).
enum class AuthMethod { basic, post };

/// The wire name of a scenario ("code", "cc", ...).
[[nodiscard]] std::string_view to_string(Scenario scenario);

/// Load that runs beside every measured run, unmeasured: `concurrency` connections looping on
/// `scenario` (e.g. a storm of password logins while the token endpoint is measured).
struct Background {
  Scenario scenario = Scenario::login;
  int concurrency = 0;
};

struct Options {
  std::string issuer;
  std::string client_id;
  std::string client_secret;
  std::string redirect_uri;
  std::string scope = "openid profile email";
  std::string audience;  ///< sent as `audience=` (Auth0) when set
  std::string resource;  ///< sent as `resource=` (RFC 8707) when set
  std::string cc_scope;
  AuthMethod auth_method = AuthMethod::basic;
  std::string user;
  std::string password;
  std::string cookie;  ///< a ready session ("a=b; c=d"); skips the login form
  std::vector<Scenario> scenarios{Scenario::code};
  std::vector<int> concurrency{16};
  std::optional<Background> background;
  std::chrono::milliseconds duration{10000};
  std::chrono::milliseconds warmup{2000};
  std::uint64_t max_ops = 0;  ///< 0: no limit
  std::chrono::milliseconds timeout{10000};
  int threads = 1;
  std::optional<int> server_pid;
  std::string json_path;
  bool allow_non_loopback = false;
};

/// The longest measured phase a run may ask for.
inline constexpr std::chrono::seconds kMaxDuration{600};

/// What parsing produced: options to run, or text to print and exit with (help is not an error).
struct ParseOutcome {
  std::optional<Options> options;
  std::string message;  ///< help text, when options is empty
};

/// Parses `args` (without the program name). Fails with a one-line reason on an unknown flag,
/// a malformed list or number, a bound exceeded (duration over 600 s, concurrency outside
/// 1..4096) or a missing required flag (--issuer; --client-id and --redirect-uri for flows).
[[nodiscard]] Result<ParseOutcome, std::string> parse_options(std::vector<std::string> args);

/// Parses "code,cc,..." into scenarios; fails on an unknown or empty name.
[[nodiscard]] Result<std::vector<Scenario>, std::string> parse_scenarios(std::string_view text);

/// Parses "16,64" into positive concurrency levels (at most 4096 each).
[[nodiscard]] Result<std::vector<int>, std::string> parse_concurrency(std::string_view text);

/// Parses "login:8" (SCENARIO:CONNECTIONS) into background load.
[[nodiscard]] Result<Background, std::string> parse_background(std::string_view text);

/// Whether `scenario` needs a logged-in session (code, refresh, userinfo).
[[nodiscard]] bool needs_session(Scenario scenario);

}  // namespace latchkey::loadgen
