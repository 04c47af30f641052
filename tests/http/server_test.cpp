// The server over real sockets on 127.0.0.1, with an in-process Server on port 0.

#include "http/server.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include "core/commit_deferral.hpp"
#include "http/errors.hpp"
#include "http/raw_client.hpp"
#include "http/test_server.hpp"

namespace latchkey::http {
namespace {

using namespace std::chrono_literals;
using testing::make_request;
using testing::RawConnection;
using testing::RunningServer;
using SteadyClock = std::chrono::steady_clock;

Router test_router() {
  Router router;
  router.add(Method::get, "/hello", [](const Request&) {
    return Response::json(200, {{"hello", "world"}});
  });
  router.add(Method::post, "/echo", [](const Request& request) {
    auto form = request.form();
    if (!form) return bad_request("expected a form");
    nlohmann::json body = nlohmann::json::object();
    for (const auto& [name, value] : form->items()) body[name] = value;
    return Response::json(200, body);
  });
  router.add(Method::get, "/boom",
             [](const Request&) -> Response { throw std::runtime_error("kaboom-detail"); });
  router.add(Method::get, "/page", [](const Request&) {
    return Response::html(200, "<p>hi</p>")
        .set_header("Content-Security-Policy", "default-src 'self'");
  });
  router.add(
      Method::get, "/slow",
      [](const Request&) {
        std::this_thread::sleep_for(500ms);
        return Response::text(200, "slow");
      },
      RouteOptions{.offload = true});
  router.add(Method::get, "/split",
             [](const Request&) { return Response::redirect("/x\r\nSet-Cookie: evil=1"); });
  router.add(Method::get, "/thread", [](const Request&) {
    return Response::text(200,
                          std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id())));
  });
  // The nice value of the thread that runs the handler.
  const auto nice_of_this_thread = [](const Request&) {
    return Response::text(200,
                          std::to_string(getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()))));
  };
  router.add(Method::get, "/nice", nice_of_this_thread);
  router.add(Method::get, "/nice-offloaded", nice_of_this_thread, RouteOptions{.offload = true});
  router.add(Method::get, "/bad-status", [](const Request&) { return Response::text(1000, "x"); });
  router.add(Method::get, "/framing", [](const Request&) {
    return Response::text(200, "abc")
        .set_header("Content-Length", "999")
        .set_header("Connection", "close");
  });
  return router;
}

nlohmann::json body_json(const testing::RawResponse& response) {
  return nlohmann::json::parse(response.body, nullptr, false);
}

std::chrono::milliseconds since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start);
}

class ServerTest : public ::testing::Test {
 protected:
  Router router_ = test_router();
};

TEST_F(ServerTest, AnswersGetWithJsonAndSecurityHeadersButNoHstsOverPlainHttp) {
  RunningServer server(router_, testing::fast_test_options());
  const auto response = testing::exchange(server.port(), make_request("GET", "/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(body_json(*response), nlohmann::json({{"hello", "world"}}));
  EXPECT_EQ(response->header("Content-Type"), "application/json");
  EXPECT_EQ(response->header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response->header("Referrer-Policy"), "no-referrer");
  EXPECT_FALSE(response->header("X-Frame-Options"));
  EXPECT_FALSE(response->header("Strict-Transport-Security"));
  EXPECT_FALSE(response->header("Server"));
}

TEST_F(ServerTest, HtmlResponsesGetFrameProtectionAppendedToTheirPolicy) {
  RunningServer server(router_, testing::fast_test_options());
  const auto response = testing::exchange(server.port(), make_request("GET", "/page"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("X-Frame-Options"), "DENY");
  EXPECT_EQ(response->header("Content-Security-Policy"),
            "default-src 'self'; frame-ancestors 'none'");
  EXPECT_EQ(response->header_count("Content-Security-Policy"), 1U);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
    const auto response = connection->read_response();
    ASSERT_TRUE(response) << i;
    EXPECT_EQ(response->status, 200);
    EXPECT_NE(response->header("Connection"), "close");
  }
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(
      make_request("GET", "/hello") +
      make_request("POST", "/echo", {"Content-Type: application/x-www-form-urlencoded"}, "n=1") +
      make_request("GET", "/nope") +
      make_request("POST", "/echo", {"Content-Type: application/x-www-form-urlencoded"}, "n=2")));
  const auto first = connection->read_response();
  const auto second = connection->read_response();
  const auto third = connection->read_response();
  const auto fourth = connection->read_response();
  ASSERT_TRUE(first && second && third && fourth);
  EXPECT_EQ(body_json(*first), nlohmann::json({{"hello", "world"}}));
  EXPECT_EQ(body_json(*second), nlohmann::json({{"n", "1"}}));
  EXPECT_EQ(third->status, 404);
  EXPECT_EQ(body_json(*fourth), nlohmann::json({{"n", "2"}}));
}

TEST_F(ServerTest, ConnectionCloseRequestIsAnsweredThenClosed) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(make_request("GET", "/hello", {"Connection: close"})));
  const auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->header("Connection"), "close");
  EXPECT_TRUE(connection->closed_within(1000ms));
}

