#include "oidc/logout.hpp"

#include <gtest/gtest.h>

#include "core/log.hpp"
#include "http/form.hpp"
#include "login/session_manager.hpp"
#include "oauth/token_test_env.hpp"
#include "ui/renderer.hpp"

namespace latchkey::oidc {
namespace {

constexpr const char* kLogoutUrl = "https://app.example.com/logged-out";
constexpr const char* kOtherLogoutUrl = "https://other.example.com/bye";

class LogoutTest : public testing::TokenTestEnv {
 protected:
  void SetUp() override {
    TokenTestEnv::SetUp();
    sessions_ = std::make_unique<login::SessionManager>(store_->sessions(), store_->users(), clock_,
                                                        random_, true);
    endpoint_ = std::make_unique<LogoutEndpoint>(testing::kIssuer, store_->clients(), *keyring_,
                                                 *sessions_, renderer_, clock_, *log_);
    add_logout_client("web", kLogoutUrl);
    add_logout_client("other", kOtherLogoutUrl);
  }

  void add_logout_client(const std::string& id, const std::string& logout_url) {
    model::Client client;
    client.client_id = id;
    client.name = "app " + id;
    client.callbacks = {testing::kRedirectUri};
    client.allowed_logout_urls = {logout_url};
    client.grant_types = {"authorization_code"};
    client.created_at = clock_.now();
    ASSERT_TRUE(store_->clients().create(client).ok());
  }

  /// A signed-in browser's Cookie header.
  std::string sign_in() {
    auto started = sessions_->start(testing::kUserId, clock_.now());
    EXPECT_TRUE(started.ok());
    const std::string& set_cookie = started->set_cookie;
    return "Cookie: " + set_cookie.substr(0, set_cookie.find(';'));
  }

  static http::Request get(const std::string& path, const std::string& query,
                           const std::string& cookie = "") {
    http::Request request;
    request.path = path;
    request.target = path + "?" + query;
    auto params = http::parse_form(query);
    EXPECT_TRUE(params.ok());
    if (params) request.query = *params;
    if (!cookie.empty())
      request.headers.set("Cookie", cookie.substr(std::string("Cookie: ").size()));
    return request;
  }

  bool signed_in(const std::string& cookie) {
    return sessions_->current(get("/authorize", "", cookie)).has_value();
  }

  std::string id_token(const std::string& client_id) {
    oauth::IdTokenSpec spec;
    spec.user = user();
    spec.client_id = client_id;
    spec.lifetime_seconds = 3600;
    spec.auth_time = clock_.now();
    auto issued = issuer_->issue_id_token(spec);
    EXPECT_TRUE(issued.ok());
    return issued ? issued->token : std::string();
  }

  static void expect_cleared_cookie(const http::Response& response) {
    const auto cookie = response.headers.get("Set-Cookie");
    ASSERT_TRUE(cookie.has_value());
    EXPECT_TRUE(cookie->starts_with(std::string(login::kSessionCookie) + "=")) << *cookie;
    EXPECT_NE(cookie->find("Max-Age=0"), std::string_view::npos) << *cookie;
  }

  static void expect_error_page(const http::Response& response) {
    EXPECT_EQ(response.status, 400) << response.body;
    EXPECT_FALSE(response.headers.get("Location").has_value());
    EXPECT_TRUE(response.is_html());
    EXPECT_NE(response.body.find("Logout failed"), std::string::npos);
  }

