// Every error of /authorize and /oauth/token over HTTP through the real binary, each with its
// exact code: the ones that must never redirect (an unknown client, an unregistered
// redirect_uri) and the ones that go back to the app with state and iss (RFC 6749 §4.1.2.1,
// RFC 9207 §2), then the token endpoint's (RFC 6749 §5.2) and form_post responses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "integration/live_server.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kSpaCallback = "https://spa.example.com/callback";
constexpr const char* kApi = "https://api.example.com/";
constexpr const char* kEmail = "errors@example.com";
constexpr const char* kPassword = "correct horse battery";

using Query = std::vector<std::pair<std::string, std::string>>;

class AuthorizeErrors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kApi, "--name", "Messages", "--scope",
                  "read:messages=Read your messages"});
    web_ = server_->create_client("Web", "regular_web", {kCallback});
    spa_ = server_->create_client("Spa", "spa", {kSpaCallback});
    // Never consented to, whatever order the tests run in.
    ungranted_ = server_->create_client("Ungranted", "regular_web", {kCallback});
    m2m_ = server_->create_client("Machine", "non_interactive", {});
    two_callbacks_ = server_->create_client("Two", "regular_web", {kCallback, kSpaCallback});
    server_->create_user(kEmail, kPassword);
    server_->start();
  }

  static void TearDownTestSuite() { server_.reset(); }

  /// A valid request for the web client, with `changes` applied (an empty value removes).
  static std::string url(const Query& changes = {}, const Query& appended = {}) {
    Query params{{"response_type", "code"},   {"client_id", web_.id},
                 {"redirect_uri", kCallback}, {"scope", "openid read:messages"},
                 {"audience", kApi},          {"state", "xyz"}};
    for (const auto& [name, value] : changes) {
      std::erase_if(params, [&](const auto& param) { return param.first == name; });
      if (!value.empty()) params.emplace_back(name, value);
    }
    params.insert(params.end(), appended.begin(), appended.end());
    return authorize_url(params);
  }

  /// Logs `browser` in and lands on the callback with a code (consenting if asked).
  static std::string code_for(Browser& browser, const std::string& target) {
    const Walk done = walk(browser, *server_, target, {kEmail, kPassword, true});
    EXPECT_EQ(done.location.rfind(kCallback, 0), 0U) << done.location;
    return query_param(done.location, "code").value_or("");
  }

  static std::map<std::string, std::string> exchange_fields(const std::string& code) {
    return {{"grant_type", "authorization_code"}, {"code", code}, {"redirect_uri", kCallback}};
  }

  static void expect_no_store(const std::optional<RawResponse>& response) {
    ASSERT_TRUE(response);
    EXPECT_EQ(response->header("Cache-Control"), "no-store");
    EXPECT_EQ(response->header("Pragma"), "no-cache");
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient web_;
  static inline LiveClient spa_;
  static inline LiveClient ungranted_;
  static inline LiveClient m2m_;
  static inline LiveClient two_callbacks_;
};

struct PageCase {
  const char* name;
  Query changes;
  Query appended;
};

TEST_F(AuthorizeErrors, RequestsThatCannotBeTrustedToRedirectGetAPageAndNoLocation) {
  const std::vector<PageCase> cases = {
      {"unknown client", {{"client_id", "nobody"}}, {}},
      {"unregistered redirect_uri", {{"redirect_uri", "https://evil.example.com/cb"}}, {}},
      {"redirect_uri differing by a slash", {{"redirect_uri", std::string(kCallback) + "/"}}, {}},
      {"missing client_id", {{"client_id", ""}}, {}},
      {"repeated client_id", {}, {{"client_id", "nobody"}}},
      {"repeated redirect_uri", {}, {{"redirect_uri", kCallback}}},
  };
  Browser browser(server_->port());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = browser.get(url(c.changes, c.appended));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_FALSE(r->header("Location"));
    EXPECT_EQ(r->header("Content-Type").value_or("").rfind("text/html", 0), 0U);
    EXPECT_NE(r->body.find("invalid_request"), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find("https://app.example.com/callback?"), std::string::npos);
  }
}

