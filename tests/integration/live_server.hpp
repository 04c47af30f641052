#pragma once
// One real `latchkey` server per test binary, provisioned through the CLI, and the browser
// walks the flow tests share: /authorize through the hosted login and consent pages to the
// app's callback. Each binary starts its server once (SetUpTestSuite) to keep CI time small.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "support/browser.hpp"
#include "support/process.hpp"

namespace latchkey::testing {

inline constexpr const char* kTestKek = "LATCHKEY_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
// RFC 7636 Appendix B.
inline constexpr const char* kPkceVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kPkceChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A client as `latchkey clients create --json` printed it.
struct LiveClient {
  std::string id;
  std::string secret;
};

/// "Authorization: Basic base64(urlencode(id):urlencode(secret))" (RFC 6749 §2.3.1).
inline std::string basic_authorization(const std::string& id, const std::string& secret) {
  static constexpr std::string_view kDigits =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string in = url_encode(id) + ":" + url_encode(secret);
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t group = 0;
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    for (std::size_t j = 0; j < 3; ++j) {
      const auto byte = j < n ? static_cast<unsigned char>(in[i + j]) : 0U;
      group = (group << 8) | byte;
    }
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? kDigits[(group >> (18 - 6 * j)) & 63U] : '=';
    }
  }
  return "Authorization: Basic " + out;
}

/// A data directory, the CLI on it, and a server on it once start() ran.
class LiveServer {
 public:
  /// Runs `latchkey --data-dir D ARGS... --json`, expecting success; returns the JSON printed.
  nlohmann::json cli(std::vector<std::string> args, const std::string& input = "") {
    auto r = cli_result(std::move(args), input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  ProcessResult cli_result(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_.path().string()});
    args.emplace_back("--json");
    return run_process(args, input, std::chrono::seconds(30), {kTestKek});
  }

  /// `clients create --name NAME --type TYPE --callback ... EXTRA...`.
  LiveClient create_client(const std::string& name, const std::string& type,
                           const std::vector<std::string>& callbacks,
                           const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"clients", "create", "--name", name, "--type", type};
    for (const auto& callback : callbacks) args.insert(args.end(), {"--callback", callback});
    args.insert(args.end(), extra.begin(), extra.end());
    const auto json = cli(args);
    LiveClient client;
    if (json.contains("client_id")) client.id = json["client_id"];
    if (json.contains("client_secret") && json["client_secret"].is_string()) {
      client.secret = json["client_secret"];
    }
    return client;
  }

  void create_user(const std::string& email, const std::string& password) {
    cli({"users", "create", "--email", email, "--name", "Test User", "--password-stdin"},
        password + "\n");
  }

  /// Starts the server; `extra_env` adds NAME=VALUE settings (e.g. LATCHKEY_RULES_TIMEOUT_MS).
  void start(std::vector<std::string> extra_env = {}) {
    extra_env.emplace_back(kTestKek);
    server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{}, extra_env);
  }

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] pid_t pid() const { return server_->pid(); }
  [[nodiscard]] std::string origin() const { return "http://127.0.0.1:" + std::to_string(port()); }
  [[nodiscard]] std::string issuer() const { return origin() + "/"; }
  [[nodiscard]] std::string log() const { return server_->log(); }
  [[nodiscard]] std::string settled_log() const { return server_->settled_log(); }
  [[nodiscard]] bool log_shows(std::string_view needle) const { return server_->log_shows(needle); }
  [[nodiscard]] const std::filesystem::path& data_dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

/// `/authorize?` with `params` form-encoded, in order.
inline std::string authorize_url(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string url = "/authorize";
  char separator = '?';
  for (const auto& [name, value] : params) {
    url += separator + url_encode(name) + "=" + url_encode(value);
    separator = '&';
  }
  return url;
}

/// What a walk from /authorize saw.
struct Walk {
  bool login_shown = false;
  bool consent_shown = false;
  /// The last response: a redirect away from latchkey, or a page that ended the walk.
  std::optional<RawResponse> last;
  /// The Location of `last` when it is a redirect away from latchkey (the app's callback).
  std::string location;
};

/// Who logs in when the login page shows, and what the consent page gets.
struct WalkOptions {
  std::string email;
  std::string password;
  bool accept_consent = true;
};

/// Follows redirects from `url` within latchkey (at most 10 hops), logging in with `options`
/// on the login page and answering the consent page, until a redirect leaves latchkey or a
/// page other than those two is answered.
inline Walk walk(Browser& browser, const LiveServer& server, std::string url,
                 const WalkOptions& options) {
  Walk walk;
  const auto internal = [&](const std::string& location) {
    return location.starts_with("/") || location.starts_with(server.origin() + "/");
  };
  std::optional<RawResponse> response = browser.get(url);
  for (int hop = 0; hop < 10 && response; ++hop) {
    const std::string location = response->header("Location").value_or("");
    if (response->status == 302 && internal(location)) {
      response = browser.get(location);
      continue;
    }
    const auto login = find_form(response->body, "/u/login");
    const auto consent = find_form(response->body, "/u/consent");
    if (response->status == 200 && login && !walk.login_shown) {
      walk.login_shown = true;
      auto fields = login->fields;
      fields["email"] = options.email;
      fields["password"] = options.password;
      response = browser.post_form(login->action, fields);
      continue;
    }
    if (response->status == 200 && consent && !walk.consent_shown) {
      walk.consent_shown = true;
      auto fields = consent->fields;
      fields["action"] = options.accept_consent ? "accept" : "decline";
      response = browser.post_form(consent->action, fields);
      continue;
    }
    if (response->status == 302) walk.location = location;
    break;
  }
  walk.last = std::move(response);
  return walk;
}

/// POST /oauth/token with `fields` and optional extra header lines.
inline std::optional<RawResponse> token_request(Browser& browser,
                                                const std::map<std::string, std::string>& fields,
                                                const std::vector<std::string>& headers = {}) {
  return browser.post_form("/oauth/token", fields, headers);
}

/// POST /oauth/token redeeming `code`, issued to `client` for `redirect_uri` with the challenge
/// of kPkceVerifier, authenticated with client_secret_basic.
inline std::optional<RawResponse> redeem_code(Browser& browser, const LiveClient& client,
                                              const std::string& code,
                                              const std::string& redirect_uri) {
  return token_request(browser,
                       {{"grant_type", "authorization_code"},
                        {"code", code},
                        {"redirect_uri", redirect_uri},
                        {"code_verifier", kPkceVerifier}},
                       {basic_authorization(client.id, client.secret)});
}

/// The "error" member of a JSON body, or "" when there is none.
inline std::string json_error(const std::optional<RawResponse>& response) {
  if (!response) return "";
  const auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_string()) return "";
  return body["error"];
}

}  // namespace latchkey::testing