TEST_F(ServerTest, Http10RequestWithoutKeepAliveIsClosedAfterTheResponse) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send("GET /hello HTTP/1.0\r\n\r\n"));
  const auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_TRUE(connection->closed_within(1000ms));
}

TEST_F(ServerTest, ConnectionsAreSpreadOverTheIoThreads) {
  auto options = testing::fast_test_options();
  options.threads = 2;
  RunningServer server(router_, options);
  std::set<std::string> threads;
  for (int i = 0; i < 4; ++i) {
    const auto response = testing::exchange(server.port(), make_request("GET", "/thread"));
    ASSERT_TRUE(response);
    threads.insert(response->body);
  }
  EXPECT_EQ(threads.size(), 2U);
}

// With no thread count set, one I/O thread per CPU the process may run on: pinned to one CPU
// (taskset, a cpuset), one thread, however many the machine has.
TEST_F(ServerTest, DefaultIoThreadsFollowTheAffinityMask) {
  cpu_set_t before;
  CPU_ZERO(&before);
  ASSERT_EQ(sched_getaffinity(0, sizeof(before), &before), 0);
  int first = 0;
  while (!CPU_ISSET(first, &before)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  std::set<std::string> threads;
  {
    auto options = testing::fast_test_options();
    options.threads = 0;
    RunningServer server(router_, options);
    for (int i = 0; i < 4; ++i) {
      const auto response = testing::exchange(server.port(), make_request("GET", "/thread"));
      ASSERT_TRUE(response);
      threads.insert(response->body);
    }
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof(before), &before), 0);
  EXPECT_EQ(threads.size(), 1U);
}

TEST_F(ServerTest, TransportOwnsFramingHeadersAndStatusRange) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(
      connection->send(make_request("GET", "/framing") + make_request("GET", "/bad-status")));
  const auto framed = connection->read_response();
  ASSERT_TRUE(framed);
  EXPECT_EQ(framed->header("Content-Length"), "3");
  EXPECT_EQ(framed->body, "abc");
  const auto bad = connection->read_response();  // same connection: it was kept alive
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 500);
  EXPECT_EQ(body_json(*bad), nlohmann::json({{"error", "server_error"}}));
}

