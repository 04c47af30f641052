#include "config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <boost/url/parse.hpp>
#include <charconv>

extern char** environ;  // NOLINT: POSIX; read only in latchkey_environment()

namespace latchkey::config {
namespace {

constexpr std::string_view kEnvPrefix = "LATCHKEY_";

/// Every setting: its TOML key; whether it may come from the file and flags (kek may not).
struct Setting {
  std::string_view key;
  bool file_and_flags;
};

constexpr std::array<Setting, 18> kSettings = {{
    {"listen", true},
    {"issuer", true},
    {"threads", true},
    {"data_dir", true},
    {"tls_cert", true},
    {"tls_key", true},
    {"log_level", true},
    {"header_timeout_ms", true},
    {"idle_timeout_ms", true},
    {"body_limit", true},
    {"max_connections", true},
    {"templates_dir", true},
    {"signup_enabled", true},
    {"rules_timeout_ms", true},
    {"rules_heap_mb", true},
    {"worker_nice", true},
    {"password_hash_memory_mb", true},
    {"kek", false},
}};

const Setting* find_setting(std::string_view key) {
  for (const auto& s : kSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

/// A setting's text and where it came from, for error messages.
struct Value {
  std::string text;
  std::string origin;
};

using Collected = std::map<std::string, Value, std::less<>>;

Result<void, std::string> collect_file(const std::filesystem::path& file, Collected& out) {
  toml::table table;
  try {
    table = toml::parse_file(file.string());
  } catch (const toml::parse_error& e) {
    return fail(file.string() + ": " + std::string(e.description()));
  }
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    const Setting* setting = find_setting(name);
    if (setting == nullptr || !setting->file_and_flags) {
      return fail(file.string() + ": unknown setting '" + name + "'");
    }
    std::string text;
    if (const auto s = node.value<std::string>(); s && node.is_string()) {
      text = *s;
    } else if (const auto i = node.value<std::int64_t>(); i && node.is_integer()) {
      text = std::to_string(*i);
    } else if (const auto b = node.value<bool>(); b && node.is_boolean()) {
      text = *b ? "true" : "false";
    } else {
      return fail(file.string() + ": setting '" + name + "' must be a string or a number");
    }
    out[name] = Value{std::move(text), file.string() + ": " + name};
  }
  return {};
}

Result<void, std::string> collect_environment(
    const std::map<std::string, std::string, std::less<>>& env, Collected& out) {
  for (const auto& [name, text] : env) {
    if (!name.starts_with(kEnvPrefix)) continue;
    std::string key = name.substr(kEnvPrefix.size());
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (find_setting(key) == nullptr) {
      return fail("unknown environment variable " + name);
    }
    out[key] = Value{text, "environment variable " + name};
  }
  return {};
}

Result<void, std::string> collect_flags(const Overrides& flags, Collected& out) {
  for (const auto& [key, text] : flags) {
    const Setting* setting = find_setting(key);
    if (setting == nullptr || !setting->file_and_flags)
      return fail("unknown setting '" + key + "'");
    std::string flag = "--" + key;
    std::replace(flag.begin(), flag.end(), '_', '-');
    out[key] = Value{text, "flag " + flag};
  }
  return {};
}

/// A whole number in [low, high], or a message saying so.
Result<std::uint32_t, std::string> parse_number(std::string_view text, std::uint32_t low,
                                                std::uint32_t high) {
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < low ||
      n > high) {
    return fail("expected a whole number from " + std::to_string(low) + " to " +
                std::to_string(high));
  }
  return n;
}

/// The numeric settings and their bounds.
struct NumberSetting {
  std::string_view key;
  std::uint32_t low;
  std::uint32_t high;
  std::uint32_t Config::*field;
};

constexpr std::array<NumberSetting, 8> kNumberSettings = {{
    {"header_timeout_ms", 100, 600000, &Config::header_timeout_ms},
    {"idle_timeout_ms", 100, 3600000, &Config::idle_timeout_ms},
    {"body_limit", 1024, 64u * 1024 * 1024, &Config::body_limit},
    {"max_connections", 1, 1000000, &Config::max_connections},
    {"rules_timeout_ms", 10, 60000, &Config::rules_timeout_ms},
    {"rules_heap_mb", 8, 4096, &Config::rules_heap_mb},
    {"worker_nice", 0, 19, &Config::worker_nice},
    {"password_hash_memory_mb", 32, 65536, &Config::password_hash_memory_mb},
}};

const NumberSetting* find_number_setting(std::string_view key) {
  for (const auto& s : kNumberSettings) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

Result<void, std::string> apply(std::string_view key, const std::string& text, Config& config) {
  if (key == "listen") {
    auto listen = parse_listen(text);
    if (!listen) return fail(listen.error());
    config.listen = *listen;
  } else if (key == "issuer") {
    auto issuer = normalize_issuer(text);
    if (!issuer) return fail(issuer.error());
    config.issuer = *issuer;
  } else if (key == "threads") {
    auto threads = parse_number(text, 0, 256);
    if (!threads) return fail(threads.error());
    config.threads = *threads;
  } else if (key == "data_dir") {
    if (text.empty()) return fail(std::string("must not be empty"));
    config.data_dir = text;
  } else if (key == "tls_cert" || key == "tls_key") {
    if (text.empty()) return fail(std::string("must name a PEM file"));
    (key == "tls_cert" ? config.tls_cert : config.tls_key) = text;
  } else if (key == "log_level") {
    const auto level = parse_log_level(text);
    if (!level)
      return fail(std::string("expected trace, debug, info, warn, error, critical or off"));
    config.log_level = *level;
  } else if (const auto* number = find_number_setting(key)) {
    auto n = parse_number(text, number->low, number->high);
    if (!n) return fail(n.error());
    config.*(number->field) = *n;
  } else if (key == "templates_dir") {
    if (!std::filesystem::is_directory(text)) return fail("not a directory: " + text);
    config.templates_dir = text;
  } else if (key == "signup_enabled") {
    if (text != "true" && text != "false") return fail(std::string("expected true or false"));
    config.signup_enabled = text == "true";
  } else if (key == "kek") {
    if (text.empty()) return fail(std::string("must be base64 of 32 bytes"));
    config.kek = text;
  }
  return {};
}

Result<void, std::string> check_consistency(const Config& config) {
  if (config.tls_cert.has_value() != config.tls_key.has_value()) {
    return fail(std::string("tls_cert and tls_key must be given together"));
  }
  for (const auto& file : {config.tls_cert, config.tls_key}) {
    if (file && !std::filesystem::is_regular_file(*file)) {
      return fail("TLS file not found: " + *file);
    }
  }
  return {};
}

}  // namespace

Result<Config, std::string> load(const Sources& sources) {
  Collected collected;
  if (sources.file) {
    if (auto r = collect_file(*sources.file, collected); !r) return fail(r.error());
  }
  if (auto r = collect_environment(sources.environment, collected); !r) return fail(r.error());
  if (auto r = collect_flags(sources.flags, collected); !r) return fail(r.error());

  Config config;
  for (const auto& [key, value] : collected) {
    if (auto r = apply(key, value.text, config); !r) {
      return fail(value.origin + ": " + r.error());
    }
  }
  if (auto r = check_consistency(config); !r) return fail(r.error());
  return config;
}

std::map<std::string, std::string, std::less<>> latchkey_environment() {
  std::map<std::string, std::string, std::less<>> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view line(*entry);
    if (!line.starts_with(kEnvPrefix)) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
  }
  return env;
}

bool is_loopback_host(std::string_view host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  if (!host.starts_with("127.")) return false;
  // 127.0.0.0/8: four dotted decimal parts.
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    const auto dot = host.find('.', start);
    const auto part = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || end != part.data() + part.size() || v > 255) {
      return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

Result<std::string, std::string> normalize_issuer(std::string_view issuer) {
  const auto url = boost::urls::parse_absolute_uri(issuer);
  if (!url) return fail("issuer must be an absolute URL, got '" + std::string(issuer) + "'");
  const auto scheme = url->scheme();
  if (scheme != "https" && scheme != "http") return fail(std::string("issuer must be http(s)"));
  if (url->host().empty()) return fail(std::string("issuer must name a host"));
  if (url->has_query() || url->has_fragment() || url->has_userinfo()) {
    return fail(std::string("issuer must not have a query, fragment or user info"));
  }
  if (scheme == "http" && !is_loopback_host(url->host())) {
    return fail("issuer must use https unless its host is loopback, got '" + std::string(issuer) +
                "'");
  }
  std::string normalized(issuer);
  if (!normalized.ends_with('/')) normalized.push_back('/');
  return normalized;
}

Result<ListenAddress, std::string> parse_listen(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return fail("listen must be HOST:PORT, got '" + std::string(text) + "'");
  }
  std::string host(text.substr(0, colon));
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  const auto port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return fail("listen port must be 0-65535, got '" + std::string(port_text) + "'");
  }
  return ListenAddress{std::move(host), static_cast<std::uint16_t>(port)};
}

std::string effective_issuer(const Config& config, std::uint16_t bound_port) {
  if (!config.issuer.empty()) return config.issuer;
  const std::string scheme = config.tls_cert ? "https" : "http";
  std::string host = config.listen.host;
  if (host == "0.0.0.0" || host.empty()) host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return scheme + "://" + host + ":" + std::to_string(bound_port) + "/";
}

}  // namespace latchkey::config
