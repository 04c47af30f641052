#include "login/login_handler.hpp"

#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "login/hosted_pages_fixture.hpp"
#include "support/text.hpp"

namespace latchkey::login_test {
namespace {

using login::kWrongCredentialsMessage;
using login::LoginHandler;
using login::PageOptions;
using login::SessionManager;

using testing::has;

class LoginHandlerTest : public HostedPagesTest {
 protected:
  void SetUp() override {
    HostedPagesTest::SetUp();
    if (HasFatalFailure()) return;
    rebuild(PageOptions{});
  }
  void rebuild(PageOptions options) {
    handler_.reset();
    sessions_ = std::make_unique<SessionManager>(store_->sessions(), store_->users(), clock_,
                                                 random_, options.secure_cookies);
    handler_ = std::make_unique<LoginHandler>(store_->users(), store_->clients(),
                                              store_->login_attempts(), transactions_, *sessions_,
                                              renderer_, clock_, random_, hasher_, *log_, options);
  }
  http::Response login(std::string_view email, std::string_view password,
                       std::string ip = std::string(kIp), const std::string& extra_cookie = {}) {
    const http::Params form{{"state", state_},
                            {"lk_csrf", kCsrf},
                            {"email", std::string(email)},
                            {"password", std::string(password)}};
    return handler_->handle_post(post("/u/login", form, csrf_cookie(extra_cookie), std::move(ip)));
  }
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<LoginHandler> handler_;
};

TEST_F(LoginHandlerTest, PagePrefillsLoginHintAndCarriesTheCsrfField) {
  const auto response = handler_->handle_get(get("/u/login", state_));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(has(response.body, "value=\"alice@example.com\""));
  EXPECT_TRUE(has(response.body, "to continue to My App"));
  const auto csrf = set_cookie_value(response, "lk_csrf");
  ASSERT_TRUE(csrf);
  EXPECT_EQ(csrf->size(), 64u);
  EXPECT_TRUE(has(response.body, "name=\"lk_csrf\" value=\"" + *csrf + "\""));
  const auto line = set_cookie_line(response, "lk_csrf");
  EXPECT_TRUE(has(*line, "SameSite=Strict"));
  EXPECT_TRUE(has(*line, "HttpOnly"));
  EXPECT_EQ(response.headers.get("Cache-Control"), "no-store");
  EXPECT_FALSE(has(response.body, "Sign up"));
}

TEST_F(LoginHandlerTest, PageReusesAWellFormedCsrfCookie) {
  const auto response = handler_->handle_get(get("/u/login", state_, csrf_cookie()));
  EXPECT_FALSE(set_cookie_line(response, "lk_csrf"));
  EXPECT_TRUE(has(response.body, "name=\"lk_csrf\" value=\"" + kCsrf + "\""));
}

TEST_F(LoginHandlerTest, PageLinksToSignUpWhenEnabled) {
  rebuild(PageOptions{false, true});
  const auto response = handler_->handle_get(get("/u/login", state_));
  EXPECT_TRUE(has(response.body, "href=\"/u/signup?state=" + state_ + "\""));
}

TEST_F(LoginHandlerTest, MissingUnknownOrExpiredStateIsA400Page) {
  http::Request no_state = get("/u/login", "");
  no_state.query = {};
  EXPECT_EQ(handler_->handle_get(no_state).status, 400);
  EXPECT_EQ(handler_->handle_get(get("/u/login", "")).status, 400);
  EXPECT_EQ(handler_->handle_get(get("/u/login", std::string(64, '0'))).status, 400);
  http::Request repeated = get("/u/login", state_);
  repeated.query.add("state", state_);
  EXPECT_EQ(handler_->handle_get(repeated).status, 400);
  clock_.advance(std::chrono::minutes(31));
  const auto expired = handler_->handle_get(get("/u/login", state_));
  EXPECT_EQ(expired.status, 400);
  EXPECT_TRUE(has(expired.body, "role=\"alert\""));
}

TEST_F(LoginHandlerTest, GoodLoginSetsTheSessionCookieMarksTheTransactionAndResumes) {
  const auto response = login(kEmail, kPassword);
  ASSERT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), "/authorize/resume?state=" + state_);
  const auto line = set_cookie_line(response, "lk_session");
  ASSERT_TRUE(line);
  EXPECT_TRUE(has(*line, "HttpOnly"));
  EXPECT_TRUE(has(*line, "SameSite=Lax"));
  EXPECT_TRUE(has(*line, "Path=/"));
  EXPECT_FALSE(has(*line, "Secure"));
  const auto value = set_cookie_value(response, "lk_session");
  EXPECT_TRUE(store_->sessions().find(crypto::sha256_hex(*value)));
  const auto marked = transaction(state_);
  EXPECT_TRUE(marked.authenticated_at.has_value());
  EXPECT_EQ(marked.user_id, kUserId);
  const auto user = store_->users().find(kUserId);
  ASSERT_TRUE(user);
  EXPECT_EQ(user->logins_count, 1);
}

