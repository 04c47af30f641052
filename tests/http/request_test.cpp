#include "http/request.hpp"

#include <gtest/gtest.h>

namespace latchkey::http {
namespace {

TEST(ParseMethod, MapsKnownTokensCaseSensitively) {
  EXPECT_EQ(parse_method("GET"), Method::get);
  EXPECT_EQ(parse_method("DELETE"), Method::del);
  EXPECT_EQ(parse_method("OPTIONS"), Method::options);
  EXPECT_EQ(parse_method("get"), Method::other);
  EXPECT_EQ(parse_method("BREW"), Method::other);
  EXPECT_EQ(method_name(Method::patch), "PATCH");
}

TEST(ParseTarget, DecodesPathAndParsesQuery) {
  auto target = parse_target("/a%20b/c?x=1&y=hello+world");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/a b/c");
  EXPECT_EQ(target->query, (Params{{"x", "1"}, {"y", "hello world"}}));
}

TEST(ParseTarget, PlusInPathStaysPlus) { EXPECT_EQ(parse_target("/a+b")->path, "/a+b"); }

TEST(ParseTarget, AcceptsAbsoluteForm) {
  auto target = parse_target("https://auth.example:8443/authorize?state=s");
  ASSERT_TRUE(target.ok());
  EXPECT_EQ(target->path, "/authorize");
  EXPECT_EQ(target->query, (Params{{"state", "s"}}));
  EXPECT_EQ(parse_target("http://auth.example")->path, "/");
}

TEST(ParseTarget, RejectsMalformedEncodingInPathOrQuery) {
  EXPECT_EQ(parse_target("/a%zz").error(), TargetError::bad_encoding);
  EXPECT_EQ(parse_target("/a?x=%4").error(), TargetError::bad_encoding);
  EXPECT_EQ(parse_target("/a%00").error(), TargetError::bad_encoding);
}

TEST(ParseTarget, RejectsOtherTargetForms) {
  EXPECT_EQ(parse_target("*").error(), TargetError::unsupported_form);
  EXPECT_EQ(parse_target("auth.example:443").error(), TargetError::unsupported_form);
  EXPECT_EQ(parse_target("").error(), TargetError::unsupported_form);
}

TEST(TargetPath, DropsTheQuery) {
  EXPECT_EQ(target_path("/cb?code=SECRET"), "/cb");
  EXPECT_EQ(target_path("/cb"), "/cb");
}

Request form_request(std::string content_type, std::string body) {
  Request request;
  request.method = Method::post;
  request.headers.set("content-type", content_type);
  request.body = std::move(body);
  return request;
}

TEST(RequestForm, ParsesUrlEncodedBodyIgnoringCharsetAndCase) {
  auto form = form_request("Application/X-WWW-Form-URLEncoded ; charset=UTF-8", "a=1&b=%2B").form();
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(*form, (Params{{"a", "1"}, {"b", "+"}}));
}

TEST(RequestForm, FailsOnOtherContentTypes) {
  EXPECT_EQ(form_request("application/json", "a=1").form().error(), FormError::wrong_content_type);
  EXPECT_EQ(Request{}.form().error(), FormError::wrong_content_type);
}

TEST(RequestForm, FailsOnMalformedBody) {
  EXPECT_EQ(form_request("application/x-www-form-urlencoded", "a=%G1").form().error(),
            FormError::malformed);
}

TEST(RequestHeader, LooksUpCaseInsensitively) {
  Request request;
  request.headers.add("Authorization", "Basic abc");
  EXPECT_EQ(request.header("authorization"), "Basic abc");
  EXPECT_FALSE(request.header("Cookie").has_value());
}

}  // namespace
}  // namespace latchkey::http
