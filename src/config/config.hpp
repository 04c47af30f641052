#pragma once
// latchkey's settings: defaults < latchkey.toml < LATCHKEY_* environment < command-line flags.
// Loaded and validated once at start; afterwards an immutable value passed to whoever needs it.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/log.hpp"
#include "core/result.hpp"

namespace latchkey::config {

struct ListenAddress {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
};

struct Config {
  ListenAddress listen;
  /// Absolute URL ending in '/'. Empty means "derive from the listen address once bound".
  std::string issuer;
  unsigned threads = 0;  // 0: one I/O thread per core
  std::filesystem::path data_dir = "./data";
  std::optional<std::string> tls_cert;
  std::optional<std::string> tls_key;
  LogLevel log_level = LogLevel::info;
  /// HTTP limits: a slow or idle client is cut off; bodies and connections are bounded.
  std::uint32_t header_timeout_ms = 10000;
  std::uint32_t idle_timeout_ms = 30000;
  std::uint32_t body_limit = 64 * 1024;
  std::uint32_t max_connections = 10000;
  /// A folder whose <page>.mustache files replace the built-in page templates.
  std::optional<std::filesystem::path> templates_dir;
  /// Serve /u/signup and link to it from the login page.
  bool signup_enabled = false;
  /// Limits of one run of the rules and actions of a login (issue 5): wall time and JS heap.
  std::uint32_t rules_timeout_ms = 5000;
  std::uint32_t rules_heap_mb = 64;
  /// Nice value of the threads that hash passwords and run rules (0..19): they yield to the
  /// threads serving tokens, so a storm of logins does not slow the token endpoint.
  std::uint32_t worker_nice = 5;
  /// Memory (MiB) the argon2id hashes of logins and sign-ups may hold at once. A hash takes 32 MiB,
  /// so the default lets one run at a time: the RSS stays under 80 MB during a storm of logins.
  std::uint32_t password_hash_memory_mb = 32;
  /// Key-encryption key for signing keys at rest (base64 of 32 bytes); environment only.
  std::optional<std::string> kek;
};

/// Settings as text, keyed by their TOML names (listen, issuer, threads, data_dir, tls_cert,
/// tls_key, log_level, header_timeout_ms, idle_timeout_ms, body_limit, max_connections,
/// templates_dir, signup_enabled, rules_timeout_ms, rules_heap_mb, worker_nice,
/// password_hash_memory_mb). The CLI fills one from its flags.
using Overrides = std::map<std::string, std::string, std::less<>>;

/// Where settings come from. `environment` is the process environment as name=value pairs;
/// only variables starting with LATCHKEY_ are read.
struct Sources {
  std::optional<std::filesystem::path> file;
  std::map<std::string, std::string, std::less<>> environment;
  Overrides flags;
};

/// Loads and validates. Fails with one line naming the offending file, key or variable.
[[nodiscard]] Result<Config, std::string> load(const Sources& sources);

/// The process environment's LATCHKEY_* variables (the one place getenv-like access happens).
[[nodiscard]] std::map<std::string, std::string, std::less<>> latchkey_environment();

/// Normalises an issuer as Auth0 does (trailing slash) and checks it: an absolute http(s) URL
/// without query or fragment; https unless the host is loopback.
[[nodiscard]] Result<std::string, std::string> normalize_issuer(std::string_view issuer);

/// Parses "host:port" or "[v6]:port".
[[nodiscard]] Result<ListenAddress, std::string> parse_listen(std::string_view text);

/// True for localhost, 127.0.0.0/8 and ::1.
[[nodiscard]] bool is_loopback_host(std::string_view host);

/// The issuer to use once the server is bound: the configured one, or http://host:port/.
[[nodiscard]] std::string effective_issuer(const Config& config, std::uint16_t bound_port);

}  // namespace latchkey::config
