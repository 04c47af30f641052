#include "http/router.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <stdexcept>

#include "http/errors.hpp"

namespace latchkey::http {
namespace {

Handler answer(std::string text) {
  return [text](const Request&) { return Response::text(200, text); };
}

TEST(Router, MatchesExactPathAndMethod) {
  Router router;
  router.add(Method::get, "/a", answer("get a"));
  router.add(Method::post, "/a", answer("post a"));
  const auto match = router.match(Method::post, "/a");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->handler(Request{}).body, "post a");
}

TEST(Router, UnknownPathIsJsonNotFound) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  for (const auto* path : {"/b", "/a/", "/A", "", "/"}) {
    const auto match = router.match(Method::get, path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_EQ(match.response.status, 404);
    EXPECT_EQ(nlohmann::json::parse(match.response.body)["error"], "not_found");
  }
}

TEST(Router, WrongMethodIs405ListingAllowedMethods) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  router.add(Method::post, "/a", answer("a"));
  const auto match = router.match(Method::del, "/a");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.response.status, 405);
  EXPECT_EQ(match.response.headers.get("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(nlohmann::json::parse(match.response.body)["error"], "method_not_allowed");
}

TEST(Router, UnknownMethodIs405) {
  Router router;
  router.add(Method::post, "/a", answer("a"));
  const auto match = router.match(Method::other, "/a");
  EXPECT_EQ(match.response.status, 405);
  EXPECT_EQ(match.response.headers.get("Allow"), "POST");
}

TEST(Router, HeadFallsBackToGetRoute) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  const auto match = router.match(Method::head, "/a");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->method, Method::get);
}

TEST(Router, PostDoesNotFallBackToGet) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  EXPECT_EQ(router.match(Method::post, "/a").response.status, 405);
}

TEST(Router, ParamSegmentsCaptureValues) {
  Router router;
  router.add(Method::get, "/api/v2/users/{id}/roles/{role}", answer("x"));
  const auto match = router.match(Method::get, "/api/v2/users/auth0|42/roles/admin");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(*match.path_params.get("id"), std::optional<std::string>("auth0|42"));
  EXPECT_EQ(*match.path_params.get("role"), std::optional<std::string>("admin"));
  EXPECT_EQ(router.match(Method::get, "/api/v2/users//roles/admin").response.status, 404);
  EXPECT_EQ(router.match(Method::get, "/api/v2/users/1/roles").response.status, 404);
}

TEST(Router, LiteralRouteWinsOverPattern) {
  Router router;
  router.add(Method::get, "/users/{id}", answer("pattern"));
  router.add(Method::get, "/users/me", answer("literal"));
  EXPECT_EQ(router.match(Method::get, "/users/me").route->handler(Request{}).body, "literal");
  EXPECT_EQ(router.match(Method::get, "/users/7").route->handler(Request{}).body, "pattern");
}

TEST(Router, KeepsOffloadOption) {
  Router router;
  router.add(Method::post, "/slow", answer("x"), RouteOptions{.offload = true});
  router.add(Method::get, "/fast", answer("x"));
  EXPECT_TRUE(router.match(Method::post, "/slow").route->options.offload);
  EXPECT_FALSE(router.match(Method::get, "/fast").route->options.offload);
}

TEST(Router, OffloadsPerRequestWhenThePredicateSaysSo) {
  bool busy = false;
  const RouteOptions when_busy{.offload_when = [&busy](const Request&) { return busy; }};
  const Request request;
  EXPECT_FALSE(should_offload(when_busy, request));
  busy = true;
  EXPECT_TRUE(should_offload(when_busy, request));
  EXPECT_TRUE(should_offload(RouteOptions{.offload = true}, request));
  EXPECT_FALSE(should_offload(RouteOptions{}, request));
}

TEST(Router, ThePredicateSeesTheRequest) {
  const RouteOptions slow_bodies{
      .offload_when = [](const Request& request) { return request.body == "slow"; }};
  Request request;
  request.body = "fast";
  EXPECT_FALSE(should_offload(slow_bodies, request));
  request.body = "slow";
  EXPECT_TRUE(should_offload(slow_bodies, request));
}

TEST(Router, RefusesDuplicateAndRelativeRoutes) {
  Router router;
  router.add(Method::get, "/a", answer("a"));
  EXPECT_THROW(router.add(Method::get, "/a", answer("b")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "a", answer("b")), std::invalid_argument);
  EXPECT_THROW(router.add(Method::get, "/b", Handler{}), std::invalid_argument);
}

TEST(InvokeHandler, ThrowingHandlerBecomesBare500AndIsLogged) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  Logger log("test", sink);
  use_json_lines(log);
  Router router;
  router.add(Method::get, "/boom",
             [](const Request&) -> Response { throw std::runtime_error("database exploded"); });
  Request request;
  request.path = "/boom";
  const auto response = invoke_handler(*router.match(Method::get, "/boom").route, request, log);
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(nlohmann::json::parse(response.body), nlohmann::json({{"error", "server_error"}}));
  EXPECT_NE(out.str().find("database exploded"), std::string::npos);
  EXPECT_NE(out.str().find("\"level\":\"error\""), std::string::npos) << out.str();
}

}  // namespace
}  // namespace latchkey::http
