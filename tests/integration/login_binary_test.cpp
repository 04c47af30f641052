// Sessions through the real binary: brute-force protection per (email, IP) and its lifting by
// the CLI, logout (/v2/logout and /oidc/logout) ending the SSO session for good, and the
// prompt and max_age values that force a fresh login despite a session (OIDC Core §3.1.2.1).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "integration/live_server.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kLogoutUrl = "https://app.example.com/signed-out";
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kVictim = "victim@example.com";
constexpr const char* kCarol = "carol@example.com";

class LoginBinary : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    web_ = server_->create_client("Web", "regular_web", {kCallback},
                                  {"--logout-url", kLogoutUrl, "--first-party"});
    server_->create_user(kVictim, kPassword);
    server_->create_user(kCarol, kPassword);
    server_->start();
  }
  static void TearDownTestSuite() { server_.reset(); }

  /// Only OIDC scopes and a first-party client: no consent page gets in the way.
  static std::string url(const std::string& extra = "") {
    return authorize_url({{"response_type", "code"},
                          {"client_id", web_.id},
                          {"redirect_uri", kCallback},
                          {"scope", "openid profile"},
                          {"state", "s1"}}) +
           extra;
  }

  /// The login form of a fresh transaction.
  static std::optional<HtmlForm> login_form(Browser& browser) {
    const auto start = browser.get(url());
    if (!start || start->status != 302) return std::nullopt;
    const auto page = browser.get(start->header("Location").value_or(""));
    if (!page || page->status != 200) return std::nullopt;
    return find_form(page->body, "/u/login");
  }

  static std::optional<RawResponse> try_password(Browser& browser, const HtmlForm& form,
                                                 const std::string& password,
                                                 const std::vector<std::string>& headers = {}) {
    auto fields = form.fields;
    fields["email"] = kVictim;
    fields["password"] = password;
    return browser.post_form(form.action, fields, headers);
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient web_;
};

TEST_F(LoginBinary, TenWrongPasswordsBlockThatEmailFromThatAddressUntilTheCliUnblocksIt) {
  Browser attacker(server_->port());
  const auto form = login_form(attacker);
  ASSERT_TRUE(form);
  for (int i = 0; i < 10; ++i) {
    const auto wrong = try_password(attacker, *form, "wrong password " + std::to_string(i));
    ASSERT_TRUE(wrong);
    ASSERT_EQ(wrong->status, 400) << "attempt " << i + 1;
    EXPECT_NE(wrong->body.find("Wrong email or password."), std::string::npos);
  }
  const auto blocked = try_password(attacker, *form, kPassword);
  ASSERT_TRUE(blocked);
  EXPECT_EQ(blocked->status, 429) << "the right password is refused once blocked";
  EXPECT_TRUE(blocked->header("Retry-After"));
  EXPECT_NE(blocked->body.find("Too many attempts"), std::string::npos);

  // X-Forwarded-For is not trusted: the block follows the socket's address.
  const auto spoofed = try_password(attacker, *form, kPassword, {"X-Forwarded-For: 10.1.2.3"});
  ASSERT_TRUE(spoofed);
  EXPECT_EQ(spoofed->status, 429);

  // The same user from another address logs in: an attacker cannot lock the user out.
  Browser user(server_->port());
  user.set_source_address("127.0.0.2");
  const Walk elsewhere = walk(user, *server_, url(), {kVictim, kPassword, true});
  EXPECT_TRUE(elsewhere.login_shown);
  EXPECT_EQ(elsewhere.location.rfind(kCallback, 0), 0U) << elsewhere.location;
  EXPECT_TRUE(query_param(elsewhere.location, "code"));
  EXPECT_TRUE(server_->log_shows("\"ip\":\"127.0.0.2\""))
      << "the server should see the second address";

  server_->cli({"users", "unblock", kVictim});
  const auto lifted = try_password(attacker, *form, kPassword);
  ASSERT_TRUE(lifted);
  EXPECT_EQ(lifted->status, 302) << lifted->body;
}