struct RedirectCase {
  const char* name;
  Query changes;
  Query appended;
  const char* error;
  const char* description;  ///< exact error_description, or "" for any
  const char* callback = kCallback;
};

TEST_F(AuthorizeErrors, EveryOtherErrorGoesBackToTheAppWithStateAndIss) {
  const std::string spa = spa_.id;
  const std::vector<RedirectCase> cases = {
      {"response_type token", {{"response_type", "token"}}, {}, "unsupported_response_type", ""},
      {"response_type id_token",
       {{"response_type", "id_token"}},
       {},
       "unsupported_response_type",
       ""},
      {"missing response_type", {{"response_type", ""}}, {}, "invalid_request", ""},
      {"repeated scope", {}, {{"scope", "openid"}}, "invalid_request", ""},
      {"repeated state", {}, {{"state", "xyz"}}, "invalid_request", ""},
      {"unknown audience",
       {{"audience", "https://nope.example.com/"}},
       {},
       "access_denied",
       "Service not found: https://nope.example.com/"},
      {"unknown resource",
       {{"audience", ""}},
       {{"resource", "https://nope.example.com/"}},
       "access_denied",
       "Service not found: https://nope.example.com/"},
      {"plain PKCE method",
       {{"code_challenge", std::string(43, 'a')}, {"code_challenge_method", "plain"}},
       {},
       "invalid_request",
       ""},
      {"PKCE method without challenge",
       {{"code_challenge_method", "S256"}},
       {},
       "invalid_request",
       ""},
      {"malformed S256 challenge",
       {{"code_challenge", "too-short"}, {"code_challenge_method", "S256"}},
       {},
       "invalid_request",
       ""},
      {"spa without PKCE",
       {{"client_id", spa}, {"redirect_uri", kSpaCallback}},
       {},
       "invalid_request",
       "Missing required parameter: code_challenge",
       kSpaCallback},
      {"spa with a bad challenge",
       {{"client_id", spa},
        {"redirect_uri", kSpaCallback},
        {"code_challenge", "x"},
        {"code_challenge_method", "S256"}},
       {},
       "invalid_request",
       "",
       kSpaCallback},
      {"response_mode fragment", {{"response_mode", "fragment"}}, {}, "invalid_request", ""},
      {"unknown prompt", {{"prompt", "sometimes"}}, {}, "invalid_request", ""},
      {"prompt none with login", {{"prompt", "none login"}}, {}, "invalid_request", ""},
      {"negative max_age", {{"max_age", "-1"}}, {}, "invalid_request", ""},
      {"prompt none without a session", {{"prompt", "none"}}, {}, "login_required", ""},
  };
  Browser browser(server_->port());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = browser.get(url(c.changes, c.appended));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 302) << r->body;
    const std::string location = r->header("Location").value_or("");
    EXPECT_EQ(location.rfind(std::string(c.callback) + "?", 0), 0U) << location;
    EXPECT_EQ(query_param(location, "error"), c.error) << location;
    if (std::string(c.description).empty()) {
      EXPECT_TRUE(query_param(location, "error_description")) << location;
    } else {
      EXPECT_EQ(query_param(location, "error_description"), c.description);
    }
    EXPECT_EQ(query_param(location, "iss"), server_->issuer());
    if (std::string(c.name) != "repeated state") {
      EXPECT_EQ(query_param(location, "state"), "xyz");
    }
    EXPECT_FALSE(query_param(location, "code"));
  }
}

TEST_F(AuthorizeErrors, OnlyAClientWithOneCallbackMayOmitRedirectUri) {
  Browser browser(server_->port());
  const auto sole = browser.get(url({{"redirect_uri", ""}, {"prompt", "none"}}));
  ASSERT_TRUE(sole);
  ASSERT_EQ(sole->status, 302);
  const std::string location = sole->header("Location").value_or("");
  EXPECT_EQ(location.rfind(std::string(kCallback) + "?", 0), 0U) << location;
  EXPECT_EQ(query_param(location, "error"), "login_required");

  const auto ambiguous = browser.get(url({{"client_id", two_callbacks_.id}, {"redirect_uri", ""}}));
  ASSERT_TRUE(ambiguous);
  EXPECT_EQ(ambiguous->status, 400);
  EXPECT_FALSE(ambiguous->header("Location"));
  EXPECT_NE(ambiguous->body.find("Missing required parameter: redirect_uri"), std::string::npos);
}

