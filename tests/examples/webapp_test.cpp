// The web app's handlers, driven without a network: every path here is refused (or redirected)
// before an outbound call, except the unreachable token endpoint, which fails fast.
#include "webapp.hpp"

#include <gtest/gtest.h>

#include "http/cookies.hpp"
#include "support/text.hpp"

namespace latchkey::examples::webapp {
namespace {

using http::Method;
using http::Request;
using http::Response;

using testing::has;

class WebAppTest : public ::testing::Test {
 protected:
  WebAppTest()
      : verifier_(verifier_options(), clock_),
        app_(options(), client_, verifier_, clock_, random_, *log_),
        router_(app_.routes()) {}

  static constexpr const char* kIssuer = "http://127.0.0.1:1/";

  static verify::TokenVerifierOptions verifier_options() {
    verify::TokenVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = "client-1";
    options.typ = "";
    return options;
  }

  static WebAppOptions options() {
    // Port 1 on loopback refuses connections, so an outbound call fails at once.
    return {{kIssuer, "http://127.0.0.1:1/authorize", "http://127.0.0.1:1/oauth/token",
             "http://127.0.0.1:1/.well-known/jwks.json"},
            {"client-1", "secret-1"},
            "http://127.0.0.1:3000",
            "http://127.0.0.1:1/",
            "https://api.example/"};
  }

  Response send(Method method, const std::string& path, http::Params query = {},
                const std::string& cookie = "") {
    Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    if (!cookie.empty()) request.headers.set("Cookie", cookie);
    const auto match = router_.match(method, path);
    if (match.route == nullptr) return match.response;
    return match.route->handler(request);
  }

  /// The `name=value` of the Set-Cookie for `name` in `response`, or "".
  static std::string cookie_pair(const Response& response, std::string_view name) {
    for (const auto value : response.headers.all("Set-Cookie")) {
      if (value.starts_with(std::string(name) + "="))
        return std::string(value.substr(0, value.find(';')));
    }
    return "";
  }

  static std::string set_cookie(const Response& response, std::string_view name) {
    for (const auto value : response.headers.all("Set-Cookie")) {
      if (value.starts_with(std::string(name) + "=")) return std::string(value);
    }
    return "";
  }

  /// Starts a sign-in; returns the transaction cookie and the state sent to /authorize.
  std::pair<std::string, std::string> start_login() {
    const Response response = send(Method::get, "/login");
    const std::string location(response.headers.get("Location").value_or(""));
    const auto query = http::parse_form(location.substr(location.find('?') + 1));
    return {cookie_pair(response, kTransactionCookie), query->get("state")->value_or("")};
  }

