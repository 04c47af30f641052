#include "model/validation.hpp"

#include <gtest/gtest.h>

#include "model/model.hpp"

namespace latchkey::model {
namespace {

TEST(CheckRedirectUri, AcceptsAbsoluteUrlsAndNativeSchemes) {
  EXPECT_TRUE(check_redirect_uri("https://app.example.com/callback").ok());
  EXPECT_TRUE(check_redirect_uri("http://127.0.0.1:3000/callback?x=1").ok());
  EXPECT_TRUE(check_redirect_uri("com.example.app:/oauth").ok());
}

TEST(CheckRedirectUri, RejectsRelativeAndFragmentUrls) {
  EXPECT_FALSE(check_redirect_uri("/callback").ok());
  EXPECT_FALSE(check_redirect_uri("https://app.example.com/cb#frag").ok());
  EXPECT_FALSE(check_redirect_uri("").ok());
  EXPECT_FALSE(check_redirect_uri("https:///nohost").ok());
}

TEST(CheckScopeToken, FollowsRfc6749Grammar) {
  EXPECT_TRUE(check_scope_token("read:messages").ok());
  EXPECT_FALSE(check_scope_token("read messages").ok());
  EXPECT_FALSE(check_scope_token("quote\"").ok());
  EXPECT_FALSE(check_scope_token("back\\slash").ok());
  EXPECT_FALSE(check_scope_token("").ok());
}

TEST(CheckApiIdentifier, RequiresVisibleAsciiWithoutSpaces) {
  EXPECT_TRUE(check_api_identifier("https://api.example.com").ok());
  EXPECT_TRUE(check_api_identifier("urn:demo:api").ok());
  EXPECT_FALSE(check_api_identifier("my api").ok());
  EXPECT_FALSE(check_api_identifier("").ok());
  EXPECT_FALSE(check_api_identifier(std::string(601, 'a')).ok());
}

TEST(CheckEmail, AcceptsPlausibleAddressesOnly) {
  EXPECT_TRUE(check_email("alice@example.com").ok());
  EXPECT_FALSE(check_email("alice").ok());
  EXPECT_FALSE(check_email("@example.com").ok());
  EXPECT_FALSE(check_email("a@b@example.com").ok());
  EXPECT_FALSE(check_email("alice@example").ok());
  EXPECT_FALSE(check_email("al ice@example.com").ok());
}

TEST(CheckPassword, NeedsEightCharacters) {
  EXPECT_FALSE(check_password("short").ok());
  EXPECT_TRUE(check_password("long enough").ok());
  EXPECT_FALSE(check_password(std::string(257, 'x')).ok());
}

TEST(NormalizeEmail, LowerCasesAsciiLetters) {
  EXPECT_EQ(normalize_email("Alice@Example.COM"), "alice@example.com");
}

TEST(AppType, RoundTripsItsWireNames) {
  for (const auto t :
       {AppType::regular_web, AppType::spa, AppType::native, AppType::non_interactive}) {
    EXPECT_EQ(parse_app_type(to_string(t)), t);
  }
  EXPECT_FALSE(parse_app_type("web").has_value());
}

}  // namespace
}  // namespace latchkey::model