TEST_F(AuthorizeErrors, PromptNoneWithASessionButNoGrantAnswersConsentRequired) {
  Browser browser(server_->port());
  // Log in, then decline consent: the session exists, the grant does not.
  const Walk declined =
      walk(browser, *server_, url({{"client_id", ungranted_.id}}), {kEmail, kPassword, false});
  ASSERT_TRUE(declined.login_shown && declined.consent_shown);
  EXPECT_EQ(query_param(declined.location, "error"), "access_denied");

  const auto r = browser.get(url({{"client_id", ungranted_.id}, {"prompt", "none"}}));
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 302);
  const std::string location = r->header("Location").value_or("");
  EXPECT_EQ(query_param(location, "error"), "consent_required") << location;
  EXPECT_EQ(query_param(location, "state"), "xyz");
  EXPECT_EQ(query_param(location, "iss"), server_->issuer());
}

TEST_F(AuthorizeErrors, FormPostAnswersWithAnAutoSubmittingFormAndNoLocation) {
  Browser browser(server_->port());
  const std::string state = "<a&\"b'>";
  const Walk done = walk(browser, *server_, url({{"response_mode", "form_post"}, {"state", state}}),
                         {kEmail, kPassword, true});
  ASSERT_TRUE(done.last);
  const RawResponse& page = *done.last;
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(page.header("Location"));
  EXPECT_EQ(page.header("Content-Type").value_or("").rfind("text/html", 0), 0U);
  EXPECT_EQ(page.header("Cache-Control"), "no-store");
  const auto form = find_form(page.body, kCallback);
  ASSERT_TRUE(form) << page.body;
  EXPECT_EQ(form->action, kCallback);
  EXPECT_NE(page.body.find("method=\"post\""), std::string::npos);
  EXPECT_EQ(form->fields.at("state"), state);
  EXPECT_EQ(form->fields.at("iss"), server_->issuer());
  EXPECT_FALSE(form->fields.at("code").empty());
  EXPECT_EQ(page.body.find(state), std::string::npos) << "the state must be escaped";
  EXPECT_NE(page.body.find("submit()"), std::string::npos) << "the form submits itself";

  // The code the form carries is a real one.
  const auto token = token_request(browser, exchange_fields(form->fields.at("code")),
                                   {basic_authorization(web_.id, web_.secret)});
  ASSERT_TRUE(token);
  EXPECT_EQ(token->status, 200) << token->body;
}

TEST_F(AuthorizeErrors, TokenEndpointRefusesBadRequestsWithTheRfcCodes) {
  Browser browser(server_->port());
  const std::string auth = basic_authorization(web_.id, web_.secret);
  struct Case {
    const char* name;
    std::map<std::string, std::string> fields;
    int status;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"missing grant_type", {{"code", "x"}}, 400, "invalid_request"},
      {"password grant", {{"grant_type", "password"}}, 400, "unsupported_grant_type"},
      {"made-up grant", {{"grant_type", "urn:example:nope"}}, 400, "unsupported_grant_type"},
      {"missing code",
       {{"grant_type", "authorization_code"}, {"redirect_uri", kCallback}},
       400,
       "invalid_request"},
      {"unknown code", exchange_fields("not-a-code"), 400, "invalid_grant"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto r = token_request(browser, c.fields, {auth});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, c.status) << r->body;
    EXPECT_EQ(json_error(r), c.error) << r->body;
    expect_no_store(r);
  }
}

