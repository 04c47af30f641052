// Codes expire after 60 s (RFC 6749 §4.1.2: short-lived; DESIGN.md: 60 s). The real
// Application and HTTP server run in-process with a ManualClock, so the test moves time instead
// of waiting for it, and drives the flow over HTTP on 127.0.0.1 as a browser and an app would.
#include <gtest/gtest.h>

#include <array>
#include <thread>

#include "app/application.hpp"
#include "app/store_factory.hpp"
#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "http/server.hpp"
#include "integration/live_server.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kEmail = "erin@example.com";
constexpr const char* kPassword = "correct horse battery";

/// The 32 bytes kTestKek encodes (0, 1, ..., 31), so keys stay readable by the CLI too.
jose::KeyEncryptionKey test_kek() {
  std::array<std::uint8_t, 32> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i);
  return jose::KeyEncryptionKey(bytes);
}

/// config -> store -> keyring -> Application -> Server, as app::serve() wires them, but with
/// the test's clock and on a thread of its own.
class InProcessServer {
 public:
  InProcessServer(const std::filesystem::path& data_dir, const Clock& clock) {
    config_.data_dir = data_dir;
    auto opened = app::open_store(config_);
    if (!opened) throw std::runtime_error(opened.error());
    store_ = std::move(*opened);
    keyring_ = std::make_unique<jose::Keyring>(store_->signing_keys(), test_kek(), random_, clock);
    if (!keyring_->ensure(std::array{jose::Algorithm::rs256})) throw std::runtime_error("keys");
    if (!keyring_->reload()) throw std::runtime_error("keys reload");
    http::ServerOptions options;
    options.threads = 1;
    options.worker_threads = 1;
    options.shutdown_timeout = std::chrono::milliseconds(2000);
    server_ = std::make_unique<http::Server>(options, router_, *log_);
    if (!server_->listen()) throw std::runtime_error("listen");
    const std::string issuer = config::effective_issuer(config_, server_->port());
    application_ = std::make_unique<app::Application>(
        app::Dependencies{config_, issuer, *store_, *keyring_, *log_, clock, random_});
    router_ = application_->routes();
    thread_ = std::thread([this] { server_->run(); });
  }
  ~InProcessServer() {
    server_->stop();
    if (thread_.joinable()) thread_.join();
  }
  InProcessServer(const InProcessServer&) = delete;
  InProcessServer& operator=(const InProcessServer&) = delete;

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }

 private:
  config::Config config_;
  std::shared_ptr<Logger> log_ = make_null_logger();
  crypto::OsRandom random_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<jose::Keyring> keyring_;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<app::Application> application_;
  std::thread thread_;
};

TEST(CodeExpiry, ACodeRedeemedAfterItsSixtySecondsIsInvalidGrant) {
  LiveServer provisioning;  // the CLI on a data directory; its server is never started
  const LiveClient client =
      provisioning.create_client("Web", "regular_web", {kCallback}, {"--first-party"});
  provisioning.create_user(kEmail, kPassword);
  ManualClock clock(from_unix_seconds(1800000000));
  InProcessServer server(provisioning.data_dir(), clock);

  Browser browser(server.port());
  const auto code = [&] {
    const std::string url = authorize_url({{"response_type", "code"},
                                           {"client_id", client.id},
                                           {"redirect_uri", kCallback},
                                           {"scope", "openid"},
                                           {"state", "e1"}});
    // Follows latchkey's redirects, logging in when the form shows, up to the callback.
    std::optional<RawResponse> r = browser.get(url);
    for (int hop = 0; hop < 10 && r && r->status == 302; ++hop) {
      const std::string location = r->header("Location").value_or("");
      if (location.rfind(kCallback, 0) == 0) return query_param(location, "code").value_or("");
      r = browser.get(location);
      if (r && r->status == 200) {
        auto form = find_form(r->body, "/u/login");
        if (!form) break;
        form->fields["email"] = kEmail;
        form->fields["password"] = kPassword;
        r = browser.post_form(form->action, form->fields);
      }
    }
    ADD_FAILURE() << "no code: " << (r ? r->body : "no response");
    return std::string();
  };
  const auto redeem = [&](const std::string& value) {
    return token_request(
        browser,
        {{"grant_type", "authorization_code"}, {"code", value}, {"redirect_uri", kCallback}},
        {basic_authorization(client.id, client.secret)});
  };

  const std::string expired = code();
  ASSERT_FALSE(expired.empty());
  clock.advance(std::chrono::seconds(61));
  const auto late = redeem(expired);
  ASSERT_TRUE(late);
  EXPECT_EQ(late->status, 400) << late->body;
  EXPECT_EQ(json_error(late), "invalid_grant");

  // The same exchange inside the lifetime works: time, not anything else, made the difference.
  const std::string fresh = code();
  ASSERT_FALSE(fresh.empty());
  clock.advance(std::chrono::seconds(59));
  const auto in_time = redeem(fresh);
  ASSERT_TRUE(in_time);
  EXPECT_EQ(in_time->status, 200) << in_time->body;
}

}  // namespace
}  // namespace latchkey::testing