TEST_F(ServerTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  RunningServer server(router_, testing::fast_test_options());
  const auto missing = testing::exchange(server.port(), make_request("GET", "/nope"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(body_json(*missing)["error"], "not_found");
  const auto wrong = testing::exchange(server.port(), make_request("DELETE", "/hello"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  EXPECT_EQ(wrong->header("Allow"), "GET, HEAD");
  EXPECT_EQ(body_json(*wrong)["error"], "method_not_allowed");
}

TEST_F(ServerTest, HeadIsAnsweredLikeGetWithoutABody) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(make_request("HEAD", "/hello")));
  const auto head = connection->read_response(5s, /*no_body=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"),
            std::to_string(std::string_view(R"({"hello":"world"})").size()));
  // Nothing but the next response may follow on the connection.
  ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
  const auto get = connection->read_response();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, R"({"hello":"world"})");
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponseBeforeTheBody) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
      "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 3\r\n\r\n"));
  const auto interim = connection->read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(connection->send("a=b"));
  const auto final_response = connection->read_response();
  ASSERT_TRUE(final_response);
  EXPECT_EQ(body_json(*final_response), nlohmann::json({{"a", "b"}}));
}

TEST_F(ServerTest, HeaderBlockOverLimitGets431ThenClose) {
  auto options = testing::fast_test_options();
  options.header_limit = 1024;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(
      connection->send(make_request("GET", "/hello", {"X-Big: " + std::string(2000, 'a')})));
  const auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 431);
  EXPECT_EQ(body_json(*response)["error"], "invalid_request");
  EXPECT_TRUE(connection->closed_within(2000ms));
}

TEST_F(ServerTest, ContentLengthOverLimitGets413ThenClose) {
  auto options = testing::fast_test_options();
  options.body_limit = 1024;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  // A large body the server will not read: the 413 must survive the close (lingering close;
  // closing with unread input would reset the connection and could destroy the response).
  const std::size_t size = 300 * 1024;
  ASSERT_TRUE(connection->send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: " +
      std::to_string(size) + "\r\n\r\n" + std::string(size, 'a')));
  const auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(body_json(*response)["error"], "invalid_request");
  EXPECT_TRUE(connection->closed_within(2000ms));
}

std::string chunk(const std::string& data) {
  char size[16];
  std::snprintf(size, sizeof size, "%zx", data.size());
  return std::string(size) + "\r\n" + data + "\r\n";
}

TEST_F(ServerTest, ChunkedBodyOverLimitGets413ThenClose) {
  auto options = testing::fast_test_options();
  options.body_limit = 1024;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
      chunk("a=" + std::string(600, 'b')) + chunk(std::string(600, 'c')) + "0\r\n\r\n"));
  const auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(connection->closed_within(2000ms));
}

TEST_F(ServerTest, ChunkedBodyWithinLimitReachesTheHandler) {
  RunningServer server(router_, testing::fast_test_options());
  const auto response = testing::exchange(
      server.port(),
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Transfer-Encoding: chunked\r\n\r\n" +
          chunk("a=1&") + chunk("b=2") + "0\r\n\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(body_json(*response), nlohmann::json({{"a", "1"}, {"b", "2"}}));
}

TEST_F(ServerTest, MalformedRequestLineOrHeaderGets400ThenClose) {
  RunningServer server(router_, testing::fast_test_options());
  for (const char* bad : {"GARBAGE\r\n\r\n", "GET /hello HTTP/1.1\r\nNo colon here\r\n\r\n",
                          "GET /hello HTTP/9.9\r\nHost: x\r\n\r\n"}) {
    auto connection = RawConnection::open(server.port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(bad));
    const auto response = connection->read_response();
    ASSERT_TRUE(response) << bad;
    EXPECT_EQ(response->status, 400) << bad;
    EXPECT_EQ(body_json(*response)["error"], "invalid_request");
    EXPECT_TRUE(connection->closed_within(2000ms)) << bad;
  }
}

TEST_F(ServerTest, MalformedPercentEncodingInPathOrQueryGets400BeforeRouting) {
  RunningServer server(router_, testing::fast_test_options());
  for (const char* target : {"/hel%zzlo", "/hello?x=%4", "/hello%00", "/hello?a=%00"}) {
    const auto response = testing::exchange(server.port(), make_request("GET", target));
    ASSERT_TRUE(response) << target;
    EXPECT_EQ(response->status, 400) << target;
    EXPECT_EQ(body_json(*response)["error"], "invalid_request") << target;
  }
  const auto encoded = testing::exchange(server.port(), make_request("GET", "/hell%6F?x=%41"));
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded->status, 200);
}

TEST_F(ServerTest, GarbageInputNeverStopsTheServer) {
  auto options = testing::fast_test_options();
  options.header_timeout = 200ms;
  RunningServer server(router_, options);
  std::mt19937 random(12345);
  const std::vector<std::string> prefixes = {"", "GET /", "POST /echo HTTP/1.1\r\n",
                                             "GET /hello HTTP/1.1\r\nHost: x\r\nContent-Length: "};
  for (int i = 0; i < 40; ++i) {
    std::string bytes = prefixes[static_cast<std::size_t>(i) % prefixes.size()];
    const auto length = random() % 600;
    for (std::uint32_t j = 0; j < length; ++j) bytes.push_back(static_cast<char>(random() % 256));
    if (i % 2 == 0) bytes += "\r\n\r\n";
    auto connection = RawConnection::open(server.port());
    ASSERT_TRUE(connection);
    (void)connection->send(bytes);
    const auto answer = connection->read_response(1000ms);
    if (answer) {
      EXPECT_EQ(answer->status / 100, 4) << i;
    }
  }
  const auto response = testing::exchange(server.port(), make_request("GET", "/hello"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(ServerTest, StalledHeaderIsCutOffAfterHeaderTimeout) {
  auto options = testing::fast_test_options();
  options.header_timeout = 300ms;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  const auto start = SteadyClock::now();
  ASSERT_TRUE(connection->send("GET /hello HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(connection->closed_within(3000ms));
  EXPECT_GE(since(start), 250ms);
  EXPECT_LT(since(start), 1500ms);
}

TEST_F(ServerTest, SilentNewConnectionIsCutOffAfterHeaderTimeout) {
  auto options = testing::fast_test_options();
  options.header_timeout = 300ms;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  EXPECT_TRUE(connection->closed_within(3000ms));
}

TEST_F(ServerTest, StalledBodyIsCutOffAfterBodyTimeout) {
  auto options = testing::fast_test_options();
  options.body_timeout = 300ms;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  const auto start = SteadyClock::now();
  ASSERT_TRUE(connection->send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 10\r\n\r\na=1"));
  EXPECT_TRUE(connection->closed_within(3000ms));
  EXPECT_GE(since(start), 250ms);
  EXPECT_LT(since(start), 1500ms);
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
  auto options = testing::fast_test_options();
  options.idle_timeout = 300ms;
  RunningServer server(router_, options);
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
  ASSERT_TRUE(connection->read_response());
  const auto start = SteadyClock::now();
  EXPECT_FALSE(connection->closed_within(150ms));
  EXPECT_TRUE(connection->closed_within(3000ms));
  EXPECT_GE(since(start), 250ms);
}

TEST_F(ServerTest, ConnectionsBeyondMaxConnectionsGet503AndAreClosed) {
  auto options = testing::fast_test_options();
  options.max_connections = 2;
  RunningServer server(router_, options);
  std::vector<RawConnection> held;
  for (int i = 0; i < 2; ++i) {
    auto connection = RawConnection::open(server.port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
    ASSERT_TRUE(connection->read_response());  // accepted and counted
    held.push_back(std::move(*connection));
  }
  auto extra = RawConnection::open(server.port());
  ASSERT_TRUE(extra);
  ASSERT_TRUE(extra->send(make_request("GET", "/hello")));
  const auto rejected = extra->read_response();
  ASSERT_TRUE(rejected);
  EXPECT_EQ(rejected->status, 503);
  EXPECT_EQ(body_json(*rejected)["error"], "temporarily_unavailable");
  EXPECT_TRUE(extra->closed_within(2000ms));
  // A freed slot is usable again.
  held.front().close();
  std::optional<testing::RawResponse> after;
  for (int attempt = 0; attempt < 50 && (!after || after->status != 200); ++attempt) {
    std::this_thread::sleep_for(20ms);
    after = testing::exchange(server.port(), make_request("GET", "/hello"));
  }
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, ThrowingHandlerGetsBare500AndServerKeepsServing) {
  RunningServer server(router_, testing::fast_test_options());
  auto connection = RawConnection::open(server.port());
  ASSERT_TRUE(connection);
  ASSERT_TRUE(connection->send(make_request("GET", "/boom")));
  const auto failed = connection->read_response();
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 500);
  EXPECT_EQ(body_json(*failed), nlohmann::json({{"error", "server_error"}}));
  ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
  const auto same_connection = connection->read_response();
  ASSERT_TRUE(same_connection);
  EXPECT_EQ(same_connection->status, 200);
  const auto other_connection = testing::exchange(server.port(), make_request("GET", "/hello"));
  ASSERT_TRUE(other_connection);
  EXPECT_EQ(other_connection->status, 200);
  const std::string log = server.log_after_stop();
  EXPECT_NE(log.find("kaboom-detail"), std::string::npos);
  EXPECT_NE(log.find(R"("level":"error")"), std::string::npos);
}

TEST_F(ServerTest, ResponseThatWouldSplitHeadersBecomes500) {
  RunningServer server(router_, testing::fast_test_options());
  const auto response = testing::exchange(server.port(), make_request("GET", "/split"));
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
  EXPECT_FALSE(response->header("Set-Cookie"));
  EXPECT_FALSE(response->header("Location"));
}

TEST_F(ServerTest, OffloadedHandlerLeavesTheIoThreadFree) {
  auto options = testing::fast_test_options();
  options.threads = 1;  // one I/O thread: an inline sleep would block everything
  RunningServer server(router_, options);
  auto slow = RawConnection::open(server.port());
  ASSERT_TRUE(slow);
  ASSERT_TRUE(slow->send(make_request("GET", "/slow")));
  std::this_thread::sleep_for(50ms);
  const auto start = SteadyClock::now();
  const auto fast = testing::exchange(server.port(), make_request("GET", "/hello"));
  const auto fast_time = since(start);
  ASSERT_TRUE(fast);
  EXPECT_EQ(fast->status, 200);
  EXPECT_LT(fast_time, 250ms);
  const auto slow_response = slow->read_response();
  ASSERT_TRUE(slow_response);
  EXPECT_EQ(slow_response->body, "slow");
}

TEST_F(ServerTest, OffloadedHandlersRunAtTheWorkerNiceValueAndIoThreadsDoNot) {
  auto options = testing::fast_test_options();
  options.worker_nice = 7;
  RunningServer server(router_, options);
  const int own = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
  ASSERT_LT(own, 7) << "the test must not itself run at nice 7 or more";
  const auto worker = testing::exchange(server.port(), make_request("GET", "/nice-offloaded"));
  ASSERT_TRUE(worker);
  EXPECT_EQ(worker->body, "7");
  const auto io = testing::exchange(server.port(), make_request("GET", "/nice"));
  ASSERT_TRUE(io);
  EXPECT_EQ(io->body, std::to_string(own)) << "the I/O threads keep the process's priority";
}

TEST_F(ServerTest, GracefulStopFinishesAHalfSentRequest) {
  RunningServer server(router_, testing::fast_test_options());
  auto idle = RawConnection::open(server.port());
  ASSERT_TRUE(idle);
  ASSERT_TRUE(idle->send(make_request("GET", "/hello")));
  ASSERT_TRUE(idle->read_response());
  auto busy = RawConnection::open(server.port());
  ASSERT_TRUE(busy);
  ASSERT_TRUE(busy->send(
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 7\r\n\r\na=1"));
  std::this_thread::sleep_for(100ms);
  server.server().stop();
  EXPECT_TRUE(idle->closed_within(1000ms));  // idle connections are closed at once
  // New connections are no longer served.
  EXPECT_FALSE(testing::exchange(server.port(), make_request("GET", "/hello"), 500ms));
  ASSERT_TRUE(busy->send("&b=2"));
  const auto response = busy->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(body_json(*response), nlohmann::json({{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(response->header("Connection"), "close");
  busy->close();
  EXPECT_TRUE(server.returned_within(2000ms));
}

TEST_F(ServerTest, StopWithOnlyIdleConnectionsReturnsPromptly) {
  RunningServer server(router_, testing::fast_test_options());
  std::vector<RawConnection> idle;
  for (int i = 0; i < 3; ++i) {
    auto connection = RawConnection::open(server.port());
    ASSERT_TRUE(connection);
    ASSERT_TRUE(connection->send(make_request("GET", "/hello")));
    ASSERT_TRUE(connection->read_response());
    idle.push_back(std::move(*connection));
  }
  const auto took = server.stop_and_time();
  ASSERT_TRUE(took);
  EXPECT_LT(*took, 500ms);
  for (auto& connection : idle) EXPECT_TRUE(connection.closed_within(500ms));
}

TEST_F(ServerTest, StopDeadlineEndsStragglers) {
  auto options = testing::fast_test_options();
  options.shutdown_timeout = 300ms;
  RunningServer server(router_, options);
  auto straggler = RawConnection::open(server.port());
  ASSERT_TRUE(straggler);
  ASSERT_TRUE(straggler->send("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // never finished
  std::this_thread::sleep_for(50ms);
  const auto took = server.stop_and_time();
  ASSERT_TRUE(took);
  EXPECT_GE(*took, 250ms);
  EXPECT_LT(*took, 1500ms);
  EXPECT_TRUE(straggler->closed_within(500ms));
}

TEST_F(ServerTest, SigtermStopsTheServer) {
  RunningServer server(router_, testing::fast_test_options(), /*handle_signals=*/true);
  ASSERT_TRUE(testing::exchange(server.port(), make_request("GET", "/hello")));
  ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
  EXPECT_TRUE(server.returned_within(2000ms));
}

TEST_F(ServerTest, AccessLogHasOneLinePerRequestAndNoSecrets) {
  RunningServer server(router_, testing::fast_test_options());
  const auto response = testing::exchange(
      server.port(),
      make_request("GET", "/hello?code=SECRET&state=x",
                   {"Cookie: sid=SECRETCOOKIE", "Authorization: Bearer SECRETTOKEN"}));
  ASSERT_TRUE(response);
  const auto posted = testing::exchange(
      server.port(),
      make_request("POST", "/echo", {"Content-Type: application/x-www-form-urlencoded"},
                   "password=SECRETPASSWORD"));
  ASSERT_TRUE(posted);
  const std::string log = server.log_after_stop();
  EXPECT_EQ(log.find("SECRET"), std::string::npos) << log;
  std::vector<nlohmann::json> requests;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    auto entry = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << line;
    if (entry["msg"] == "request") requests.push_back(entry);
  }
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0]["method"], "GET");
  EXPECT_EQ(requests[0]["path"], "/hello");
  EXPECT_EQ(requests[0]["status"], 200);
  EXPECT_EQ(requests[0]["bytes"], response->body.size());
  EXPECT_TRUE(requests[0]["duration_ms"].is_number());
  EXPECT_EQ(requests[0]["level"], "info");
  EXPECT_EQ(requests[1]["method"], "POST");
  EXPECT_EQ(requests[1]["path"], "/echo");
}

