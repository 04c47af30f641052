// When the consent page shows, through the real binary (Auth0's rules): a first-party client may
// skip it for an API that allows that, but only with a redirect_uri that is not on localhost or
// loopback; a third-party client is always asked; a stored grant that covers the request skips
// it, a wider scope asks again, and prompt=consent always asks (OIDC Core §3.1.2.1).
#include <gtest/gtest.h>

#include "integration/live_server.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kRemoteCallback = "https://app.example.com/callback";
constexpr const char* kLoopbackCallback = "http://127.0.0.1:3999/callback";
constexpr const char* kSkippingApi = "https://skip.example.com/";
constexpr const char* kAskingApi = "https://ask.example.com/";
constexpr const char* kEmail = "dave@example.com";
constexpr const char* kPassword = "correct horse battery";

class ConsentRules : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kSkippingApi, "--name", "Skipping", "--scope",
                  "read:messages=Read your messages", "--skip-consent-first-party"});
    server_->cli({"apis", "create", "--identifier", kAskingApi, "--name", "Asking", "--scope",
                  "read:messages=Read your messages", "--scope", "write:messages=Write messages"});
    first_party_ = server_->create_client("First", "regular_web",
                                          {kRemoteCallback, kLoopbackCallback}, {"--first-party"});
    third_party_ = server_->create_client("Third", "regular_web", {kRemoteCallback});
    grant_client_ = server_->create_client("Granted", "regular_web", {kRemoteCallback});
    server_->create_user(kEmail, kPassword);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  static Walk authorize(const LiveClient& client, const std::string& callback,
                        const std::string& audience, const std::string& scope,
                        const std::string& prompt = "") {
    std::vector<std::pair<std::string, std::string>> params{
        {"response_type", "code"}, {"client_id", client.id}, {"redirect_uri", callback},
        {"scope", scope},          {"audience", audience},   {"state", "c1"}};
    if (!prompt.empty()) params.emplace_back("prompt", prompt);
    Browser browser(server_->port());
    Walk done = walk(browser, *server_, authorize_url(params), {kEmail, kPassword, true});
    EXPECT_TRUE(done.login_shown);
    EXPECT_EQ(done.location.rfind(callback, 0), 0U) << done.location;
    EXPECT_TRUE(query_param(done.location, "code")) << done.location;
    return done;
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient first_party_;
  static inline LiveClient third_party_;
  static inline LiveClient grant_client_;
};

TEST_F(ConsentRules, AFirstPartyClientWithAVerifiableRedirectSkipsConsentWhenTheApiAllows) {
  EXPECT_FALSE(
      authorize(first_party_, kRemoteCallback, kSkippingApi, "openid read:messages").consent_shown);
}

TEST_F(ConsentRules, AFirstPartyClientWithALoopbackRedirectIsStillAsked) {
  EXPECT_TRUE(authorize(first_party_, kLoopbackCallback, kSkippingApi, "openid read:messages")
                  .consent_shown);
}

TEST_F(ConsentRules, AFirstPartyClientIsAskedWhenTheApiDoesNotAllowSkipping) {
  EXPECT_TRUE(
      authorize(first_party_, kRemoteCallback, kAskingApi, "openid read:messages").consent_shown);
}

TEST_F(ConsentRules, AThirdPartyClientIsAlwaysAsked) {
  EXPECT_TRUE(
      authorize(third_party_, kRemoteCallback, kSkippingApi, "openid read:messages").consent_shown);
}

TEST_F(ConsentRules, AStoredGrantSkipsConsentUntilAWiderScopeOrPromptConsent) {
  const auto ask = [](const std::string& scope, const std::string& prompt = "") {
    return authorize(grant_client_, kRemoteCallback, kAskingApi, scope, prompt).consent_shown;
  };
  EXPECT_TRUE(ask("openid read:messages")) << "first time: asked";
  EXPECT_FALSE(ask("openid read:messages")) << "the stored grant covers it";
  EXPECT_FALSE(ask("read:messages openid")) << "scope order does not matter";
  EXPECT_FALSE(ask("openid")) << "a narrower request is covered";
  EXPECT_TRUE(ask("openid read:messages write:messages")) << "a wider scope asks again";
  EXPECT_FALSE(ask("openid write:messages read:messages")) << "the wider grant is stored";
  EXPECT_TRUE(ask("openid read:messages", "consent")) << "prompt=consent always asks";
}

}  // namespace
}  // namespace latchkey::testing
