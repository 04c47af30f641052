#include "http/cookies.hpp"

#include <gtest/gtest.h>

namespace latchkey::http {
namespace {

TEST(ParseCookieHeader, ReadsPairsInOrder) {
  const auto cookies = parse_cookie_header("a=1; b=two;c=3");
  EXPECT_EQ(cookies, (std::vector<Cookie>{{"a", "1"}, {"b", "two"}, {"c", "3"}}));
}

TEST(ParseCookieHeader, SkipsMalformedPiecesAndKeepsTheRest) {
  const auto cookies =
      parse_cookie_header(";;noequals; =nameless; bad name=x; ok=1; sp=a b; q=\"quoted\"; e=");
  EXPECT_EQ(cookies, (std::vector<Cookie>{{"ok", "1"}, {"q", "quoted"}, {"e", ""}}));
}

TEST(ParseCookieHeader, NeverCrashesOnGarbage) {
  std::string garbage;
  for (int c = 0; c < 256; ++c) garbage.push_back(static_cast<char>(c));
  garbage += "=;=;;\"=\"\";";
  const auto cookies = parse_cookie_header(garbage);
  for (const auto& cookie : cookies) EXPECT_FALSE(cookie.name.empty());
  EXPECT_TRUE(parse_cookie_header("").empty());
  EXPECT_TRUE(parse_cookie_header("\"").empty());
}

TEST(ParseCookieHeader, FindCookieReturnsTheFirstMatch) {
  EXPECT_EQ(find_cookie("a=1; sid=abc; sid=def", "sid"), std::optional<std::string>("abc"));
  EXPECT_FALSE(find_cookie("a=1", "sid").has_value());
}

TEST(BuildSetCookie, DefaultsAreHttpOnlySecureLaxAtRoot) {
  auto cookie = build_set_cookie("sid", "abc123", {});
  ASSERT_TRUE(cookie.ok());
  EXPECT_EQ(*cookie, "sid=abc123; Path=/; HttpOnly; Secure; SameSite=Lax");
}

TEST(BuildSetCookie, WritesEveryAttribute) {
  CookieOptions options;
  options.path = "/u";
  options.domain = "auth.example";
  options.same_site = SameSite::strict;
  options.max_age = std::chrono::seconds(3600);
  EXPECT_EQ(*build_set_cookie("sid", "x", options),
            "sid=x; Path=/u; Domain=auth.example; Max-Age=3600; HttpOnly; Secure; SameSite=Strict");
}

TEST(BuildSetCookie, CanDropHttpOnlyAndSecure) {
  CookieOptions options;
  options.http_only = false;
  options.secure = false;
  EXPECT_EQ(*build_set_cookie("a", "b", options), "a=b; Path=/; SameSite=Lax");
}

TEST(BuildSetCookie, RefusesInjectionInNameValueOrAttributes) {
  EXPECT_EQ(build_set_cookie("a b", "x", {}).error(), CookieError::bad_name);
  EXPECT_EQ(build_set_cookie("", "x", {}).error(), CookieError::bad_name);
  EXPECT_EQ(build_set_cookie("a", "x; Domain=evil", {}).error(), CookieError::bad_value);
  EXPECT_EQ(build_set_cookie("a", "x\r\nSet-Cookie: y=z", {}).error(), CookieError::bad_value);
  CookieOptions options;
  options.path = "/; Domain=evil";
  EXPECT_EQ(build_set_cookie("a", "x", options).error(), CookieError::bad_attribute);
}

TEST(BuildSetCookie, SameSiteNoneRequiresSecure) {
  CookieOptions options;
  options.same_site = SameSite::none;
  options.secure = false;
  EXPECT_EQ(build_set_cookie("a", "b", options).error(), CookieError::none_requires_secure);
  options.secure = true;
  EXPECT_EQ(*build_set_cookie("a", "b", options), "a=b; Path=/; HttpOnly; Secure; SameSite=None");
}

TEST(BuildCookieDeletion, ExpiresTheCookieAtOnce) {
  CookieOptions options;
  options.path = "/u";
  auto deletion = build_cookie_deletion("sid", options);
  ASSERT_TRUE(deletion.ok());
  EXPECT_EQ(*deletion,
            "sid=; Path=/u; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; Secure; "
            "SameSite=Lax");
}

}  // namespace
}  // namespace latchkey::http
