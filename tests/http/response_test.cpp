#include "http/response.hpp"

#include <gtest/gtest.h>

#include "http/errors.hpp"
#include "http/security_headers.hpp"

namespace latchkey::http {
namespace {

TEST(Response, JsonSetsContentTypeAndBody) {
  const auto response = Response::json(201, {{"a", 1}});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"a":1})");
  EXPECT_EQ(response.headers.get("content-type"), "application/json");
  EXPECT_FALSE(response.is_html());
}

TEST(Response, JsonNeverThrowsOnInvalidUtf8) {
  const auto response = Response::json(200, {{"a", std::string("\xFF\xFE")}});
  EXPECT_FALSE(response.body.empty());
}

TEST(Response, HtmlIsRecognisedAsHtml) {
  EXPECT_TRUE(Response::html(200, "<p>").is_html());
  EXPECT_FALSE(Response::text(200, "p").is_html());
  auto custom = Response::text(200, "x");
  custom.set_header("Content-Type", " TEXT/HTML ;charset=utf-8");
  EXPECT_TRUE(custom.is_html());
}

TEST(Response, RedirectSetsLocation) {
  const auto response = Response::redirect("https://app.example/cb?code=x", 303);
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.headers.get("Location"), "https://app.example/cb?code=x");
  EXPECT_EQ(Response::redirect("/x").status, 302);
}

TEST(Response, AddHeaderKeepsEarlierValuesSetHeaderReplaces) {
  auto response = Response::empty(204);
  response.add_header("Set-Cookie", "a=1").add_header("set-cookie", "b=2");
  EXPECT_EQ(response.headers.all("Set-Cookie").size(), 2U);
  response.set_header("SET-COOKIE", "c=3");
  EXPECT_EQ(response.headers.all("Set-Cookie"), (std::vector<std::string_view>{"c=3"}));
}

TEST(Headers, ValidRefusesResponseSplitting) {
  Headers headers;
  headers.set("Location", "/ok");
  EXPECT_TRUE(headers.valid());
  headers.set("Location", "/x\r\nSet-Cookie: evil=1");
  EXPECT_FALSE(headers.valid());
  Headers bad_name;
  bad_name.set("Bad Name", "x");
  EXPECT_FALSE(bad_name.valid());
}

TEST(ErrorResponses, UseTheOAuthJsonShape) {
  const auto response = bad_request("bad target");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(nlohmann::json::parse(response.body),
            nlohmann::json({{"error", "invalid_request"}, {"error_description", "bad target"}}));
  EXPECT_EQ(payload_too_large().status, 413);
  EXPECT_EQ(header_fields_too_large().status, 431);
  EXPECT_EQ(nlohmann::json::parse(service_unavailable().body)["error"], "temporarily_unavailable");
}

TEST(ErrorResponses, ServerErrorCarriesNoDetails) {
  const auto response = server_error();
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(nlohmann::json::parse(response.body), nlohmann::json({{"error", "server_error"}}));
}

TEST(SecurityHeaders, EveryResponseGetsNosniffAndNoReferrer) {
  auto response = Response::json(200, {});
  apply_security_headers(response, false);
  EXPECT_EQ(response.headers.get("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.headers.get("Referrer-Policy"), "no-referrer");
  EXPECT_FALSE(response.headers.contains("X-Frame-Options"));
  EXPECT_FALSE(response.headers.contains("Content-Security-Policy"));
  EXPECT_FALSE(response.headers.contains("Strict-Transport-Security"));
}

TEST(SecurityHeaders, HtmlGetsFrameProtection) {
  auto response = Response::html(200, "<p>");
  apply_security_headers(response, false);
  EXPECT_EQ(response.headers.get("X-Frame-Options"), "DENY");
  EXPECT_EQ(response.headers.get("Content-Security-Policy"), "frame-ancestors 'none'");
}

TEST(SecurityHeaders, FrameAncestorsIsAppendedToHandlerPolicy) {
  auto response = Response::html(200, "<p>");
  response.set_header("Content-Security-Policy", "default-src 'self';");
  apply_security_headers(response, false);
  EXPECT_EQ(response.headers.get("Content-Security-Policy"),
            "default-src 'self'; frame-ancestors 'none'");
  EXPECT_EQ(response.headers.all("Content-Security-Policy").size(), 1U);
}

TEST(SecurityHeaders, HstsOnlyWhenSecure) {
  auto response = Response::text(200, "x");
  apply_security_headers(response, true);
  EXPECT_EQ(response.headers.get("Strict-Transport-Security"), "max-age=31536000");
}

}  // namespace
}  // namespace latchkey::http
