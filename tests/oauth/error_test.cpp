#include "oauth/error.hpp"

#include <gtest/gtest.h>

namespace latchkey::oauth {
namespace {

RedirectTarget target(ResponseMode mode = ResponseMode::query) {
  return {"https://app.example.com/callback?tenant=a", "xyz 1", "https://auth.example.com/", mode};
}

TEST(RenderJson, IsTheRfc6749BodyWithNoStore) {
  const auto r = render_json(OAuthError::make(errors::kInvalidGrant, "Invalid authorization code"));
  EXPECT_EQ(r.status, 400);
  const auto body = nlohmann::json::parse(r.body);
  EXPECT_EQ(body["error"], "invalid_grant");
  EXPECT_EQ(body["error_description"], "Invalid authorization code");
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
  EXPECT_EQ(r.headers.get("Pragma"), "no-cache");
}

TEST(RenderRedirect, SendsErrorStateAndIssKeepingTheCallbacksQuery) {
  const auto error = OAuthError::make(errors::kAccessDenied, "Service not found: x").redirectable();
  const auto r = render_redirect(error, target());
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(r.headers.get("Location"),
            "https://app.example.com/callback?tenant=a&error=access_denied&error_description="
            "Service+not+found%3A+x&state=xyz+1&iss=https%3A%2F%2Fauth.example.com%2F");
}

TEST(RenderRedirect, NeverRedirectsAnUnverifiedError) {
  const auto r = render_redirect(OAuthError::make(errors::kInvalidRequest, "bad"), target());
  EXPECT_FALSE(r.headers.get("Location"));
  EXPECT_TRUE(r.is_html());
  EXPECT_EQ(r.status, 400);
}

TEST(RenderPage, EscapesWhatItShows) {
  const auto r = render_page(OAuthError::make(errors::kInvalidRequest, "<script>x</script>"));
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
}

TEST(AuthorizationResponse, FormPostRendersAnAutoSubmittingFormWithEscapedValues) {
  const auto r = authorization_response(target(ResponseMode::form_post), {{"code", "a\"b"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.is_html());
  EXPECT_NE(r.body.find("action=\"https://app.example.com/callback?tenant=a\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"code\" value=\"a&quot;b\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"iss\" value=\"https://auth.example.com/\""), std::string::npos);
  EXPECT_NE(r.body.find("name=\"state\" value=\"xyz 1\""), std::string::npos);
  EXPECT_EQ(r.headers.get("Cache-Control"), "no-store");
}

TEST(AppendQuery, JoinsWithTheRightSeparatorAndDropsAFragment) {
  const http::Params p{{"a", "1"}};
  EXPECT_EQ(append_query("https://x/cb", p), "https://x/cb?a=1");
  EXPECT_EQ(append_query("https://x/cb?", p), "https://x/cb?a=1");
  EXPECT_EQ(append_query("https://x/cb?t=2", p), "https://x/cb?t=2&a=1");
  EXPECT_EQ(append_query("https://x/cb#f", p), "https://x/cb?a=1");
}

}  // namespace
}  // namespace latchkey::oauth
