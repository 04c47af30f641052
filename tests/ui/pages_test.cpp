#include "ui/pages.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

namespace latchkey::ui {
namespace {

bool has(const std::string& html, const std::string& needle) {
  return html.find(needle) != std::string::npos;
}

/// The ids of every visible <input> (hidden fields need no label).
std::vector<std::string> visible_input_ids(const std::string& html) {
  std::vector<std::string> ids;
  const std::regex input(R"(<input\b[^>]*>)");
  const std::regex id(R"re(\bid="([^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), input);
       it != std::sregex_iterator(); ++it) {
    const std::string tag = it->str();
    if (has(tag, "type=\"hidden\"")) continue;
    std::smatch match;
    ids.push_back(std::regex_search(tag, match, id) ? match[1].str() : std::string());
  }
  return ids;
}

void expect_every_input_labelled(const std::string& html) {
  const auto ids = visible_input_ids(html);
  EXPECT_FALSE(ids.empty());
  for (const auto& id : ids) {
    ASSERT_FALSE(id.empty()) << "an input without id cannot be labelled";
    EXPECT_TRUE(has(html, "<label for=\"" + id + "\">")) << id;
  }
}

LoginView sample_login() {
  LoginView view;
  view.action = "/u/login?state=abc";
  view.state = "abc";
  view.csrf = "c5rf";
  view.email = "alice@example.com";
  view.client_name = "My App";
  return view;
}

TEST(LoginPage, HasCsrfFieldStateAndPrefilledEmail) {
  const Renderer renderer;
  const std::string html = render_login(renderer, sample_login());
  EXPECT_TRUE(has(html, R"(<input type="hidden" name="lk_csrf" value="c5rf">)"));
  EXPECT_TRUE(has(html, R"(<input type="hidden" name="state" value="abc">)"));
  EXPECT_TRUE(has(html, R"(value="alice@example.com")"));
  EXPECT_TRUE(has(html, R"(<form method="post" action="/u/login?state=abc">)"));
  EXPECT_TRUE(has(html, "to continue to My App"));
}

TEST(LoginPage, IsAccessible) {
  const Renderer renderer;
  const std::string html = render_login(renderer, sample_login());
  EXPECT_TRUE(has(html, "<html lang=\"en\">"));
  expect_every_input_labelled(html);
  EXPECT_TRUE(has(html, "autocomplete=\"username email\""));
  EXPECT_TRUE(has(html, "autocomplete=\"current-password\""));
  EXPECT_TRUE(has(html, ":focus-visible"));
  // Tab order follows the document: email, password, then the primary button.
  const auto email = html.find("id=\"email\"");
  const auto password = html.find("id=\"password\"");
  const auto button = html.find("<button class=\"primary\"");
  EXPECT_LT(email, password);
  EXPECT_LT(password, button);
  EXPECT_FALSE(has(html, "tabindex"));
}

TEST(LoginPage, ShowsErrorInAnAlertOnlyWhenThereIsOne) {
  const Renderer renderer;
  EXPECT_FALSE(has(render_login(renderer, sample_login()), "role=\"alert\""));
  LoginView view = sample_login();
  view.error = "Wrong email or password.";
  EXPECT_TRUE(has(render_login(renderer, view), "role=\"alert\">Wrong email or password.</div>"));
}

TEST(LoginPage, ShowsSignUpLinkOnlyWhenSignUpIsEnabled) {
  const Renderer renderer;
  EXPECT_FALSE(has(render_login(renderer, sample_login()), "Sign up"));
  LoginView view = sample_login();
  view.signup_url = "/u/signup?state=abc";
  EXPECT_TRUE(has(render_login(renderer, view), R"(<a href="/u/signup?state=abc">Sign up</a>)"));
}

TEST(LoginPage, EscapesTheClientNameAndTheEmail) {
  const Renderer renderer;
  LoginView view = sample_login();
  view.client_name = "<script>steal()</script>";
  view.email = "\"><script>x</script>";
  const std::string html = render_login(renderer, view);
  EXPECT_FALSE(has(html, "<script>"));
  EXPECT_TRUE(has(html, "&lt;script&gt;steal()&lt;/script&gt;"));
  EXPECT_TRUE(has(html, "value=\"&quot;&gt;&lt;script&gt;"));
}

TEST(SignupPage, AsksForANewPasswordWithLabelledFields) {
  const Renderer renderer;
  SignupView view;
  view.action = "/u/signup?state=s";
  view.state = "s";
  view.csrf = "tok";
  view.login_url = "/u/login?state=s";
  const std::string html = render_signup(renderer, view);
  expect_every_input_labelled(html);
  EXPECT_TRUE(has(html, "autocomplete=\"new-password\""));
  EXPECT_TRUE(has(html, "autocomplete=\"email\""));
  EXPECT_TRUE(has(html, R"(name="lk_csrf" value="tok")"));
  EXPECT_TRUE(has(html, R"(<a href="/u/login?state=s">Log in</a>)"));
}

TEST(ConsentPage, ListsEachScopeDescriptionWithAcceptAndDecline) {
  const Renderer renderer;
  ConsentView view;
  view.action = "/u/consent?state=s";
  view.state = "s";
  view.csrf = "tok";
  view.client_name = "<b>Evil</b> App";
  view.user_email = "alice@example.com";
  view.scopes = {{"read:items", "Read your items"}, {"write:items", "Change <your> items"}};
  const std::string html = render_consent(renderer, view);
  EXPECT_TRUE(has(html, "<li>Read your items</li>"));
  EXPECT_TRUE(has(html, "<li>Change &lt;your&gt; items</li>"));
  EXPECT_TRUE(has(html, "&lt;b&gt;Evil&lt;/b&gt; App"));
  EXPECT_FALSE(has(html, "<b>Evil"));
  EXPECT_TRUE(has(html, R"(name="action" value="accept">Accept</button>)"));
  EXPECT_TRUE(has(html, R"(name="action" value="decline">Decline</button>)"));
  EXPECT_TRUE(has(html, R"(name="lk_csrf" value="tok")"));
}

TEST(ConsentPage, OmitsTheScopeListWhenNoApiScopeWasRequested) {
  const Renderer renderer;
  ConsentView view;
  view.client_name = "App";
  const std::string html = render_consent(renderer, view);
  EXPECT_FALSE(has(html, "<ul"));
  EXPECT_TRUE(has(html, "value=\"accept\""));
}

TEST(BlockedPage, SaysHowLongTheBlockLastsInAnAlert) {
  const Renderer renderer;
  const std::string html = render_blocked(renderer, BlockedView{15});
  EXPECT_TRUE(has(html, "role=\"alert\""));
  EXPECT_TRUE(has(html, "Try again in 15 minutes"));
}

TEST(ErrorPage, ShowsHeadingAndMessage) {
  const Renderer renderer;
  const std::string html = render_error(renderer, ErrorView{"Invalid request", "Start again."});
  EXPECT_TRUE(has(html, "<title>Invalid request</title>"));
  EXPECT_TRUE(has(html, "role=\"alert\">Start again.</div>"));
}

}  // namespace
}  // namespace latchkey::ui
