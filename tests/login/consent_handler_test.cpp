#include "login/consent_handler.hpp"

#include <gtest/gtest.h>

#include "login/hosted_pages_fixture.hpp"
#include "support/text.hpp"

namespace latchkey::login_test {
namespace {

using login::ConsentHandler;
using login::PageOptions;
using login::SessionManager;
using Scopes = std::vector<std::string>;

using testing::has;

class ConsentHandlerTest : public HostedPagesTest {
 protected:
  void SetUp() override {
    HostedPagesTest::SetUp();
    if (HasFatalFailure()) return;
    sessions_ = std::make_unique<SessionManager>(store_->sessions(), store_->users(), clock_,
                                                 random_, false);
    handler_ = std::make_unique<ConsentHandler>(store_->clients(), store_->resource_servers(),
                                                store_->grants(), transactions_, *sessions_,
                                                renderer_, clock_, random_, *log_, PageOptions{});
    auto started = sessions_->start(kUserId, clock_.now());
    ASSERT_TRUE(started);
    const auto& line = started->set_cookie;
    session_cookie_ = line.substr(0, line.find(';'));
    ASSERT_TRUE(transactions_.set_authenticated(state_, kUserId, clock_.now()));
  }
  http::Response decide(std::string_view action, const std::string& cookie) {
    const http::Params form{{"state", state_}, {"lk_csrf", kCsrf}, {"action", std::string(action)}};
    return handler_->handle_post(post("/u/consent", form, cookie));
  }
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<ConsentHandler> handler_;
  std::string session_cookie_;  ///< "lk_session=<value>"
};

TEST_F(ConsentHandlerTest, PageListsTheDescriptionOfEachRequestedApiScope) {
  const auto response = handler_->handle_get(get("/u/consent", state_, session_cookie_));
  ASSERT_EQ(response.status, 200);
  EXPECT_TRUE(has(response.body, "Authorize My App"));
  EXPECT_TRUE(has(response.body, "<li>Read your items</li>"));
  EXPECT_FALSE(has(response.body, "Change your items"));  // defined but not requested
  EXPECT_FALSE(has(response.body, "undefined:scope"));    // requested but not defined
  EXPECT_TRUE(has(response.body, "value=\"accept\""));
  EXPECT_TRUE(has(response.body, "value=\"decline\""));
  EXPECT_TRUE(set_cookie_line(response, "lk_csrf"));
}

TEST_F(ConsentHandlerTest, AcceptStoresTheUnionOfOldAndNewScopes) {
  model::Grant previous;
  previous.user_id = std::string(kUserId);
  previous.client_id = std::string(kClientId);
  previous.audience = std::string(kAudience);
  previous.scopes = {"write:items"};
  previous.created_at = clock_.now();
  previous.updated_at = clock_.now();
  ASSERT_TRUE(store_->grants().upsert(previous));
  const auto response = decide("accept", csrf_cookie(session_cookie_));
  ASSERT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), "/authorize/resume?state=" + state_);
  const auto grant = store_->grants().find(kUserId, kClientId, kAudience);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->scopes, (Scopes{"write:items", "openid", "profile", "read:items"}));
  EXPECT_EQ(transaction(state_).consent, login::kConsentGranted);
}

TEST_F(ConsentHandlerTest, DeclineMarksTheTransactionDeniedAndStoresNoGrant) {
  const auto response = decide("decline", csrf_cookie(session_cookie_));
  ASSERT_EQ(response.status, 302);
  EXPECT_EQ(response.headers.get("Location"), "/authorize/resume?state=" + state_);
  EXPECT_EQ(transaction(state_).consent, login::kConsentDenied);
  EXPECT_FALSE(store_->grants().find(kUserId, kClientId, kAudience));
}

TEST_F(ConsentHandlerTest, UnknownActionIsABadRequest) {
  EXPECT_EQ(decide("maybe", csrf_cookie(session_cookie_)).status, 400);
  EXPECT_EQ(transaction(state_).consent, "");
}

TEST_F(ConsentHandlerTest, CsrfFailureIsForbiddenAndChangesNothing) {
  EXPECT_EQ(decide("accept", session_cookie_).status, 403);
  EXPECT_EQ(transaction(state_).consent, "");
  EXPECT_FALSE(store_->grants().find(kUserId, kClientId, kAudience));
}

TEST_F(ConsentHandlerTest, NeedsTheTransactionsOwnSession) {
  EXPECT_EQ(handler_->handle_get(get("/u/consent", state_)).status, 403);
  EXPECT_EQ(decide("accept", csrf_cookie()).status, 403);
  model::User bob;
  bob.user_id = "auth0|bob";
  bob.email = "bob@example.com";
  ASSERT_TRUE(store_->users().create(bob));
  auto started = sessions_->start(bob.user_id, clock_.now());
  ASSERT_TRUE(started);
  const std::string bob_cookie = started->set_cookie.substr(0, started->set_cookie.find(';'));
  EXPECT_EQ(handler_->handle_get(get("/u/consent", state_, bob_cookie)).status, 403);
  EXPECT_EQ(decide("accept", csrf_cookie(bob_cookie)).status, 403);
  EXPECT_EQ(transaction(state_).consent, "");
}

TEST_F(ConsentHandlerTest, UnauthenticatedTransactionIsForbidden) {
  state_ =
      add_transaction("client_id=app1&scope=read%3Aitems&audience=https%3A%2F%2Fapi.example.com");
  EXPECT_EQ(handler_->handle_get(get("/u/consent", state_, session_cookie_)).status, 403);
  EXPECT_EQ(decide("accept", csrf_cookie(session_cookie_)).status, 403);
}

TEST_F(ConsentHandlerTest, UnknownStateAndGarbageNeverCrash) {
  EXPECT_EQ(handler_->handle_get(get("/u/consent", "unknown", session_cookie_)).status, 400);
  http::Request broken = get("/u/consent", state_, "lk_session=\"\x80\x81; ;=;");
  EXPECT_EQ(handler_->handle_get(broken).status, 403);
  const std::string odd_query = add_transaction("%zz=&scope=%&audience");
  ASSERT_TRUE(transactions_.set_authenticated(odd_query, kUserId, clock_.now()));
  state_ = odd_query;
  EXPECT_EQ(handler_->handle_get(get("/u/consent", state_, session_cookie_)).status, 200);
}

TEST(GrantedScopes, KeepsPreviousAddsRequestedOidcAndDefinedScopesWithoutRepeats) {
  const std::vector<model::Scope> defined{{"read:items", "r"}, {"write:items", "w"}};
  EXPECT_EQ(login::granted_scopes({"read:items"},
                                  {"offline_access", "read:items", "write:items", "admin", "email"},
                                  defined),
            (Scopes{"read:items", "offline_access", "write:items", "email"}));
  EXPECT_EQ(login::granted_scopes({}, {}, defined), Scopes{});
}

}  // namespace
}  // namespace latchkey::login_test