  ManualClock clock_{from_unix_seconds(1'700'000'000)};
  crypto::OsRandom random_;
  std::shared_ptr<Logger> log_ = make_null_logger();
  http::Client client_;
  verify::TokenVerifier verifier_;
  WebApp app_;
  http::Router router_;
};

TEST_F(WebAppTest, HomeOffersLogInWhenSignedOut) {
  const Response response = send(Method::get, "/");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(has(response.body, "href=\"/login\""));
}

TEST_F(WebAppTest, LoginRedirectsToAuthorizeWithPkceAndAShortLivedLaxHttpOnlyCookie) {
  const Response response = send(Method::get, "/login");
  EXPECT_EQ(response.status, 302);
  const std::string location(response.headers.get("Location").value_or(""));
  EXPECT_TRUE(
      location.starts_with("http://127.0.0.1:1/authorize?response_type=code&client_id=client-1"
                           "&redirect_uri=http%3A%2F%2F127.0.0.1%3A3000%2Fcallback"));
  EXPECT_TRUE(has(location, "&audience=https%3A%2F%2Fapi.example%2F"));
  EXPECT_TRUE(has(location, "&code_challenge_method=S256"));
  const std::string cookie = set_cookie(response, kTransactionCookie);
  EXPECT_TRUE(has(cookie, "HttpOnly"));
  EXPECT_TRUE(has(cookie, "SameSite=Lax"));
  EXPECT_TRUE(has(cookie, "Max-Age=600"));
  EXPECT_FALSE(has(cookie, "Secure"));  // the app is served over http
}

TEST_F(WebAppTest, EachLoginHasItsOwnStateAndCookie) {
  const auto first = start_login();
  const auto second = start_login();
  EXPECT_NE(first.first, second.first);
  EXPECT_NE(first.second, second.second);
}

TEST_F(WebAppTest, ACallbackWithoutTheCookieShowsAnErrorPage) {
  const Response response = send(Method::get, "/callback", {{"code", "c"}, {"state", "s"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has(response.body, "No sign-in in progress"));
}

TEST_F(WebAppTest, GarbledCookiesAndMissingParametersShowAnErrorPage) {
  for (const std::string cookie : {"webapp_login=%%%", "webapp_login", "=;;;", "\x01\xff"}) {
    const Response response = send(Method::get, "/callback", {}, cookie);
    EXPECT_EQ(response.status, 400) << cookie;
  }
  const auto [cookie, state] = start_login();
  EXPECT_EQ(send(Method::get, "/callback", {{"state", state}}, cookie).status, 400);
}

TEST_F(WebAppTest, AWrongStateIsRefusedAndSpendsTheTransaction) {
  const auto [cookie, state] = start_login();
  const Response wrong = send(Method::get, "/callback", {{"code", "c"}, {"state", "x"}}, cookie);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(has(wrong.body, "The state does not match this sign-in."));
  EXPECT_TRUE(has(set_cookie(wrong, kTransactionCookie), "Max-Age=0"));
  const Response retry = send(Method::get, "/callback", {{"code", "c"}, {"state", state}}, cookie);
  EXPECT_TRUE(has(retry.body, "No sign-in in progress"));
}

TEST_F(WebAppTest, AnExpiredTransactionIsRefused) {
  const auto [cookie, state] = start_login();
  clock_.advance(std::chrono::seconds(601));
  const Response response =
      send(Method::get, "/callback", {{"code", "c"}, {"state", state}}, cookie);
  EXPECT_TRUE(has(response.body, "No sign-in in progress"));
}

TEST_F(WebAppTest, TheServersErrorIsShownEscaped) {
  const Response response =
      send(Method::get, "/callback",
           {{"error", "access_denied"}, {"error_description", "<script>alert(1)</script>"}});
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has(response.body, "access_denied"));
  EXPECT_TRUE(has(response.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_FALSE(has(response.body, "<script>"));
}

TEST_F(WebAppTest, AnUnreachableTokenEndpointShowsAnErrorPageAndNoSession) {
  const auto [cookie, state] = start_login();
  const Response response =
      send(Method::get, "/callback", {{"code", "c"}, {"state", state}}, cookie);
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has(response.body, "Token exchange failed"));
  EXPECT_EQ(cookie_pair(response, kSessionCookie), "");
}

TEST_F(WebAppTest, TheProfileNeedsASession) {
  const Response response = send(Method::get, "/profile", {}, "webapp_session=forged");
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), "/");
}

TEST_F(WebAppTest, LogoutClearsTheSessionCookieAndGoesToLatchkeysLogout) {
  const Response response = send(Method::post, "/logout", {}, "webapp_session=whatever");
  EXPECT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"),
            "http://127.0.0.1:1/v2/logout?client_id=client-1"
            "&returnTo=http%3A%2F%2F127.0.0.1%3A3000%2F");
  EXPECT_TRUE(has(set_cookie(response, kSessionCookie), "Max-Age=0"));
}

TEST_F(WebAppTest, LogoutIsPostOnly) { EXPECT_EQ(send(Method::get, "/logout").status, 405); }

}  // namespace
}  // namespace latchkey::examples::webapp
