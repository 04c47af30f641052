#include "loadgen/cookie_jar.hpp"

#include <gtest/gtest.h>

namespace latchkey::loadgen {
namespace {

using std::chrono::system_clock;

system_clock::time_point now() { return *parse_http_date("Tue, 24 Nov 2026 09:00:00 GMT"); }

TEST(CookieJar, SendsCookiesOnlyUnderTheirPathLongestFirst) {
  // node-oidc-provider scopes its interaction cookies to one interaction's path.
  CookieJar jar;
  jar.store(
      "_interaction=i1; path=/interaction/u1; expires=Tue, 24 Nov 2026 10:09:37 GMT; "
      "samesite=lax; httponly",
      "/auth", now());
  jar.store("_session=s1; path=/; httponly", "/interaction/u1", now());
  EXPECT_EQ(jar.header_for("/interaction/u1"), "_interaction=i1; _session=s1");
  EXPECT_EQ(jar.header_for("/interaction/u1/login?x=1"), "_interaction=i1; _session=s1");
  EXPECT_EQ(jar.header_for("/interaction/u10"), "_session=s1");
  EXPECT_EQ(jar.header_for("/auth"), "_session=s1");
}

TEST(CookieJar, ANewValueReplacesTheOldAndAnExpiredCookieRemovesIt) {
  CookieJar jar;
  jar.store("sid=1; Path=/", "/", now());
  jar.store("sid=2; Path=/", "/", now());
  EXPECT_EQ(jar.header_for("/authorize"), "sid=2");
  jar.store("sid=; Path=/; Max-Age=0", "/", now());
  EXPECT_EQ(jar.header_for("/authorize"), "");
  jar.store("a=1; Path=/", "/", now());
  jar.store("a=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT", "/", now());
  EXPECT_TRUE(jar.empty());
}

TEST(CookieJar, WithoutAPathACookieBelongsToTheRequestsDirectory) {
  CookieJar jar;
  jar.store("t=1", "/u/login?state=x", now());
  EXPECT_EQ(jar.header_for("/u/consent"), "t=1");
  EXPECT_EQ(jar.header_for("/authorize"), "");
  EXPECT_EQ(default_path("/a"), "/");
  EXPECT_EQ(default_path("/a/b/c"), "/a/b");
  EXPECT_EQ(default_path("no-slash"), "/");
}

TEST(CookieJar, AUserSuppliedHeaderIsSentEverywhere) {
  CookieJar jar;
  jar.add_header("a=b; c=d;;  e = f ; junk");
  EXPECT_EQ(jar.header_for("/any/path"), "a=b; c=d; e=f");
}

TEST(CookieJar, IgnoresMalformedSetCookieHeaders) {
  CookieJar jar;
  jar.store("", "/", now());
  jar.store("novalue", "/", now());
  jar.store("=x", "/", now());
  EXPECT_TRUE(jar.empty());
}

TEST(CookieJar, PathMatchFollowsRfc6265) {
  EXPECT_TRUE(path_matches("/a/b", "/a"));
  EXPECT_TRUE(path_matches("/a/b", "/a/"));
  EXPECT_TRUE(path_matches("/a", "/a"));
  EXPECT_FALSE(path_matches("/ab", "/a"));
  EXPECT_FALSE(path_matches("/", "/a"));
}

TEST(CookieJar, ParsesImfFixdatesOnly) {
  const auto epoch = parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT");
  ASSERT_TRUE(epoch);
  EXPECT_EQ(epoch->time_since_epoch().count(), 0);
  EXPECT_FALSE(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Thu, 31 Feb 2026 00:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Thu, 01 Foo 2026 00:00:00 GMT"));
}

}  // namespace
}  // namespace latchkey::loadgen
