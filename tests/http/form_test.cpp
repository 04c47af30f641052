#include "http/form.hpp"

#include <gtest/gtest.h>

namespace latchkey::http {
namespace {

TEST(ParseForm, ReadsPairsInOrderWithPlusAsSpace) {
  auto params = parse_form("b=2&a=hello+world&c=%2B");
  ASSERT_TRUE(params.ok());
  const Params expected{{"b", "2"}, {"a", "hello world"}, {"c", "+"}};
  EXPECT_EQ(*params, expected);
}

TEST(ParseForm, ToleratesEmptySegments) {
  auto params = parse_form("&a=1&&b=2&");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params, (Params{{"a", "1"}, {"b", "2"}}));
}

TEST(ParseForm, ReadsNameWithoutEqualsAsEmptyValue) {
  auto params = parse_form("flag&x=");
  ASSERT_TRUE(params.ok());
  EXPECT_EQ(*params, (Params{{"flag", ""}, {"x", ""}}));
}

TEST(ParseForm, KeepsEqualsSignsInsideValues) {
  EXPECT_EQ(*parse_form("a=b=c"), (Params{{"a", "b=c"}}));
}

TEST(ParseForm, FailsOnMalformedPercentEncodingInNameOrValue) {
  EXPECT_FALSE(parse_form("a=%zz").ok());
  EXPECT_FALSE(parse_form("a%=1").ok());
  EXPECT_FALSE(parse_form("a=1&b=%0").ok());
}

TEST(ParseForm, FailsOnNulByte) {
  auto params = parse_form("a=%00");
  ASSERT_FALSE(params.ok());
  EXPECT_EQ(params.error(), PercentError::nul_byte);
}

TEST(ParseForm, EmptyInputIsEmptyParams) {
  auto params = parse_form("");
  ASSERT_TRUE(params.ok());
  EXPECT_TRUE(params->empty());
}

TEST(Params, GetReturnsSingleValueOrNullopt) {
  const Params params{{"a", "1"}};
  ASSERT_TRUE(params.get("a").ok());
  EXPECT_EQ(*params.get("a"), std::optional<std::string>("1"));
  ASSERT_TRUE(params.get("b").ok());
  EXPECT_FALSE(params.get("b")->has_value());
}

TEST(Params, GetFailsWhenParameterIsRepeated) {
  const Params params{{"scope", "a"}, {"x", "1"}, {"scope", "b"}};
  auto scope = params.get("scope");
  ASSERT_FALSE(scope.ok());
  EXPECT_EQ(scope.error(), ParamError::repeated);
}

TEST(Params, RepeatedEmptyValuesAreStillRepeated) {
  EXPECT_FALSE(Params({{"a", ""}, {"a", ""}}).get("a").ok());
}

TEST(Params, AllReturnsEveryValueInOrder) {
  const Params params{{"resource", "https://a"}, {"x", "1"}, {"resource", "https://b"}};
  EXPECT_EQ(params.all("resource"), (std::vector<std::string>{"https://a", "https://b"}));
  EXPECT_TRUE(params.all("none").empty());
}

TEST(Params, NamesAreCaseSensitive) {
  const Params params{{"State", "x"}};
  EXPECT_FALSE(params.get("state")->has_value());
  EXPECT_TRUE(params.contains("State"));
}

TEST(Params, EncodeRoundTripsThroughParse) {
  const Params params{{"redirect_uri", "https://app.example/cb?x=1&y=2"},
                      {"scope", "openid profile"},
                      {"weird name", "a+b%c=d"}};
  EXPECT_EQ(params.encode(),
            "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D2&scope=openid+profile&"
            "weird+name=a%2Bb%25c%3Dd");
  EXPECT_EQ(*parse_form(params.encode()), params);
}

}  // namespace
}  // namespace latchkey::http