TEST_F(LoginHandlerTest, SessionCookieIsSecureWhenTheIssuerIsHttps) {
  rebuild(PageOptions{true, false});
  const auto response = login(kEmail, kPassword);
  ASSERT_EQ(response.status, 302);
  EXPECT_TRUE(has(*set_cookie_line(response, "lk_session"), "; Secure"));
}

TEST_F(LoginHandlerTest, EmailIsMatchedCaseInsensitively) {
  EXPECT_EQ(login("ALICE@Example.COM", kPassword).status, 302);
}

TEST_F(LoginHandlerTest, WrongPasswordAndUnknownEmailLookTheSame) {
  const auto wrong = login(kEmail, "not the password");
  const auto unknown = login("nobody@example.com", kPassword);
  for (const auto* response : {&wrong, &unknown}) {
    EXPECT_EQ(response->status, 400);
    EXPECT_TRUE(has(response->body, "role=\"alert\">" + std::string(kWrongCredentialsMessage)));
    EXPECT_FALSE(set_cookie_line(*response, "lk_session"));
  }
  EXPECT_FALSE(transaction(state_).authenticated_at.has_value());
}

TEST_F(LoginHandlerTest, TenFailuresBlockThePairEvenForTheRightPassword) {
  for (int i = 0; i < login::kMaxFailedLogins; ++i) {
    EXPECT_EQ(login(kEmail, "wrong").status, 400) << i;
  }
  const auto blocked = login(kEmail, kPassword);
  EXPECT_EQ(blocked.status, 429);
  EXPECT_TRUE(has(blocked.body, "Too many attempts"));
  EXPECT_EQ(blocked.headers.get("Retry-After"), "900");
  EXPECT_FALSE(set_cookie_line(blocked, "lk_session"));
  EXPECT_FALSE(transaction(state_).authenticated_at.has_value());
  // The block is decided before any password check: no further failure is counted either way.
  EXPECT_EQ(store_->login_attempts().find(kEmail, kIp)->failures, login::kMaxFailedLogins);
}

TEST_F(LoginHandlerTest, BlockedPairDoesNotBlockTheSameUserFromAnotherIp) {
  for (int i = 0; i < login::kMaxFailedLogins; ++i) (void)login(kEmail, "wrong");
  EXPECT_EQ(login(kEmail, kPassword).status, 429);
  EXPECT_EQ(login(kEmail, kPassword, "198.51.100.1").status, 302);
}

TEST_F(LoginHandlerTest, ClearingTheEmailLiftsTheBlock) {
  for (int i = 0; i < login::kMaxFailedLogins; ++i) (void)login(kEmail, "wrong");
  ASSERT_EQ(login(kEmail, kPassword).status, 429);
  ASSERT_TRUE(store_->login_attempts().clear_email(kEmail));
  EXPECT_EQ(login(kEmail, kPassword).status, 302);
}

TEST_F(LoginHandlerTest, BlockExpiresAfterFifteenMinutes) {
  for (int i = 0; i < login::kMaxFailedLogins; ++i) (void)login(kEmail, "wrong");
  clock_.advance(login::kBruteForceBlockDuration - std::chrono::seconds(1));
  state_ = add_transaction("client_id=app1");
  ASSERT_EQ(login(kEmail, kPassword).status, 429);
  clock_.advance(std::chrono::seconds(2));
  // After the block, one more mistake does not block again at once: counting starts afresh.
  EXPECT_EQ(login(kEmail, "wrong").status, 400);
  EXPECT_EQ(login(kEmail, kPassword).status, 302);
}

TEST_F(LoginHandlerTest, SuccessClearsThePairsFailures) {
  for (int i = 0; i < login::kMaxFailedLogins - 1; ++i) (void)login(kEmail, "wrong");
  ASSERT_EQ(login(kEmail, kPassword).status, 302);
  EXPECT_FALSE(store_->login_attempts().find(kEmail, kIp));
  for (int i = 0; i < login::kMaxFailedLogins - 1; ++i) (void)login(kEmail, "wrong");
  EXPECT_EQ(login(kEmail, kPassword).status, 302);
}

