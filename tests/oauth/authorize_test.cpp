// AuthorizeEndpoint: GET/POST /authorize and /authorize/resume against a SQLite store.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "crypto/digest.hpp"
#include "oauth/authorize_test_fixture.hpp"
#include "oauth/error.hpp"

namespace latchkey::testing {
namespace {

using std::chrono::seconds;

void expect_error_page(const http::Response& response, std::string_view code) {
  EXPECT_EQ(response.status, 400);
  EXPECT_FALSE(response.headers.contains("Location"));
  EXPECT_TRUE(response.is_html());
  EXPECT_NE(response.body.find(std::string(code)), std::string::npos) << response.body;
}

void expect_error_redirect(const http::Response& response, std::string_view code,
                           std::string_view redirect_uri = kWebCallback,
                           std::string_view state = "xyz state") {
  ASSERT_EQ(response.status, 302) << response.body;
  EXPECT_EQ(location_base(response), redirect_uri);
  const auto params = location_params(response);
  EXPECT_EQ(value_of(params, "error"), code);
  EXPECT_EQ(value_of(params, "state"), state);
  EXPECT_EQ(value_of(params, "iss"), kIssuer);
  EXPECT_FALSE(params.contains("code"));
}

/// The code of a successful 302 response to the web client's callback.
std::string code_of(const http::Response& response) {
  EXPECT_EQ(response.status, 302) << response.body;
  EXPECT_EQ(location_base(response), kWebCallback);
  const auto params = location_params(response);
  EXPECT_EQ(value_of(params, "state"), "xyz state");
  EXPECT_EQ(value_of(params, "iss"), kIssuer);
  EXPECT_FALSE(params.contains("error"));
  return value_of(params, "code");
}

TEST_F(AuthorizeTest, UnknownClientGetsAnErrorPageNeverARedirect) {
  const http::Params params{{"client_id", "nobody"},
                            {"redirect_uri", std::string(kWebCallback)},
                            {"response_type", "code"}};
  expect_error_page(get(params), oauth::errors::kInvalidRequest);
  expect_error_page(get(http::Params{{"response_type", "code"}}), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, UnregisteredRedirectUriGetsAnErrorPage) {
  const http::Params params{{"client_id", "web"},
                            {"redirect_uri", "https://evil.example.com/callback"},
                            {"response_type", "code"},
                            {"state", "s"}};
  expect_error_page(get(params), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, MissingRedirectUriWithTwoCallbacksGetsAnErrorPage) {
  expect_error_page(get(http::Params{{"client_id", "web"}, {"response_type", "code"}}),
                    oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, OmittedRedirectUriWithOneCallbackUsesIt) {
  log_in();
  const auto response = get(http::Params{{"client_id", "single"},
                                         {"response_type", "code"},
                                         {"scope", "openid"},
                                         {"state", "xyz state"}});
  EXPECT_FALSE(code_of(response).empty());
}

TEST_F(AuthorizeTest, RepeatedClientIdGetsAnErrorPage) {
  auto params = web_request();
  params.add("client_id", "web");
  expect_error_page(get(params), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, RepeatedParameterAfterTheRedirectUriIsRedirected) {
  auto params = web_request();
  params.add("scope", "email");
  const auto response = get(params);
  expect_error_redirect(response, oauth::errors::kInvalidRequest);
  EXPECT_NE(value_of(location_params(response), "error_description").find("scope"),
            std::string::npos);
}

TEST_F(AuthorizeTest, UnsupportedResponseTypeRedirectsWithStateAndIss) {
  const http::Params params{{"client_id", "web"},
                            {"redirect_uri", std::string(kWebCallback)},
                            {"response_type", "token"},
                            {"state", "xyz state"}};
  expect_error_redirect(get(params), oauth::errors::kUnsupportedResponseType);
}

TEST_F(AuthorizeTest, MissingResponseTypeIsInvalidRequest) {
  const http::Params params{
      {"client_id", "web"}, {"redirect_uri", std::string(kWebCallback)}, {"state", "xyz state"}};
  expect_error_redirect(get(params), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, UnknownResponseModeIsRedirectedInTheQuery) {
  expect_error_redirect(get(web_request({{"response_mode", "fragment"}})),
                        oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, UnknownAudienceIsAccessDeniedServiceNotFound) {
  const auto response = get(web_request({{"audience", "x"}}));
  expect_error_redirect(response, oauth::errors::kAccessDenied);
  EXPECT_EQ(value_of(location_params(response), "error_description"), "Service not found: x");
}

TEST_F(AuthorizeTest, AnApiInternalIdIsNotAnAudience) {
  const auto response = get(web_request({{"audience", "api1"}}));
  EXPECT_EQ(value_of(location_params(response), "error_description"), "Service not found: api1");
}

TEST_F(AuthorizeTest, ResourceParameterIsAnAliasOfAudience) {
  log_in();
  const auto code =
      code_of(get(web_request({{"resource", std::string(kApi)}, {"scope", "openid read:items"}})));
  auto redeemed = store_->authorization_codes().redeem(crypto::sha256_hex(code), clock_.now());
  ASSERT_TRUE(redeemed.ok());
  EXPECT_EQ(redeemed->code.audience, kApi);
  EXPECT_EQ(redeemed->code.scopes, (std::vector<std::string>{"openid", "read:items"}));
}

TEST_F(AuthorizeTest, DifferentAudienceAndResourceAreInvalidRequest) {
  expect_error_redirect(
      get(web_request({{"audience", std::string(kApi)}, {"resource", "https://other"}})),
      oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, PlainPkceIsInvalidRequest) {
  expect_error_redirect(get(web_request({{"code_challenge", std::string(kChallenge)},
                                         {"code_challenge_method", "plain"}})),
                        oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, SpaWithoutPkceIsInvalidRequest) {
  const http::Params params{{"client_id", "spa"},
                            {"redirect_uri", "https://spa.example.com/"},
                            {"response_type", "code"},
                            {"state", "xyz state"}};
  expect_error_redirect(get(params), oauth::errors::kInvalidRequest, "https://spa.example.com/");
}

TEST_F(AuthorizeTest, PromptNoneWithoutSessionIsLoginRequired) {
  expect_error_redirect(get(web_request({{"prompt", "none"}})), oauth::errors::kLoginRequired);
  EXPECT_EQ(transactions_.size(), 0U);
}

TEST_F(AuthorizeTest, PromptNoneWithSessionButNoGrantIsConsentRequired) {
  log_in();
  const http::Params params{
      {"client_id", "third"},    {"redirect_uri", "https://third.example.net/cb"},
      {"response_type", "code"}, {"scope", "openid"},
      {"prompt", "none"},        {"state", "xyz state"}};
  expect_error_redirect(get(params), oauth::errors::kConsentRequired,
                        "https://third.example.net/cb");
  EXPECT_EQ(transactions_.size(), 0U);
}

TEST_F(AuthorizeTest, PromptNoneWithCoveringGrantIssuesACode) {
  log_in();
  grant("third", "", {"openid"});
  const http::Params params{{"client_id", "third"},
                            {"redirect_uri", "https://third.example.net/cb"},
                            {"response_type", "code"},
                            {"scope", "openid"},
                            {"prompt", "none"}};
  const auto response = get(params);
  ASSERT_EQ(response.status, 302);
  EXPECT_FALSE(value_of(location_params(response), "code").empty());
}

TEST_F(AuthorizeTest, NoSessionCreatesATransactionAndGoesToLogin) {
  const auto params = web_request({{"nonce", "n-1"}});
  const auto response = get(params);
  const std::string id = transaction_of(response, "/u/login");
  auto transaction = transactions_.find(id);
  ASSERT_TRUE(transaction.ok());
  EXPECT_EQ(transaction->client_id, "web");
  EXPECT_EQ(transaction->query, params.encode());
  EXPECT_EQ(transaction->created_at, clock_.now());
  EXPECT_EQ(transaction->expires_at, clock_.now() + std::chrono::minutes(30));
  EXPECT_FALSE(transaction->authenticated_at.has_value());
}

TEST_F(AuthorizeTest, PromptLoginWithASessionGoesToLogin) {
  log_in();
  transaction_of(get(web_request({{"prompt", "login"}})), "/u/login");
}

TEST_F(AuthorizeTest, SelectAccountActsAsLogin) {
  log_in();
  transaction_of(get(web_request({{"prompt", "select_account"}})), "/u/login");
}

TEST_F(AuthorizeTest, MaxAgeExceededGoesToLogin) {
  log_in(seconds(120));
  transaction_of(get(web_request({{"max_age", "60"}})), "/u/login");
}

TEST_F(AuthorizeTest, MaxAgeNotExceededIssuesACode) {
  log_in(seconds(60));
  EXPECT_FALSE(code_of(get(web_request({{"max_age", "60"}}))).empty());
}

TEST_F(AuthorizeTest, NegativeMaxAgeIsInvalidRequest) {
  expect_error_redirect(get(web_request({{"max_age", "-5"}})), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, PromptNoneWithLoginIsInvalidRequest) {
  expect_error_redirect(get(web_request({{"prompt", "none login"}})),
                        oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, StoredGrantIssuesACodeStraightAway) {
  log_in();
  grant("web", "https://api2.example.com", {"read:items", "openid"});
  EXPECT_FALSE(code_of(get(web_request({{"audience", "https://api2.example.com"},
                                        {"scope", "openid read:items"}})))
                   .empty());
}

TEST_F(AuthorizeTest, ScopeOrderIsIrrelevantForTheGrantCheck) {
  log_in();
  grant("third", "https://api2.example.com", {"write:items", "read:items", "openid"});
  const http::Params params{{"client_id", "third"},
                            {"redirect_uri", "https://third.example.net/cb"},
                            {"response_type", "code"},
                            {"audience", "https://api2.example.com"},
                            {"scope", "read:items openid write:items"}};
  const auto response = get(params);
  ASSERT_EQ(response.status, 302);
  EXPECT_EQ(location_base(response), "https://third.example.net/cb");
  EXPECT_FALSE(value_of(location_params(response), "code").empty());
}

TEST_F(AuthorizeTest, GrantMissingARequestedScopeNeedsConsent) {
  log_in();
  grant("web", "https://api2.example.com", {"openid", "read:items"});
  transaction_of(get(web_request({{"audience", "https://api2.example.com"},
                                  {"scope", "openid read:items write:items"}})),
                 "/u/consent");
}

TEST_F(AuthorizeTest, FirstPartyClientSkipsConsentForAnApiThatAllowsIt) {
  log_in();
  EXPECT_FALSE(
      code_of(get(web_request({{"audience", std::string(kApi)}, {"scope", "openid read:items"}})))
          .empty());
}

TEST_F(AuthorizeTest, FirstPartyClientOnLocalhostDoesNotSkipConsent) {
  log_in();
  const http::Params params{{"client_id", "local"},
                            {"redirect_uri", "http://localhost:3000/callback"},
                            {"response_type", "code"},
                            {"audience", std::string(kApi)},
                            {"scope", "openid read:items"}};
  transaction_of(get(params), "/u/consent");
}

TEST_F(AuthorizeTest, ThirdPartyClientDoesNotSkipConsent) {
  log_in();
  const http::Params params{{"client_id", "third"},
                            {"redirect_uri", "https://third.example.net/cb"},
                            {"response_type", "code"},
                            {"audience", std::string(kApi)},
                            {"scope", "openid read:items"}};
  transaction_of(get(params), "/u/consent");
}

TEST_F(AuthorizeTest, ApiWithoutSkipConsentAsksFirstPartyClients) {
  log_in();
  transaction_of(get(web_request({{"audience", "https://api2.example.com"}})), "/u/consent");
}

TEST_F(AuthorizeTest, FirstPartyClientWithOnlyOidcScopesAndNoApiSkipsConsent) {
  log_in();
  EXPECT_FALSE(
      code_of(get(web_request({{"scope", "openid profile email offline_access"}}))).empty());
}

TEST_F(AuthorizeTest, PromptConsentForcesConsentEvenWithAGrant) {
  log_in();
  grant("web", "", {"openid", "profile"});
  transaction_of(get(web_request({{"prompt", "consent"}})), "/u/consent");
}

TEST_F(AuthorizeTest, FormPostRendersAFormWithCodeStateAndIss) {
  log_in();
  const auto form = get(web_request({{"response_mode", "form_post"}, {"state", "<s&>"}}));
  ASSERT_EQ(form.status, 200);
  EXPECT_TRUE(form.is_html());
  EXPECT_FALSE(form.headers.contains("Location"));
  EXPECT_EQ(form.headers.get("Cache-Control"), "no-store");
  EXPECT_NE(form.body.find("action=\"https://app.example.com/callback\""), std::string::npos);
  EXPECT_NE(form.body.find("name=\"code\" value=\""), std::string::npos);
  EXPECT_NE(form.body.find("name=\"state\" value=\"&lt;s&amp;&gt;\""), std::string::npos);
  EXPECT_NE(form.body.find("name=\"iss\" value=\"https://tenant.example.com/\""),
            std::string::npos);
}

TEST_F(AuthorizeTest, PostWithAFormBodyWorksLikeGet) {
  log_in();
  http::Request request;
  request.method = http::Method::post;
  request.path = "/authorize";
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = web_request().encode();
  EXPECT_FALSE(code_of(endpoint_->handle(request)).empty());
}

TEST_F(AuthorizeTest, PostWithAnotherContentTypeGetsAnErrorPage) {
  http::Request request;
  request.method = http::Method::post;
  request.path = "/authorize";
  request.headers.set("Content-Type", "application/json");
  request.body = "{}";
  expect_error_page(endpoint_->handle(request), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, TheCodeRowHasEveryBindingAndOnlyItsDigest) {
  log_in(seconds(30));
  const auto response = get(web_request({{"audience", std::string(kApi)},
                                         {"scope", "openid read:items"},
                                         {"nonce", "nonce-1"},
                                         {"code_challenge", std::string(kChallenge)},
                                         {"code_challenge_method", "S256"}}));
  const std::string code = code_of(response);
  ASSERT_EQ(code.size(), 43U);  // 32 bytes, base64url
  EXPECT_EQ(store_->authorization_codes().redeem(code, clock_.now()).error(),
            store::StoreError::not_found);
  auto redeemed = store_->authorization_codes().redeem(crypto::sha256_hex(code), clock_.now());
  ASSERT_TRUE(redeemed.ok());
  const model::AuthorizationCode& row = redeemed->code;
  EXPECT_EQ(row.code_digest, crypto::sha256_hex(code));
  EXPECT_EQ(row.client_id, "web");
  EXPECT_EQ(row.redirect_uri, kWebCallback);
  EXPECT_EQ(row.code_challenge, kChallenge);
  EXPECT_EQ(row.code_challenge_method, "S256");
  EXPECT_EQ(row.nonce, "nonce-1");
  EXPECT_EQ(row.scopes, (std::vector<std::string>{"openid", "read:items"}));
  EXPECT_EQ(row.audience, kApi);
  EXPECT_EQ(row.user_id, "auth0|alice");
  EXPECT_EQ(row.session_id, "session-digest-1");
  EXPECT_EQ(row.auth_time, clock_.now() - seconds(30));
  EXPECT_EQ(row.created_at, clock_.now());
  EXPECT_EQ(row.expires_at, clock_.now() + seconds(60));
}

TEST_F(AuthorizeTest, TwoRequestsGetDifferentCodes) {
  log_in();
  EXPECT_NE(code_of(get(web_request())), code_of(get(web_request())));
}

TEST_F(AuthorizeTest, UnknownScopesAreDroppedSilently) {
  log_in();
  const auto code = code_of(get(web_request(
      {{"audience", std::string(kApi)}, {"scope", "openid delete:everything read:items"}})));
  auto redeemed = store_->authorization_codes().redeem(crypto::sha256_hex(code), clock_.now());
  ASSERT_TRUE(redeemed.ok());
  EXPECT_EQ(redeemed->code.scopes, (std::vector<std::string>{"openid", "read:items"}));
}

TEST_F(AuthorizeTest, DisplayUiLocalesAndUnknownParametersAreAccepted) {
  log_in();
  EXPECT_FALSE(code_of(get(web_request({{"display", "popup"},
                                        {"ui_locales", "fr-CA en"},
                                        {"claims_locales", "fr"},
                                        {"acr_values", "urn:x"},
                                        {"login_hint", "alice@example.com"},
                                        {"x_unknown", "1"},
                                        {"x_unknown", "2"}})))
                   .empty());
}

TEST_F(AuthorizeTest, BlockedUserIsAccessDenied) {
  log_in();
  session_->user.blocked = true;
  expect_error_redirect(get(web_request()), oauth::errors::kAccessDenied);
}

TEST_F(AuthorizeTest, RepeatedStateIsRedirectedWithoutAnyState) {
  auto params = web_request();
  params.add("state", "other");
  const auto response = get(params);
  ASSERT_EQ(response.status, 302);
  const auto query = location_params(response);
  EXPECT_EQ(value_of(query, "error"), oauth::errors::kInvalidRequest);
  EXPECT_FALSE(query.contains("state"));
}

TEST_F(AuthorizeTest, ConsentTransactionBelongsToTheSessionUser) {
  log_in(seconds(40));
  const std::string id =
      transaction_of(get(web_request({{"audience", "https://api2.example.com"}})), "/u/consent");
  const auto transaction = transactions_.find(id);
  ASSERT_TRUE(transaction.ok());
  EXPECT_EQ(transaction->user_id, "auth0|alice");
  EXPECT_EQ(transaction->authenticated_at, clock_.now() - seconds(40));
  EXPECT_EQ(transaction->consent, "");
}

TEST_F(AuthorizeTest, LogsNameTheStepAndClientButNeverCodeOrState) {
  std::ostringstream out;
  const auto logger =
      std::make_shared<Logger>("authz", std::make_shared<spdlog::sinks::ostream_sink_st>(out));
  use_json_lines(*logger);
  logger->set_level(spdlog::level::info);
  const oauth::AuthorizeEndpoint endpoint(
      std::string(kIssuer), *store_, transactions_,
      [this](const http::Request&) { return session_; }, clock_, random_, *logger);
  log_in();
  http::Request request;
  request.query = web_request({{"state", "secret-state-1"}});
  const std::string code = value_of(location_params(endpoint.handle(request)), "code");
  request.query = web_request({{"state", "secret-state-2"}, {"response_type", "token"}});
  (void)endpoint.handle(request);
  logger->flush();
  const std::string logs = out.str();
  ASSERT_FALSE(code.empty());
  EXPECT_EQ(logs.find(code), std::string::npos);
  EXPECT_EQ(logs.find("secret-state"), std::string::npos);
  EXPECT_NE(logs.find("\"step\":\"response_type\""), std::string::npos) << logs;
  EXPECT_NE(logs.find("\"client_id\":\"web\""), std::string::npos) << logs;
}

// --- /authorize/resume ---

TEST_F(AuthorizeTest, ResumeAfterLoginInAnotherTabHandsConsentToTheSessionUser) {
  const std::string id =
      transaction_of(get(web_request({{"audience", "https://api2.example.com"}})), "/u/login");
  log_in();
  EXPECT_EQ(transaction_of(resume(id), "/u/consent"), id);
  const auto transaction = transactions_.find(id);
  ASSERT_TRUE(transaction.ok());
  EXPECT_EQ(transaction->user_id, "auth0|alice");
  EXPECT_TRUE(transaction->authenticated_at.has_value());
}

TEST_F(AuthorizeTest, ResumeWithUnknownOrExpiredTransactionGetsAnErrorPage) {
  expect_error_page(resume("deadbeef"), oauth::errors::kInvalidRequest);
  const std::string id = transaction_of(get(web_request()), "/u/login");
  clock_.advance(std::chrono::minutes(31));
  expect_error_page(resume(id), oauth::errors::kInvalidRequest);
}

TEST_F(AuthorizeTest, ResumeAfterLoginIssuesACodeAndRemovesTheTransaction) {
  const std::string id = transaction_of(get(web_request({{"prompt", "login"}})), "/u/login");
  clock_.advance(seconds(20));
  log_in();
  ASSERT_TRUE(transactions_.set_authenticated(id, "auth0|alice", clock_.now()).ok());
  EXPECT_FALSE(code_of(resume(id)).empty());
  EXPECT_EQ(transactions_.find(id).error(), store::StoreError::not_found);
}

TEST_F(AuthorizeTest, ResumeWithoutLoginStillGoesToLogin) {
  const std::string id = transaction_of(get(web_request()), "/u/login");
  EXPECT_EQ(transaction_of(resume(id), "/u/login"), id);
}

TEST_F(AuthorizeTest, ResumeAfterLoginSatisfiesMaxAge) {
  const std::string id = transaction_of(get(web_request({{"max_age", "0"}})), "/u/login");
  log_in();
  ASSERT_TRUE(transactions_.set_authenticated(id, "auth0|alice", clock_.now()).ok());
  clock_.advance(seconds(5));
  EXPECT_FALSE(code_of(resume(id)).empty());
}

TEST_F(AuthorizeTest, ResumeWithAnotherUsersSessionStartsOver) {
  const std::string id = transaction_of(get(web_request()), "/u/login");
  log_in();
  ASSERT_TRUE(transactions_.set_authenticated(id, "auth0|bob", clock_.now()).ok());
  const std::string fresh = transaction_of(resume(id), "/u/login");
  EXPECT_NE(fresh, id);
  EXPECT_EQ(transactions_.find(id).error(), store::StoreError::not_found);
  EXPECT_FALSE(transactions_.find(fresh)->authenticated_at.has_value());
}

TEST_F(AuthorizeTest, ResumeWithConsentDeniedIsAccessDenied) {
  log_in();
  const std::string id = transaction_of(get(web_request({{"prompt", "consent"}})), "/u/consent");
  ASSERT_TRUE(transactions_.set_consent(id, "denied").ok());
  const auto response = resume(id);
  expect_error_redirect(response, oauth::errors::kAccessDenied);
  EXPECT_EQ(value_of(location_params(response), "error_description"),
            "User did not authorize the request");
  EXPECT_EQ(transactions_.size(), 0U);
}

TEST_F(AuthorizeTest, ResumeWithConsentGrantedIssuesACode) {
  log_in();
  const std::string id = transaction_of(get(web_request({{"prompt", "consent"}})), "/u/consent");
  ASSERT_TRUE(transactions_.set_consent(id, "granted").ok());
  EXPECT_FALSE(code_of(resume(id)).empty());
}

TEST_F(AuthorizeTest, ResumeAfterLoginGoesOnToConsentWithTheSameTransaction) {
  const std::string id =
      transaction_of(get(web_request({{"audience", "https://api2.example.com"}})), "/u/login");
  log_in();
  ASSERT_TRUE(transactions_.set_authenticated(id, "auth0|alice", clock_.now()).ok());
  EXPECT_EQ(transaction_of(resume(id), "/u/consent"), id);
}

TEST_F(AuthorizeTest, ResumeRechecksTheClient) {
  const std::string id = transaction_of(get(web_request()), "/u/login");
  ASSERT_TRUE(store_->clients().remove("web").ok());
  log_in();
  expect_error_page(resume(id), oauth::errors::kInvalidRequest);
}

}  // namespace
}  // namespace latchkey::testing
