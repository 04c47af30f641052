// The composition root's routes: where each kind of work runs. Password hashing is deliberately
// slow (argon2id), so every route that checks or sets a password must run on the worker pool,
// never on an I/O thread, or a storm of logins would stall the token endpoint.

#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "app/application.hpp"
#include "app/store_factory.hpp"
#include "config/config.hpp"
#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

class ApplicationRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_.data_dir = dir_.path();
    auto opened = app::open_store(config_);
    ASSERT_TRUE(opened) << opened.error();
    store_ = std::move(*opened);
    std::array<std::uint8_t, 32> kek{};
    kek.fill(7);
    keyring_ = std::make_unique<jose::Keyring>(store_->signing_keys(), jose::KeyEncryptionKey(kek),
                                               random_, clock_);
    application_ = std::make_unique<app::Application>(app::Dependencies{
        config_, "http://127.0.0.1:1/", *store_, *keyring_, *log_, clock_, random_});
    router_ = application_->routes();
  }

  /// Whether (method, path) runs on the worker pool; fails the test if there is no such route.
  bool offloaded(http::Method method, const char* path) {
    const auto match = router_.match(method, path);
    EXPECT_NE(match.route, nullptr) << path;
    return match.route != nullptr && match.route->options.offload;
  }

  TempDir dir_;
  config::Config config_;
  SystemClock clock_;
  crypto::OsRandom random_;
  std::shared_ptr<Logger> log_ = make_null_logger();
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<jose::Keyring> keyring_;
  std::unique_ptr<app::Application> application_;
  http::Router router_;
};

TEST_F(ApplicationRoutesTest, PasswordChecksAndNewPasswordsRunOnTheWorkerPool) {
  EXPECT_TRUE(offloaded(http::Method::post, "/u/login"));
  EXPECT_TRUE(offloaded(http::Method::post, "/u/signup"));
}

TEST_F(ApplicationRoutesTest, PagesWithoutPasswordWorkStayOnTheIoThreads) {
  EXPECT_FALSE(offloaded(http::Method::get, "/u/login"));
  EXPECT_FALSE(offloaded(http::Method::get, "/.well-known/jwks.json"));
}

TEST_F(ApplicationRoutesTest, DiscoveryListsEveryIdTokenAlgAClientMayPickRs256First) {
  // OIDC Discovery §3: RS256 MUST be listed; the rest are what id_token_signed_response_alg takes.
  EXPECT_EQ(application_->metadata().id_token_signing_alg_values_supported,
            (std::vector<std::string>{"RS256", "PS256", "ES256", "EdDSA"}));
}

}  // namespace
}  // namespace latchkey::testing