TEST_F(LoginHandlerTest, MissingOrMismatchedCsrfIsForbiddenAndChangesNothing) {
  const http::Params good{{"state", state_},
                          {"lk_csrf", kCsrf},
                          {"email", std::string(kEmail)},
                          {"password", std::string(kPassword)}};
  http::Params no_field{
      {"state", state_}, {"email", std::string(kEmail)}, {"password", std::string(kPassword)}};
  http::Params other_field = no_field;
  other_field.add("lk_csrf", std::string(64, 'd'));
  const std::vector<http::Request> requests{
      post("/u/login", no_field, csrf_cookie()),
      post("/u/login", good, ""),
      post("/u/login", other_field, csrf_cookie()),
      post("/u/login", good, "lk_csrf=" + kCsrf.substr(1)),
  };
  for (const auto& request : requests) {
    const auto response = handler_->handle_post(request);
    EXPECT_EQ(response.status, 403);
    EXPECT_FALSE(set_cookie_line(response, "lk_session"));
  }
  EXPECT_FALSE(transaction(state_).authenticated_at.has_value());
  EXPECT_FALSE(store_->login_attempts().find(kEmail, kIp));
}

TEST_F(LoginHandlerTest, BlockedUserCannotLogInAndSeesTheGenericMessage) {
  ASSERT_TRUE(store_->users().set_blocked(kUserId, true));
  const auto response = login(kEmail, kPassword);
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has(response.body, kWrongCredentialsMessage));
  EXPECT_FALSE(set_cookie_line(response, "lk_session"));
  EXPECT_FALSE(transaction(state_).authenticated_at.has_value());
}

TEST_F(LoginHandlerTest, LoginInAnExistingSessionOfTheSameUserRefreshesIt) {
  const auto first = login(kEmail, kPassword);
  const auto value = set_cookie_value(first, "lk_session");
  ASSERT_TRUE(value);
  clock_.advance(std::chrono::hours(1));
  state_ = add_transaction("client_id=app1");
  const auto second = login(kEmail, kPassword, std::string(kIp), "lk_session=" + *value);
  ASSERT_EQ(second.status, 302);
  EXPECT_FALSE(set_cookie_line(second, "lk_session"));
  const auto session = store_->sessions().find(crypto::sha256_hex(*value));
  ASSERT_TRUE(session);
  EXPECT_EQ(to_unix_seconds(session->auth_time), to_unix_seconds(clock_.now()));
}

TEST_F(LoginHandlerTest, BadFormsAndUnknownStatesNeverCrash) {
  http::Request wrong_type = post("/u/login", {}, csrf_cookie());
  wrong_type.headers.set("Content-Type", "text/plain");
  EXPECT_EQ(handler_->handle_post(wrong_type).status, 400);
  http::Request malformed = post("/u/login", {}, csrf_cookie());
  malformed.body = "email=%zz&password=%";
  EXPECT_EQ(handler_->handle_post(malformed).status, 400);
  const http::Params unknown{{"state", "nope"}, {"lk_csrf", kCsrf}, {"email", "a"}};
  EXPECT_EQ(handler_->handle_post(post("/u/login", unknown, csrf_cookie())).status, 400);
  const http::Params empty{{"state", state_}, {"lk_csrf", kCsrf}};
  EXPECT_EQ(handler_->handle_post(post("/u/login", empty, csrf_cookie())).status, 400);
  http::Request garbage_cookie = get("/u/login", state_, std::string("lk_session=\x7f;;=;lk_csrf"));
  EXPECT_EQ(handler_->handle_get(garbage_cookie).status, 200);
}

}  // namespace
}  // namespace latchkey::login_test

namespace latchkey::login_test {
namespace {

// The same flow on the SQLite transaction table that the running server uses.
TEST_F(HostedPagesTest, LoginMarksATransactionStoredInSqlite) {
  store::AuthorizationTransaction stored;
  stored.id = crypto::random_hex(random_, 32);
  stored.query = "client_id=app1&login_hint=alice%40example.com";
  stored.client_id = std::string(kClientId);
  stored.created_at = clock_.now();
  stored.expires_at = clock_.now() + std::chrono::minutes(30);
  ASSERT_TRUE(store_->transactions().create(stored));
  login::SessionManager sessions(store_->sessions(), store_->users(), clock_, random_, false);
  login::LoginHandler handler(store_->users(), store_->clients(), store_->login_attempts(),
                              store_->transactions(), sessions, renderer_, clock_, random_, hasher_,
                              *log_, login::PageOptions{});
  const auto page = handler.handle_get(get("/u/login", stored.id));
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("value=\"alice@example.com\""), std::string::npos);
  const http::Params form{{"state", stored.id},
                          {"lk_csrf", kCsrf},
                          {"email", std::string(kEmail)},
                          {"password", std::string(kPassword)}};
  const auto response = handler.handle_post(post("/u/login", form, csrf_cookie()));
  ASSERT_EQ(response.status, 302);
  const auto marked = store_->transactions().find(stored.id);
  ASSERT_TRUE(marked);
  EXPECT_EQ(marked->user_id, kUserId);
  EXPECT_TRUE(marked->authenticated_at.has_value());
}

}  // namespace
}  // namespace latchkey::login_test
