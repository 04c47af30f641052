#include "ui/renderer.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <stdexcept>

#include "ui/pages.hpp"
#include "ui/scratch_dir.hpp"

namespace latchkey::ui {
namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

TEST(Renderer, KnowsEveryHostedPageButNotTheLayoutAsAPage) {
  const Renderer renderer;
  for (const auto page : {kLoginPage, kSignupPage, kConsentPage, kErrorPage, kBlockedPage}) {
    EXPECT_TRUE(renderer.has_page(page)) << page;
  }
  EXPECT_FALSE(renderer.has_page(kLayoutTemplate));
  EXPECT_FALSE(renderer.has_page("nope"));
}

TEST(Renderer, WrapsEachPageInTheSharedLayout) {
  const Renderer renderer;
  TemplateData data;
  data.set("title", "T");
  data.set("heading", "Oops");
  data.set("message", "Broken");
  const std::string html = renderer.render(kErrorPage, data);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(html.find("<style>"), std::string::npos);
  EXPECT_NE(html.find("<h1>Oops</h1>"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(Renderer, EscapesHtmlInValues) {
  const Renderer renderer;
  TemplateData data;
  data.set("heading", "<script>alert('x')</script>");
  data.set("message", "a \"quoted\" & <b>bold</b>");
  const std::string html = renderer.render(kErrorPage, data);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &quot;quoted&quot; &amp; &lt;b&gt;"), std::string::npos);
}

TEST(Renderer, UnknownPageIsABugThatThrows) {
  const Renderer renderer;
  EXPECT_THROW((void)renderer.render("missing", TemplateData{}), std::out_of_range);
}

TEST(Renderer, OverrideDirectoryReplacesOnlyTheTemplatesItHolds) {
  ui_test::ScratchDir dir;
  ASSERT_FALSE(dir.path().empty());
  write_file(dir.path() / "error.mustache", "<p id=\"custom\">Custom: {{message}}</p>");
  const Renderer renderer(dir.path());
  TemplateData data;
  data.set("message", "<hi>");
  const std::string error = renderer.render(kErrorPage, data);
  EXPECT_NE(error.find("<p id=\"custom\">Custom: &lt;hi&gt;</p>"), std::string::npos);
  EXPECT_NE(error.find("<html lang=\"en\">"), std::string::npos);  // embedded layout kept
  const std::string login = renderer.render(kLoginPage, TemplateData{});
  EXPECT_NE(login.find("autocomplete=\"current-password\""), std::string::npos);
}

TEST(Renderer, OverriddenLayoutAppliesToEveryPage) {
  ui_test::ScratchDir dir;
  write_file(dir.path() / "layout.mustache", "<html lang=\"fr\"><body>{{>page}}</body></html>");
  const Renderer renderer(dir.path());
  EXPECT_NE(renderer.render(kLoginPage, TemplateData{}).find("lang=\"fr\""), std::string::npos);
  EXPECT_NE(renderer.render(kBlockedPage, TemplateData{}).find("lang=\"fr\""), std::string::npos);
}

TEST(Renderer, MissingOverrideDirectoryFallsBackToEmbeddedTemplates) {
  const Renderer renderer(std::filesystem::path("/nonexistent/latchkey/templates"));
  EXPECT_TRUE(renderer.has_page(kLoginPage));
}

TEST(Renderer, OverrideThatDoesNotParseFailsAtConstruction) {
  ui_test::ScratchDir dir;
  write_file(dir.path() / "login.mustache", "{{#open}} never closed");
  try {
    const Renderer renderer(dir.path());
    FAIL() << "expected a start-up error";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find("login"), std::string::npos);
  }
}

TEST(Renderer, LayoutWithoutPageSlotFailsAtConstruction) {
  ui_test::ScratchDir dir;
  write_file(dir.path() / "layout.mustache", "<html></html>");
  EXPECT_THROW(Renderer{dir.path()}, std::runtime_error);
}

}  // namespace
}  // namespace latchkey::ui