TEST(ServerListen, FailsWithAMessageOnABadAddressOrABusyPort) {
  const Router router;
  auto log = make_null_logger();
  ServerOptions bad_address;
  bad_address.address = "not-an-address";
  Server first(bad_address, router, *log);
  auto result = first.listen();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("not-an-address"), std::string::npos);

  Server holder(ServerOptions{}, router, *log);
  ASSERT_TRUE(holder.listen().ok());
  ServerOptions same_port;
  same_port.port = holder.port();
  Server second(same_port, router, *log);
  EXPECT_FALSE(second.listen().ok());
}

TEST(ServerListen, FailsWhenTlsFilesAreMissingOrHalfConfigured) {
  const Router router;
  auto log = make_null_logger();
  ServerOptions missing;
  missing.tls_cert_file = "/nonexistent/cert.pem";
  missing.tls_key_file = "/nonexistent/key.pem";
  Server server(missing, router, *log);
  auto result = server.listen();
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error().find("/nonexistent/cert.pem"), std::string::npos);
  ServerOptions half;
  half.tls_cert_file = "/nonexistent/cert.pem";
  Server half_server(half, router, *log);
  EXPECT_FALSE(half_server.listen().ok());
}

TEST(ServerRun, ReturnsAtOnceWhenNotListening) {
  const Router router;
  auto log = make_null_logger();
  Server server(ServerOptions{}, router, *log);
  server.run();
  EXPECT_EQ(server.port(), 0);
}