TEST_F(AuthorizeErrors, AWrongSecretIsInvalidClientWithWwwAuthenticateForBasicAndPost) {
  Browser browser(server_->port());
  const auto basic = token_request(browser, exchange_fields("x"),
                                   {basic_authorization(web_.id, "not-the-secret")});
  ASSERT_TRUE(basic);
  EXPECT_EQ(basic->status, 401);
  EXPECT_EQ(json_error(basic), "invalid_client");
  EXPECT_TRUE(basic->header("WWW-Authenticate"));
  expect_no_store(basic);

  // `clients create` gives client_secret_post only to non_interactive clients.
  auto fields = exchange_fields("x");
  fields["client_id"] = m2m_.id;
  fields["client_secret"] = "not-the-secret";
  const auto post = token_request(browser, fields);
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 401);
  EXPECT_EQ(json_error(post), "invalid_client");
  EXPECT_TRUE(post->header("WWW-Authenticate"));
  expect_no_store(post);

  fields["client_id"] = "nobody";
  EXPECT_EQ(json_error(token_request(browser, fields)), "invalid_client");

  // The right secret by client_secret_post authenticates; this client may not use codes.
  fields["client_id"] = m2m_.id;
  fields["client_secret"] = m2m_.secret;
  const auto authenticated = token_request(browser, fields);
  ASSERT_TRUE(authenticated);
  EXPECT_EQ(authenticated->status, 400) << authenticated->body;
  EXPECT_EQ(json_error(authenticated), "unauthorized_client");

  // A secret sent by a method the client is not registered for is refused like a wrong one.
  fields["client_id"] = web_.id;
  fields["client_secret"] = web_.secret;
  const auto wrong_method = token_request(browser, fields);
  ASSERT_TRUE(wrong_method);
  EXPECT_EQ(wrong_method->status, 401);
  EXPECT_EQ(json_error(wrong_method), "invalid_client");
}

TEST_F(AuthorizeErrors, ACodeIsBoundToItsRedirectUriAndVerifierAndWorksOnce) {
  Browser browser(server_->port());
  const std::string auth = basic_authorization(web_.id, web_.secret);
  const Query pkce{{"code_challenge", kPkceChallenge}, {"code_challenge_method", "S256"}};

  std::string code = code_for(browser, url(pkce));
  auto fields = exchange_fields(code);
  fields["code_verifier"] = kPkceVerifier;
  fields["redirect_uri"] = "https://app.example.com/other";
  EXPECT_EQ(json_error(token_request(browser, fields, {auth})), "invalid_grant");

  code = code_for(browser, url(pkce));
  fields = exchange_fields(code);
  EXPECT_EQ(json_error(token_request(browser, fields, {auth})), "invalid_request")
      << "a code with a challenge needs its verifier (RFC 7636 §4.5: a missing parameter)";

  code = code_for(browser, url(pkce));
  fields = exchange_fields(code);
  fields["code_verifier"] = std::string(43, 'a');
  EXPECT_EQ(json_error(token_request(browser, fields, {auth})), "invalid_grant");

  code = code_for(browser, url(pkce));
  fields = exchange_fields(code);
  fields["code_verifier"] = kPkceVerifier;
  const auto first = token_request(browser, fields, {auth});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200) << first->body;
  expect_no_store(first);
  const auto replay = token_request(browser, fields, {auth});
  ASSERT_TRUE(replay);
  EXPECT_EQ(replay->status, 400);
  EXPECT_EQ(json_error(replay), "invalid_grant");
  expect_no_store(replay);
}

TEST_F(AuthorizeErrors, AMissingRedirectUriAtTheTokenEndpointIsRefused) {
  Browser browser(server_->port());
  const std::string code = code_for(browser, url());
  auto fields = exchange_fields(code);
  fields.erase("redirect_uri");
  const auto r = token_request(browser, fields, {basic_authorization(web_.id, web_.secret)});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  // RFC 6749 §4.1.3: redirect_uri is REQUIRED when the authorization request included it.
  EXPECT_EQ(json_error(r), "invalid_request") << r->body;
}

}  // namespace
}  // namespace latchkey::testing
