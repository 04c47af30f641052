// The example API (examples/api) in front of the real latchkey: tokens from a real login are
// accepted with the right scope, refused with the RFC 6750 answers otherwise, and a token
// signed after two key rotations is accepted once the API fetches the JWKS again.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "http/client.hpp"
#include "jose/base64url.hpp"
#include "support/browser.hpp"
#include "support/process.hpp"

extern char** environ;

namespace latchkey::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKek = "LATCHKEY_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kCallback = "http://127.0.0.1:3000/callback";
constexpr const char* kApi = "https://api.demo.local/";
constexpr const char* kOtherApi = "https://other.demo.local/";

// The example API binary on 127.0.0.1:0; its port comes from its "listening" log line.
class ApiProcess {
 public:
  explicit ApiProcess(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {EXAMPLE_API_BINARY, "--listen", "127.0.0.1:0"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (auto& arg : argv) c_argv.push_back(arg.data());
    c_argv.push_back(nullptr);
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    const int spawned = posix_spawn(&pid_, c_argv[0], &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[1]);
    if (spawned != 0) throw std::runtime_error("cannot start the example API");
    reader_ = std::thread([this, fd = pipe_fds[0]] { read_log(fd); });
    for (int i = 0; i < 300 && port() == 0; ++i) std::this_thread::sleep_for(50ms);
    if (port() == 0) throw std::runtime_error("the example API did not start:\n" + log());
  }
  ~ApiProcess() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(50ms);
    }
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    if (reader_.joinable()) reader_.join();
  }
  ApiProcess(const ApiProcess&) = delete;
  ApiProcess& operator=(const ApiProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const {
    const std::lock_guard lock(mutex_);
    return port_;
  }
  [[nodiscard]] std::string log() const {
    const std::lock_guard lock(mutex_);
    return log_;
  }

 private:
  void read_log(int fd) {
    char buffer[4096];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) {
      const std::lock_guard lock(mutex_);
      log_.append(buffer, static_cast<std::size_t>(n));
      for (std::size_t start = 0, end; (end = log_.find('\n', start)) != std::string::npos;
           start = end + 1) {
        const auto line = nlohmann::json::parse(log_.substr(start, end - start), nullptr, false);
        if (port_ == 0 && line.is_object() && line.value("msg", "") == "listening") {
          port_ = line.value("port", std::uint16_t{0});
        }
      }
    }
    ::close(fd);
  }

  pid_t pid_ = -1;
  mutable std::mutex mutex_;
  std::string log_;
  std::uint16_t port_ = 0;
  std::thread reader_;
};

/// `Authorization: Basic` for client_secret_basic (RFC 6749 §2.3.1: each part form-encoded).
std::string basic_authorization(const std::string& id, const std::string& secret) {
  constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const std::string plain = url_encode(id) + ":" + url_encode(secret);
  std::string encoded;
  for (std::size_t i = 0; i < plain.size(); i += 3) {
    std::uint32_t group = 0;
    const std::size_t n = std::min<std::size_t>(3, plain.size() - i);
    for (std::size_t j = 0; j < 3; ++j) {
      const auto byte = j < n ? static_cast<unsigned char>(plain[i + j]) : 0U;
      group = (group << 8) | byte;
    }
    for (std::size_t j = 0; j < 4; ++j) {
      encoded += j <= n ? kAlphabet[(group >> (18 - 6 * j)) & 63U] : '=';
    }
  }
  return "Authorization: Basic " + encoded;
}

std::string kid_of(const std::string& jwt) {
  const auto header = jose::base64url_decode(jwt.substr(0, jwt.find('.')));
  const auto json = nlohmann::json::parse(header ? *header : "", nullptr, false);
  return json.is_object() ? json.value("kid", "") : "";
}

class ExampleApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    cli({"apis", "create", "--identifier", kApi, "--name", "Demo API", "--scope",
         "read:messages=Read your messages", "--scope", "write:messages=Write messages"});
    cli({"apis", "create", "--identifier", kOtherApi, "--name", "Other API", "--scope",
         "read:messages=Read other messages"});
    const auto client = cli({"clients", "create", "--name", "Web App", "--type", "regular_web",
                             "--callback", kCallback});
    client_id_ = client["client_id"];
    client_secret_ = client["client_secret"];
    cli({"users", "create", "--email", "alice@example.com", "--name", "Alice", "--password-stdin"},
        "correct horse battery\n");
    latchkey_ = new ServerProcess(dir_->path(), {}, {kKek});
    const std::string issuer = "http://127.0.0.1:" + std::to_string(latchkey_->port()) + "/";
    api_ = new ApiProcess({"--issuer", issuer, "--audience", kApi, "--jwks-refetch-interval", "1"});
    browser_ = new Browser(latchkey_->port());
  }
  static void TearDownTestSuite() {
    delete browser_;
    delete api_;
    delete latchkey_;
    delete dir_;
  }

  static nlohmann::json cli(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_->path().string()});
    args.push_back("--json");
    const auto r = run_process(args, input, 30s, {kKek});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  /// Follows one hop and returns its Location (empty when the hop is not a redirect).
  static std::string follow(const std::optional<RawResponse>& response) {
    EXPECT_TRUE(response && response->status == 302) << (response ? response->body : "no answer");
    return response ? std::string(response->header("Location").value_or("")) : "";
  }

  /// Logs in (once: later calls ride the SSO session), consents when asked, and redeems the
  /// code; the access token for `audience` with `scope`.
  static std::string access_token(const std::string& audience, const std::string& scope) {
    std::string location = follow(
        browser_->get("/authorize?response_type=code&client_id=" + client_id_ +
                      "&redirect_uri=" + url_encode(kCallback) + "&scope=" + url_encode(scope) +
                      "&audience=" + url_encode(audience) + "&state=s1"));
    for (int hop = 0; hop < 6 && location.rfind(kCallback, 0) != 0; ++hop) {
      const auto page = browser_->get(location);
      if (page && page->status == 302) {
        location = std::string(page->header("Location").value_or(""));
        continue;
      }
      const bool login = location.find("/u/login") != std::string::npos;
      auto form = page ? find_form(page->body, login ? "/u/login" : "/u/consent") : std::nullopt;
      if (!form) return "";
      if (login) {
        form->fields["email"] = "alice@example.com";
        form->fields["password"] = "correct horse battery";
      } else {
        form->fields["action"] = "accept";
      }
      location =
          follow(browser_->post_form(form->action.empty() ? location : form->action, form->fields));
    }
    const auto code = query_param(location, "code");
    if (!code) return "";
    const auto token = browser_->post_form(
        "/oauth/token",
        {{"grant_type", "authorization_code"}, {"code", *code}, {"redirect_uri", kCallback}},
        {basic_authorization(client_id_, client_secret_)});
    EXPECT_TRUE(token && token->status == 200) << (token ? token->body : "no answer");
    if (!token || token->status != 200) return "";
    return nlohmann::json::parse(token->body).value("access_token", "");
  }

  static http::ClientResponse call(http::Method method, const std::string& path,
                                   const std::string& token) {
    http::ClientRequest request;
    request.method = method;
    request.url = "http://127.0.0.1:" + std::to_string(api_->port()) + path;
    if (!token.empty()) request.headers.set("Authorization", "Bearer " + token);
    auto response = http::Client().send(request);
    EXPECT_TRUE(response.ok()) << (response.ok() ? "" : response.error().message);
    return response.ok() ? std::move(*response) : http::ClientResponse{};
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* latchkey_ = nullptr;
  static inline ApiProcess* api_ = nullptr;
  static inline Browser* browser_ = nullptr;
  static inline std::string client_id_;
  static inline std::string client_secret_;
};

TEST_F(ExampleApi, PublicRouteNeedsNoToken) {
  const auto response = call(http::Method::get, "/api/public", "");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(nlohmann::json::parse(response.body).contains("message"));
}

TEST_F(ExampleApi, ReadTokenReadsMessagesButCannotWriteThem) {
  const auto token = access_token(kApi, "openid read:messages");
  ASSERT_FALSE(token.empty());
  const auto read = call(http::Method::get, "/api/messages", token);
  ASSERT_EQ(read.status, 200) << read.body;
  const auto body = nlohmann::json::parse(read.body);
  EXPECT_FALSE(body["messages"].empty());
  EXPECT_TRUE(body["sub"].is_string() && !body["sub"].get<std::string>().empty());
  EXPECT_EQ(call(http::Method::get, "/api/private", token).status, 200);

  const auto write = call(http::Method::post, "/api/messages", token);
  EXPECT_EQ(write.status, 403);
  EXPECT_EQ(write.headers.get("WWW-Authenticate"),
            R"(Bearer realm="api", error="insufficient_scope", scope="write:messages")");
  EXPECT_EQ(nlohmann::json::parse(write.body)["error"], "insufficient_scope");
}

TEST_F(ExampleApi, MissingGarbageOrForeignTokensGet401) {
  const auto missing = call(http::Method::get, "/api/messages", "");
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.headers.get("WWW-Authenticate"), R"(Bearer realm="api")");

  const auto garbage = call(http::Method::get, "/api/messages", "not.a.jwt");
  EXPECT_EQ(garbage.status, 401);
  EXPECT_EQ(nlohmann::json::parse(garbage.body)["error"], "invalid_token");

  const auto other = access_token(kOtherApi, "read:messages");
  ASSERT_FALSE(other.empty());
  const auto foreign = call(http::Method::get, "/api/messages", other);
  EXPECT_EQ(foreign.status, 401);
  EXPECT_EQ(
      foreign.headers.get("WWW-Authenticate"),
      R"(Bearer realm="api", error="invalid_token", error_description="the token is meant for another audience")");
}

TEST_F(ExampleApi, TokenSignedAfterTwoRotationsIsAcceptedThroughAJwksRefetch) {
  const auto before = access_token(kApi, "read:messages");
  ASSERT_EQ(call(http::Method::get, "/api/messages", before).status, 200);  // JWKS now cached
  cli({"keys", "rotate"});
  const std::string current = cli({"keys", "rotate"})["current"];
  ASSERT_FALSE(current.empty());
  ASSERT_NE(kid_of(before), current);
  // latchkey reloads its keys every 2 s: wait for a token signed with the new current key.
  std::string after;
  for (int i = 0; i < 40 && kid_of(after) != current; ++i) {
    std::this_thread::sleep_for(250ms);
    after = access_token(kApi, "read:messages");
  }
  ASSERT_EQ(kid_of(after), current);
  std::this_thread::sleep_for(1100ms);  // past the API's --jwks-refetch-interval 1
  const auto response = call(http::Method::get, "/api/messages", after);
  EXPECT_EQ(response.status, 200) << response.body;
}

}  // namespace
}  // namespace latchkey::testing
