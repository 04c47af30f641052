#include "pages.hpp"

#include <gtest/gtest.h>

#include "support/text.hpp"

namespace latchkey::examples::webapp {
namespace {

using testing::has;

TEST(HomePage, SignedOutOffersLogInOnly) {
  const std::string html = home_page(std::nullopt);
  EXPECT_TRUE(has(html, "<a href=\"/login\">Log in</a>"));
  EXPECT_FALSE(has(html, "Log out"));
}

TEST(HomePage, SignedInGreetsByNameAndOffersProfileAndLogOut) {
  const std::string html = home_page(UserView{"Eve <Example>", "eve@example.com"});
  EXPECT_TRUE(has(html, "Hello, Eve &lt;Example&gt;"));
  EXPECT_TRUE(has(html, "href=\"/profile\""));
  EXPECT_TRUE(has(html, "<form method=\"post\" action=\"/logout\">"));
  EXPECT_FALSE(has(html, "Log in"));
}

TEST(ProfilePage, ShowsTheUserAndTheApisMessagesEscaped) {
  const std::string html =
      profile_page({"Eve", "eve@example.com"}, {std::vector<std::string>{"<b>hi</b>"}, ""});
  EXPECT_TRUE(has(html, "<dd id=\"email\">eve@example.com</dd>"));
  EXPECT_TRUE(has(html, "<li>&lt;b&gt;hi&lt;/b&gt;</li>"));
  EXPECT_FALSE(has(html, "<b>hi"));
}

TEST(ProfilePage, ShowsWhyTheApiCallFailed) {
  const std::string html = profile_page({"Eve", "e"}, {std::nullopt, "The API answered HTTP 403."});
  EXPECT_TRUE(has(html, "role=\"alert\">The API answered HTTP 403.</p>"));
  EXPECT_FALSE(has(html, "id=\"messages\""));
}

TEST(ErrorPage, EscapesTheErrorAndItsDescription) {
  const std::string html = error_page("<script>x</script>", "\"quoted\" & more");
  EXPECT_TRUE(has(html, "&lt;script&gt;x&lt;/script&gt;"));
  EXPECT_TRUE(has(html, "&quot;quoted&quot; &amp; more"));
  EXPECT_FALSE(has(html, "<script>"));
}

}  // namespace
}  // namespace latchkey::examples::webapp