TEST_F(LoginBinary, AfterV2LogoutTheLoginPageShowsAgainAndTheOldCookieIsDead) {
  Browser browser(server_->port());
  const Walk first = walk(browser, *server_, url(), {kCarol, kPassword, true});
  ASSERT_TRUE(first.login_shown);
  ASSERT_TRUE(query_param(first.location, "code"));
  const auto old_cookie = browser.cookie("lk_session");
  ASSERT_TRUE(old_cookie);
  const Walk again = walk(browser, *server_, url(), {kCarol, kPassword, true});
  EXPECT_FALSE(again.login_shown) << "the session should carry the second request";

  const auto logout =
      browser.get("/v2/logout?client_id=" + web_.id + "&returnTo=" + url_encode(kLogoutUrl));
  ASSERT_TRUE(logout);
  EXPECT_EQ(logout->status, 302);
  EXPECT_EQ(logout->header("Location"), kLogoutUrl);
  EXPECT_FALSE(browser.cookie("lk_session")) << "the session cookie must be cleared";

  const auto next = browser.get(url());
  ASSERT_TRUE(next && next->status == 302);
  EXPECT_NE(next->header("Location").value_or("").find("/u/login"), std::string::npos);

  browser.set_cookie("lk_session", *old_cookie);
  const auto replayed = browser.get(url("&prompt=none"));
  ASSERT_TRUE(replayed && replayed->status == 302);
  EXPECT_EQ(query_param(replayed->header("Location").value_or(""), "error"), "login_required")
      << "the old session cookie must no longer work";

  // Logging out again, with a dead cookie, is harmless.
  const auto twice = browser.get("/v2/logout");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 200);
  EXPECT_NE(twice->body.find("You are signed out"), std::string::npos);
}

TEST_F(LoginBinary, AReturnToThatIsNotAllowedShowsAnErrorPageButStillSignsOut) {
  Browser browser(server_->port());
  ASSERT_TRUE(
      query_param(walk(browser, *server_, url(), {kCarol, kPassword, true}).location, "code"));
  const auto r = browser.get("/v2/logout?client_id=" + web_.id +
                             "&returnTo=" + url_encode("https://evil.example.com/"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_FALSE(r->header("Location"));
  const auto next = browser.get(url("&prompt=none"));
  ASSERT_TRUE(next);
  EXPECT_EQ(query_param(next->header("Location").value_or(""), "error"), "login_required");
}

TEST_F(LoginBinary, OidcLogoutWithAnIdTokenHintRedirectsWithStateAndDiscoveryAdvertisesIt) {
  Browser browser(server_->port());
  const Walk login = walk(browser, *server_, url(), {kCarol, kPassword, true});
  const auto token = token_request(browser,
                                   {{"grant_type", "authorization_code"},
                                    {"code", query_param(login.location, "code").value_or("")},
                                    {"redirect_uri", kCallback}},
                                   {basic_authorization(web_.id, web_.secret)});
  ASSERT_TRUE(token && token->status == 200) << (token ? token->body : "");
  const std::string id_token = nlohmann::json::parse(token->body)["id_token"];

  const auto r = browser.get("/oidc/logout?id_token_hint=" + id_token +
                             "&post_logout_redirect_uri=" + url_encode(kLogoutUrl) +
                             "&state=" + url_encode("a b"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 302) << r->body;
  const std::string location = r->header("Location").value_or("");
  EXPECT_EQ(location.rfind(std::string(kLogoutUrl) + "?state=", 0), 0U) << location;
  EXPECT_EQ(query_param(location, "state"), "a b");
  EXPECT_FALSE(browser.cookie("lk_session"));

  const auto discovery = browser.get("/.well-known/openid-configuration");
  ASSERT_TRUE(discovery && discovery->status == 200);
  EXPECT_EQ(nlohmann::json::parse(discovery->body)["end_session_endpoint"],
            server_->issuer() + "oidc/logout");
}

TEST_F(LoginBinary, PromptLoginSelectAccountAndMaxAgeForceTheLoginFormDespiteASession) {
  Browser browser(server_->port());
  ASSERT_TRUE(walk(browser, *server_, url(), {kCarol, kPassword, true}).login_shown);
  EXPECT_FALSE(walk(browser, *server_, url(), {kCarol, kPassword, true}).login_shown);
  EXPECT_FALSE(
      walk(browser, *server_, url("&max_age=3600"), {kCarol, kPassword, true}).login_shown);
  for (const std::string extra : {"&prompt=login", "&prompt=select_account", "&max_age=0"}) {
    SCOPED_TRACE(extra);
    const Walk forced = walk(browser, *server_, url(extra), {kCarol, kPassword, true});
    EXPECT_TRUE(forced.login_shown);
    EXPECT_TRUE(query_param(forced.location, "code")) << forced.location;
  }
  // A max_age shorter than the session's age (the last login was just now).
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_TRUE(walk(browser, *server_, url("&max_age=1"), {kCarol, kPassword, true}).login_shown);
  EXPECT_FALSE(walk(browser, *server_, url("&max_age=60"), {kCarol, kPassword, true}).login_shown);
}

}  // namespace
}  // namespace latchkey::testing