// A write left to a group commit (decision 28) holds its answer back until the commit: the
// handler's PendingCommit is settled before the response goes out, and a failed commit turns
// the answer into 503 temporarily_unavailable.
class FakeCommit final : public PendingCommit {
 public:
  explicit FakeCommit(bool outcome) : outcome_(outcome) {}
  bool settle() override {
    ++settled;
    return outcome_;
  }
  std::atomic<int> settled{0};

 private:
  bool outcome_;
};

TEST_F(ServerTest, AnAnswerWaitsForTheCommitItsHandlerDeferred) {
  auto committed = std::make_shared<FakeCommit>(true);
  auto failed = std::make_shared<FakeCommit>(false);
  Router router;
  const auto deferring = [](std::shared_ptr<FakeCommit> commit) {
    return [commit](const Request&) {
      if (!CommitDeferral::active()) return Response::text(200, "no deferral");
      CommitDeferral::hand_over(commit);
      return Response::text(200, "written");
    };
  };
  router.add(Method::get, "/committed", deferring(committed));
  router.add(Method::get, "/failed", deferring(failed));
  router.add(Method::get, "/offloaded", deferring(committed), RouteOptions{.offload = true});
  RunningServer server(router, testing::fast_test_options());

  const auto ok = testing::exchange(server.port(), make_request("GET", "/committed"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body, "written");
  EXPECT_EQ(committed->settled.load(), 1);

  const auto lost = testing::exchange(server.port(), make_request("GET", "/failed"));
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->status, 503);
  EXPECT_EQ(body_json(*lost).value("error", ""), "temporarily_unavailable");
  EXPECT_EQ(failed->settled.load(), 1);

  // A worker thread's caller cannot hold the answer back that way: its writes commit alone.
  const auto offloaded = testing::exchange(server.port(), make_request("GET", "/offloaded"));
  ASSERT_TRUE(offloaded);
  EXPECT_EQ(offloaded->body, "no deferral");
  EXPECT_EQ(committed->settled.load(), 1);
}

}  // namespace
}  // namespace latchkey::http