  std::shared_ptr<Logger> log_ = make_null_logger();
  ui::Renderer renderer_;
  std::unique_ptr<login::SessionManager> sessions_;
  std::unique_ptr<LogoutEndpoint> endpoint_;
};

std::string enc(const std::string& text) { return http::Params{{"x", text}}.encode().substr(2); }

TEST_F(LogoutTest, V2LogoutToAnAllowedReturnToRedirectsAndEndsTheSession) {
  const auto cookie = sign_in();
  ASSERT_TRUE(signed_in(cookie));
  const auto response = endpoint_->handle_logout(
      get("/v2/logout", "client_id=web&returnTo=" + enc(kLogoutUrl), cookie));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), kLogoutUrl);
  expect_cleared_cookie(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, V2LogoutWithoutReturnToShowsTheSignedOutPage) {
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_logout(get("/v2/logout", "client_id=web", cookie));
  EXPECT_EQ(response.status, 200);
  EXPECT_NE(response.body.find("You are signed out"), std::string::npos);
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  expect_cleared_cookie(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, V2LogoutToAnotherClientsUrlShowsAnErrorPageButStillEndsTheSession) {
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_logout(
      get("/v2/logout", "client_id=web&returnTo=" + enc(kOtherLogoutUrl), cookie));
  expect_error_page(response);
  expect_cleared_cookie(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, V2LogoutComparesReturnToExactly) {
  const auto response = endpoint_->handle_logout(
      get("/v2/logout", "client_id=web&returnTo=" + enc(std::string(kLogoutUrl) + "/")));
  expect_error_page(response);
}

TEST_F(LogoutTest, V2LogoutWithAnUnknownClientAndAReturnToShowsAnErrorPage) {
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_logout(
      get("/v2/logout", "client_id=nobody&returnTo=" + enc(kLogoutUrl), cookie));
  expect_error_page(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, V2LogoutNamingAnUnknownClientShowsAnErrorPageEvenWithoutReturnTo) {
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_logout(get("/v2/logout", "client_id=nobody", cookie));
  expect_error_page(response);
  expect_cleared_cookie(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, V2LogoutWithAReturnToButNoClientShowsAnErrorPage) {
  const auto response = endpoint_->handle_logout(get("/v2/logout", "returnTo=" + enc(kLogoutUrl)));
  expect_error_page(response);
}

TEST_F(LogoutTest, V2LogoutWithARepeatedReturnToShowsAnErrorPage) {
  const auto response = endpoint_->handle_logout(get(
      "/v2/logout", "client_id=web&returnTo=" + enc(kLogoutUrl) + "&returnTo=" + enc(kLogoutUrl)));
  expect_error_page(response);
}

TEST_F(LogoutTest, LoggingOutTwiceOrWithAGarbledCookieIsFine) {
  const auto cookie = sign_in();
  EXPECT_EQ(endpoint_->handle_logout(get("/v2/logout", "", cookie)).status, 200);
  EXPECT_EQ(endpoint_->handle_logout(get("/v2/logout", "", cookie)).status, 200);
  EXPECT_EQ(endpoint_->handle_logout(get("/v2/logout", "", "Cookie: lk_session=%%zz;;=")).status,
            200);
  EXPECT_EQ(endpoint_->handle_end_session(get("/oidc/logout", "", "Cookie: ===")).status, 200);
  EXPECT_EQ(endpoint_->handle_end_session(get("/oidc/logout", "")).status, 200);
}

TEST_F(LogoutTest, EndSessionWithAnExpiredHintRedirectsWithState) {
  const std::string hint = id_token("web");
  clock_.advance(std::chrono::hours(48));  // the hint expired long ago
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_end_session(
      get("/oidc/logout",
          "id_token_hint=" + hint + "&post_logout_redirect_uri=" + enc(kLogoutUrl) + "&state=a.b-c",
          cookie));
  EXPECT_EQ(response.status, 302) << response.body;
  EXPECT_EQ(response.headers.get("Location"), std::string(kLogoutUrl) + "?state=a.b-c");
  expect_cleared_cookie(response);
  EXPECT_FALSE(signed_in(cookie));
}

TEST_F(LogoutTest, EndSessionWithClientIdAndNoHintRedirects) {
  const auto response = endpoint_->handle_end_session(
      get("/oidc/logout", "client_id=other&post_logout_redirect_uri=" + enc(kOtherLogoutUrl)));
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), kOtherLogoutUrl);
}

TEST_F(LogoutTest, EndSessionRefusesAHintIssuedToAnotherClientThanClientId) {
  const auto response = endpoint_->handle_end_session(
      get("/oidc/logout", "client_id=other&id_token_hint=" + id_token("web") +
                              "&post_logout_redirect_uri=" + enc(kOtherLogoutUrl)));
  expect_error_page(response);
}

TEST_F(LogoutTest, EndSessionRefusesAUriTheHintsClientDidNotRegister) {
  const auto response = endpoint_->handle_end_session(get(
      "/oidc/logout",
      "id_token_hint=" + id_token("web") + "&post_logout_redirect_uri=" + enc(kOtherLogoutUrl)));
  expect_error_page(response);
}

TEST_F(LogoutTest, EndSessionRefusesATamperedHint) {
  std::string hint = id_token("web");
  const std::size_t inside_signature = hint.rfind('.') + 10;
  hint[inside_signature] = hint[inside_signature] == 'A' ? 'B' : 'A';
  const auto cookie = sign_in();
  const auto response = endpoint_->handle_end_session(
      get("/oidc/logout", "id_token_hint=" + hint + "&post_logout_redirect_uri=" + enc(kLogoutUrl),
          cookie));
  expect_error_page(response);
  EXPECT_FALSE(signed_in(cookie)) << "a refused logout still ends the session";
}

TEST_F(LogoutTest, EndSessionRefusesAnAccessTokenAsHint) {
  oauth::AccessTokenSpec spec;
  spec.subject = testing::kUserId;
  spec.client_id = "web";
  spec.scopes = {"openid"};
  auto access = issuer_->issue_access_token(spec);
  ASSERT_TRUE(access.ok());
  const auto response = endpoint_->handle_end_session(
      get("/oidc/logout",
          "id_token_hint=" + access->token + "&post_logout_redirect_uri=" + enc(kLogoutUrl)));
  expect_error_page(response);
}

TEST_F(LogoutTest, EndSessionAcceptsAFormPost) {
  const auto cookie = sign_in();
  auto request = form_post("id_token_hint=" + id_token("web") +
                           "&post_logout_redirect_uri=" + enc(kLogoutUrl) + "&state=xyz");
  request.path = request.target = "/oidc/logout";
  request.headers.set("Cookie", cookie.substr(std::string("Cookie: ").size()));
  const auto response = endpoint_->handle_end_session(request);
  EXPECT_EQ(response.status, 302) << response.body;
  EXPECT_EQ(response.headers.get("Location"), std::string(kLogoutUrl) + "?state=xyz");
  EXPECT_FALSE(signed_in(cookie));
}

TEST(LogoutHint, AnIdTokenFromAnotherIssuerIsNotAValidHint) {
  testing::ScratchDir dir;
  auto opened = store::sqlite::SqliteStore::open(dir.path() / "latchkey.db");
  ASSERT_TRUE(opened.ok());
  crypto::OsRandom random;
  ManualClock clock(from_unix_seconds(1800000000));
  std::array<std::uint8_t, 32> kek{};
  jose::Keyring keyring((*opened)->signing_keys(), jose::KeyEncryptionKey(kek), random, clock);
  ASSERT_TRUE(keyring.ensure(std::array{jose::Algorithm::rs256}).ok());
  ASSERT_TRUE(keyring.reload().ok());
  const oauth::TokenIssuer elsewhere("https://elsewhere.example.com/", keyring, clock, random);
  oauth::IdTokenSpec spec;
  spec.user.user_id = "u1";
  spec.client_id = "web";
  auto token = elsewhere.issue_id_token(spec);
  ASSERT_TRUE(token.ok());
  const auto& trusted = keyring.snapshot()->trusted;
  EXPECT_EQ(client_of_id_token_hint(token->token, trusted, "https://elsewhere.example.com/", clock)
                .value(),
            "web");
  const auto refused = client_of_id_token_hint(token->token, trusted, testing::kIssuer, clock);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), LogoutRefusal::invalid_hint);
  EXPECT_FALSE(client_of_id_token_hint("not.a.jwt", trusted, testing::kIssuer, clock).ok());
}

}  // namespace
}  // namespace latchkey::oidc
