#include "login/signup_handler.hpp"

#include <gtest/gtest.h>

#include "crypto/password.hpp"
#include "login/hosted_pages_fixture.hpp"
#include "support/text.hpp"

namespace latchkey::login_test {
namespace {

using login::PageOptions;
using login::SessionManager;
using login::SignupHandler;

using testing::has;

class SignupHandlerTest : public HostedPagesTest {
 protected:
  void SetUp() override {
    HostedPagesTest::SetUp();
    if (HasFatalFailure()) return;
    rebuild(PageOptions{false, true});
  }
  void rebuild(PageOptions options) {
    handler_.reset();
    sessions_ = std::make_unique<SessionManager>(store_->sessions(), store_->users(), clock_,
                                                 random_, options.secure_cookies);
    handler_ = std::make_unique<SignupHandler>(store_->users(), store_->clients(), transactions_,
                                               *sessions_, renderer_, clock_, random_, hasher_,
                                               *log_, options);
  }
  http::Response sign_up(std::string_view email, std::string_view password,
                         std::string_view name = {}) {
    http::Params form{{"state", state_},
                      {"lk_csrf", kCsrf},
                      {"email", std::string(email)},
                      {"password", std::string(password)}};
    if (!name.empty()) form.add("name", std::string(name));
    return handler_->handle_post(post("/u/signup", form, csrf_cookie()));
  }
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<SignupHandler> handler_;
};

TEST_F(SignupHandlerTest, FormAsksForEmailAndNewPasswordWithCsrf) {
  const auto response = handler_->handle_get(get("/u/signup", state_));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(has(response.body, "autocomplete=\"new-password\""));
  const auto csrf = set_cookie_value(response, "lk_csrf");
  ASSERT_TRUE(csrf);
  EXPECT_TRUE(has(response.body, "name=\"lk_csrf\" value=\"" + *csrf + "\""));
}

TEST_F(SignupHandlerTest, CreatesTheUserAndLogsItIn) {
  const auto response = sign_up("Bob@Example.com", "a long password", "Bob <b>");
  ASSERT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), "/authorize/resume?state=" + state_);
  EXPECT_TRUE(set_cookie_line(response, "lk_session"));
  const auto user = store_->users().find_by_email("bob@example.com");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->user_id.rfind("auth0|", 0), 0u);
  EXPECT_EQ(user->user_id.size(), 6u + 24u);
  EXPECT_EQ(user->name, "Bob <b>");
  EXPECT_TRUE(crypto::verify_password(user->password_hash, "a long password"));
  const auto marked = transaction(state_);
  EXPECT_EQ(marked.user_id, user->user_id);
  EXPECT_TRUE(marked.authenticated_at.has_value());
}

TEST_F(SignupHandlerTest, ExistingEmailGetsAGenericMessage) {
  const auto response = sign_up("ALICE@example.com", "another password");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(has(response.body, "role=\"alert\">We could not sign you up"));
  EXPECT_FALSE(set_cookie_line(response, "lk_session"));
  EXPECT_EQ(store_->users().list()->size(), 1u);
  EXPECT_FALSE(transaction(state_).authenticated_at.has_value());
}

TEST_F(SignupHandlerTest, PasswordPolicyAndEmailAreChecked) {
  EXPECT_EQ(sign_up("carol@example.com", "short").status, 400);
  EXPECT_EQ(sign_up("not-an-email", "a long password").status, 400);
  EXPECT_EQ(store_->users().list()->size(), 1u);
}

TEST_F(SignupHandlerTest, DisabledSignUpIsNotFound) {
  rebuild(PageOptions{false, false});
  EXPECT_EQ(handler_->handle_get(get("/u/signup", state_)).status, 404);
  EXPECT_EQ(sign_up("dave@example.com", "a long password").status, 404);
  EXPECT_EQ(store_->users().list()->size(), 1u);
}

TEST_F(SignupHandlerTest, CsrfMismatchIsForbidden) {
  const http::Params form{{"state", state_},
                          {"lk_csrf", std::string(64, 'e')},
                          {"email", "eve@example.com"},
                          {"password", "a long password"}};
  EXPECT_EQ(handler_->handle_post(post("/u/signup", form, csrf_cookie())).status, 403);
  EXPECT_EQ(store_->users().list()->size(), 1u);
}

}  // namespace
}  // namespace latchkey::login_test
