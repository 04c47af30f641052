// A response as it goes on the wire: the head the transport writes before the body.
#include <gtest/gtest.h>

#include "http/detail/beast_message.hpp"

namespace latchkey::http::detail {
namespace {

Response example(int status, std::string body) {
  Response response;
  response.status = status;
  response.headers.add("Content-Type", "text/plain");
  response.headers.add("Set-Cookie", "a=1");
  response.headers.add("Set-Cookie", "b=2");
  response.body = std::move(body);
  return response;
}

TEST(WireResponse, HeadHasTheStatusLineFieldsInOrderAndTheLength) {
  const auto wire = to_wire(example(200, "hello"), 11, true, false);
  EXPECT_EQ(wire.head,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
            "Content-Length: 5\r\n\r\n");
  EXPECT_EQ(wire.body, "hello");
}

TEST(WireResponse, ConnectionIsCloseOn11AndKeepAliveOn10WhenAsked) {
  EXPECT_EQ(to_wire(example(302, ""), 11, false, false).head,
            "HTTP/1.1 302 Found\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  EXPECT_NE(to_wire(example(200, ""), 10, true, false).head.find("\r\nConnection: keep-alive\r\n"),
            std::string::npos);
  const auto closing = to_wire(example(200, ""), 10, false, false).head;
  EXPECT_EQ(closing.rfind("HTTP/1.0 200 OK\r\n", 0), 0u);
  EXPECT_EQ(closing.find("Connection:"), std::string::npos);
}

TEST(WireResponse, HeadRequestGetsTheLengthButNoBody) {
  const auto wire = to_wire(example(200, "hello"), 11, true, true);
  EXPECT_NE(wire.head.find("\r\nContent-Length: 5\r\n"), std::string::npos);
  EXPECT_TRUE(wire.body.empty());
}

TEST(WireResponse, NoContentAndNotModifiedCarryNoLengthAndNoBody) {
  for (const int status : {204, 304}) {
    const auto wire = to_wire(example(status, "ignored"), 11, true, false);
    EXPECT_EQ(wire.head.find("Content-Length"), std::string::npos) << status;
    EXPECT_TRUE(wire.body.empty()) << status;
  }
  EXPECT_EQ(to_wire(example(204, ""), 11, true, false).head.rfind("HTTP/1.1 204 No Content\r\n", 0),
            0u);
}

}  // namespace
}  // namespace latchkey::http::detail
