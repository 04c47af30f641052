#include "loadgen/html_form.hpp"

#include <gtest/gtest.h>

namespace latchkey::loadgen {
namespace {

// latchkey's hosted login page (src/ui/templates/login.mustache), as rendered.
constexpr const char* kLatchkeyLogin = R"(<h1>Log in</h1>
<div class="alert" role="alert">Wrong email or password.</div>
<form method="post" action="/u/login?state=ab&amp;x=1">
  <input type="hidden" name="state" value="ab">
  <input type="hidden" name="lk_csrf" value="c&#x2F;s&#39;rf">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" autocomplete="username email" required
         value="" autofocus>
  <input id="password" name="password" type="password" required>
  <button class="primary" type="submit">Continue</button>
</form>
<p>Don't have an account? <a href="/u/signup">Sign up</a></p>)";

constexpr const char* kLatchkeyConsent = R"(<form method="post" action="/u/consent">
  <input type="hidden" name="state" value="st">
  <input type="hidden" name="lk_csrf" value="tok">
  <div class="actions">
    <button class="secondary" type="submit" name="action" value="decline">Decline</button>
    <button class="primary" type="submit" name="action" value="accept">Accept</button>
  </div>
</form>)";

// node-oidc-provider's devInteractions login form.
constexpr const char* kPeerLogin = R"(<div class="login-card"><h1>Sign-in</h1>
<form autocomplete="off" action="http://127.0.0.1:3100/interaction/EnNM5n" method="post">
  <input type="hidden" name="prompt" value="login"/>
  <input required type="text" name="login" placeholder="Enter any login" autofocus="on">
  <input required type="password" name="password" placeholder="and password" >
  <button type="submit" class="login login-submit">Sign-in</button>
</form><a href="http://127.0.0.1:3100/interaction/EnNM5n/abort">[ Cancel ]</a></div>)";

FormFields expected(std::initializer_list<std::pair<std::string, std::string>> fields) {
  return FormFields(fields);
}

TEST(HtmlForm, FillsLatchkeysLoginKeepingItsHiddenCsrfInput) {
  const auto forms = parse_forms(kLatchkeyLogin);
  ASSERT_EQ(forms.size(), 1U);
  EXPECT_EQ(forms[0].action, "/u/login?state=ab&x=1");
  EXPECT_EQ(forms[0].method, "post");
  EXPECT_EQ(fill_form(forms[0], "alice@example.com", "pw"),
            expected({{"state", "ab"},
                      {"lk_csrf", "c/s'rf"},
                      {"email", "alice@example.com"},
                      {"password", "pw"}}));
}

TEST(HtmlForm, PressesAcceptOnAConsentFormWhateverTheButtonOrder) {
  const auto form = pick_form(parse_forms(kLatchkeyConsent));
  ASSERT_TRUE(form);
  EXPECT_FALSE(has_password_input(*form));
  EXPECT_EQ(fill_form(*form, "u", "p"),
            expected({{"state", "st"}, {"lk_csrf", "tok"}, {"action", "accept"}}));
}

TEST(HtmlForm, FillsTheOidcProviderDevInteractionsLogin) {
  const auto form = pick_form(parse_forms(kPeerLogin));
  ASSERT_TRUE(form);
  EXPECT_EQ(form->action, "http://127.0.0.1:3100/interaction/EnNM5n");
  EXPECT_EQ(fill_form(*form, "bench", "secret"),
            expected({{"prompt", "login"}, {"login", "bench"}, {"password", "secret"}}));
}

TEST(HtmlForm, PicksTheFormWithAPasswordOverEarlierForms) {
  const std::string html =
      std::string(R"(<form action="/search"><input name="q" value="x"></form>)") + kPeerLogin;
  const auto form = pick_form(parse_forms(html));
  ASSERT_TRUE(form);
  EXPECT_TRUE(has_password_input(*form));
  EXPECT_FALSE(pick_form({}).has_value());
}

TEST(HtmlForm, ReadsUnquotedAndSingleQuotedAttributesAndCheckedBoxes) {
  const auto forms = parse_forms(
      "<FORM METHOD=GET action='/next'><INPUT TYPE=checkbox name=remember value=yes checked>"
      "<input type=checkbox name=spam><input type='text' name=username>"
      "<input type=submit name=go value=Allow></FORM>");
  ASSERT_EQ(forms.size(), 1U);
  EXPECT_EQ(forms[0].method, "get");
  EXPECT_EQ(fill_form(forms[0], "bob", "pw"),
            expected({{"remember", "yes"}, {"username", "bob"}, {"go", "Allow"}}));
}

TEST(HtmlForm, NeverPressesOnlyARefusingButton) {
  const auto forms = parse_forms(
      R"(<form method="post"><button type="submit" name="deny" value="1">Cancel</button></form>)");
  ASSERT_EQ(forms.size(), 1U);
  EXPECT_TRUE(fill_form(forms[0], "u", "p").empty());
}

TEST(HtmlForm, DecodesCharacterReferencesInAttributeValues) {
  EXPECT_EQ(decode_entities("a&amp;b&lt;&gt;&quot;&#39;&#x2F;&#47;&unknown;&"),
            "a&b<>\"'//&unknown;&");
  EXPECT_EQ(decode_entities("&#xE9;"), "\xC3\xA9");
  EXPECT_EQ(decode_entities("&#0;&#x110000;"), "&#0;&#x110000;");
}

TEST(HtmlForm, SaysWhyALoginWasRefusedFromTheAlert) {
  EXPECT_EQ(alert_text(kLatchkeyLogin), "Wrong email or password.");
  EXPECT_EQ(alert_text(kPeerLogin), "");
  EXPECT_EQ(alert_text("<body><main><h1>Something went wrong</h1><p><strong>invalid_request"
                       "</strong>: bad redirect_uri</p></main></body>"),
            "Something went wrong invalid_request: bad redirect_uri");
}

TEST(HtmlForm, MalformedMarkupNeverCrashes) {
  for (const std::string html :
       {"<form", "<form action=\"x", "<form><input name=", "<form><input name='a", "<<<>>>",
        "<form action=x><button type=submit>never closed", "</form><form =x>", "&#", "<form/>"}) {
    for (const auto& form : parse_forms(html)) (void)fill_form(form, "u", "p");
    (void)alert_text(html);
  }
  EXPECT_TRUE(parse_forms("<form action=\"x").empty());
  const auto stray = parse_forms("<form><input =\"v\" name=a value=b>");
  ASSERT_EQ(stray.size(), 1U);
  EXPECT_EQ(fill_form(stray[0], "u", "p"), expected({{"a", "b"}}));
  const std::string pattern = "<f\"o='r>m &#x<input name=";
  std::string noise;
  for (std::size_t i = 0; i < 4000; ++i) noise += pattern[(i * 7) % pattern.size()];
  EXPECT_LE(parse_forms(noise).size(), noise.size());
}

}  // namespace
}  // namespace latchkey::loadgen
