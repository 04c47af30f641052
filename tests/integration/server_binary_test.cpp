// The HTTP server as users meet it: the real binary, real sockets, one 127.0.0.1 port each.
#include <gtest/gtest.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "http/raw_client.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

class ServerBinary : public ::testing::Test {
 protected:
  void start(const std::vector<std::string>& args = {}) {
    server_ = std::make_unique<ServerProcess>(dir_.path(), args);
  }
  std::uint16_t port() const { return server_->port(); }
  std::optional<RawResponse> get(const std::string& target,
                                 const std::vector<std::string>& headers = {}) {
    return exchange(port(), make_request("GET", target, headers));
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerBinary, HealthzAndReadyzAnswer200) {
  start();
  const auto health = get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_EQ(nlohmann::json::parse(health->body)["status"], "ok");
  const auto ready = get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(nlohmann::json::parse(ready->body)["store"], "ok");
}

TEST_F(ServerBinary, EveryResponseCarriesTheSecurityHeaders) {
  start();
  for (const char* target : {"/healthz", "/nowhere"}) {
    const auto r = get(target);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->header("X-Content-Type-Options"), "nosniff") << target;
    EXPECT_EQ(r->header("Referrer-Policy"), "no-referrer") << target;
    EXPECT_FALSE(r->header("Strict-Transport-Security")) << "HSTS only over TLS";
  }
}

TEST_F(ServerBinary, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  start();
  const auto missing = get("/nowhere");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  const auto wrong = exchange(port(), make_request("POST", "/healthz", {}, "x=1"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 405);
  ASSERT_TRUE(wrong->header("Allow"));
  EXPECT_NE(wrong->header("Allow")->find("GET"), std::string::npos);
}

TEST_F(ServerBinary, MalformedPercentEncodingIs400) {
  start();
  for (const char* target : {"/healthz?x=%zz", "/health%2", "/healthz?a=%"}) {
    const auto r = get(target);
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(nlohmann::json::parse(r->body)["error"], "invalid_request") << target;
  }
}

TEST_F(ServerBinary, OversizedHeaderIs431) {
  start();
  const auto r = get("/healthz", {"X-Big: " + std::string(17 * 1024, 'a')});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

TEST_F(ServerBinary, OversizedBodyIs413) {
  start();
  const auto r = exchange(port(), make_request("GET", "/healthz", {}, std::string(70000, 'b')));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // The limit is configurable.
  server_.reset();
  start({"--body-limit", "1024"});
  const auto small = exchange(port(), make_request("GET", "/healthz", {}, std::string(2000, 'b')));
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 413);
}

TEST_F(ServerBinary, AClientThatStallsHalfwayIsCutOff) {
  start({"--header-timeout-ms", "300"});
  auto conn = RawConnection::open(port());
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
  EXPECT_TRUE(conn->closed_within(std::chrono::seconds(3)));
  // The server is still serving others.
  const auto r = get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(ServerBinary, PipelinedRequestsAreAnsweredInOrder) {
  start();
  auto conn = RawConnection::open(port());
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->send(make_request("GET", "/healthz") + make_request("GET", "/nowhere") +
                         make_request("GET", "/readyz")));
  const auto a = conn->read_response();
  const auto b = conn->read_response();
  const auto c = conn->read_response();
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(b->status, 404);
  EXPECT_EQ(c->status, 200);
  EXPECT_EQ(nlohmann::json::parse(c->body)["store"], "ok");
}

TEST_F(ServerBinary, SigtermAnswersTheRequestInFlightThenExitsZero) {
  start();
  auto conn = RawConnection::open(port());
  ASSERT_TRUE(conn);
  ASSERT_TRUE(conn->send("GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_EQ(kill(server_->pid(), SIGTERM), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ASSERT_TRUE(conn->send("world"));
  const auto r = conn->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_EQ(server_->stop(SIGTERM), 0) << server_->log();
  EXPECT_NE(server_->log().find("\"msg\":\"stopped\""), std::string::npos) << server_->log();
}

TEST_F(ServerBinary, SigintAlsoStopsGracefully) {
  start();
  EXPECT_EQ(server_->stop(SIGINT), 0) << server_->log();
}

TEST_F(ServerBinary, AccessLogHasOneJsonLinePerRequestWithoutTheQuery) {
  start();
  ASSERT_TRUE(get("/healthz?code=SECRET-CODE-123&state=xyz"));
  ASSERT_TRUE(get("/nowhere", {"Cookie: session=SECRET-COOKIE-456"}));
  server_->stop(SIGTERM);
  const std::string log = server_->log();
  EXPECT_EQ(log.find("SECRET-CODE-123"), std::string::npos) << log;
  EXPECT_EQ(log.find("SECRET-COOKIE-456"), std::string::npos) << log;
  int requests = 0;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    const auto json = nlohmann::json::parse(line, nullptr, false);
    ASSERT_TRUE(json.is_object()) << "not a JSON line: " << line;
    if (json.value("msg", "") != "request") continue;
    ++requests;
    EXPECT_TRUE(json.contains("method") && json.contains("status") && json.contains("bytes") &&
                json.contains("duration_ms"))
        << line;
    EXPECT_EQ(json["path"].get<std::string>().find('?'), std::string::npos) << line;
  }
  EXPECT_EQ(requests, 2);
}

TEST_F(ServerBinary, ConnectionsBeyondTheMaximumAreRefused) {
  start({"--max-connections", "2"});
  auto a = RawConnection::open(port());
  auto b = RawConnection::open(port());
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->send(make_request("GET", "/healthz")));
  ASSERT_TRUE(a->read_response());
  ASSERT_TRUE(b->send(make_request("GET", "/healthz")));
  ASSERT_TRUE(b->read_response());
  auto c = RawConnection::open(port());
  ASSERT_TRUE(c);
  c->send(make_request("GET", "/healthz"));
  const auto refused = c->read_until_close(std::chrono::seconds(3));
  ASSERT_TRUE(refused) << "the third connection was kept open";
  EXPECT_EQ(refused->find("HTTP/1.1 200"), std::string::npos) << *refused;
}

TEST_F(ServerBinary, BadSettingsStopTheStartWithAMessageNamingThem) {
  const auto r = run_process({latchkey_binary(), "serve", "--data-dir", dir_.path().string(),
                              "--listen", "127.0.0.1:0", "--issuer", "http://auth.example.com"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("issuer"), std::string::npos) << r.err;
  const auto listen = run_process(
      {latchkey_binary(), "serve", "--data-dir", dir_.path().string(), "--listen", "nonsense"});
  EXPECT_NE(listen.exit_code, 0);
  EXPECT_NE(listen.err.find("listen"), std::string::npos) << listen.err;
}

}  // namespace
}  // namespace latchkey::testing
