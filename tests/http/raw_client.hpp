#pragma once
// A tiny blocking HTTP/1.1 test client over POSIX sockets: connect to 127.0.0.1:port, send raw
// bytes, read whole responses or wait for the peer to close, all with timeouts. It parses only
// what tests need (status, headers, Content-Length / chunked / until-close bodies). Self-contained
// (no Beast, no latchkey types) so integration tests against the real binary can reuse it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace latchkey::testing {

using namespace std::chrono_literals;

struct RawResponse {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  ///< in order, names as sent
  std::string body;                                          ///< de-chunked

  /// The first value of header `name` (case-insensitive).
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// Number of fields called `name` (case-insensitive).
  [[nodiscard]] std::size_t header_count(std::string_view name) const;
};

/// Parses one response at the start of `data`. Returns it and the bytes it used, or nullopt when
/// `data` does not (yet) hold a complete response. With `at_eof`, a body without Content-Length
/// or chunking ends at the end of `data`. With `no_body` (a HEAD response) the body is empty
/// whatever Content-Length says.
[[nodiscard]] std::optional<std::pair<RawResponse, std::size_t>> parse_response(
    std::string_view data, bool at_eof = false, bool no_body = false);

/// One TCP connection. Every blocking call has a timeout; none throws.
class RawConnection {
 public:
  /// Connects to host:port (IPv4 literal). nullopt when the connection fails or times out.
  /// A non-empty `source` (IPv4 literal, e.g. "127.0.0.2") binds the local end first, so a
  /// server on loopback sees that remote address.
  [[nodiscard]] static std::optional<RawConnection> open(std::uint16_t port,
                                                         std::chrono::milliseconds timeout = 2s,
                                                         const std::string& host = "127.0.0.1",
                                                         const std::string& source = "");
  RawConnection(RawConnection&& other) noexcept;
  RawConnection& operator=(RawConnection&& other) noexcept;
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  ~RawConnection();

  /// Sends all bytes; false when the peer is gone or the send times out.
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = 2s);
  /// Reads the next response (pipelined ones in order). nullopt on timeout or when the peer
  /// closes before a whole response arrived.
  [[nodiscard]] std::optional<RawResponse> read_response(std::chrono::milliseconds timeout = 5s,
                                                         bool no_body = false);
  /// Reads until the peer closes (EOF or reset) and returns everything unread; nullopt if the
  /// connection is still open after `timeout`.
  [[nodiscard]] std::optional<std::string> read_until_close(std::chrono::milliseconds timeout);
  /// True when the peer closes within `timeout` (any unread bytes are kept for later reads).
  [[nodiscard]] bool closed_within(std::chrono::milliseconds timeout);
  /// Half-closes the sending side (the server sees end of stream).
  void shutdown_send();
  void close();
  [[nodiscard]] int fd() const { return fd_; }

 private:
  explicit RawConnection(int fd) : fd_(fd) {}
  // Reads more into pending_; false on timeout, EOF or error (then eof_ is set on EOF/error).
  bool fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string pending_;
};

/// A minimal request: `<method> <target> HTTP/1.1`, Host, the extra header lines (each without
/// CRLF) and, with a body, Content-Length.
[[nodiscard]] std::string make_request(std::string_view method, std::string_view target,
                                       const std::vector<std::string>& headers = {},
                                       std::string_view body = {});

/// Opens a connection (from `source` when not empty), sends `request`, reads one response,
/// closes.
[[nodiscard]] std::optional<RawResponse> exchange(std::uint16_t port, std::string_view request,
                                                  std::chrono::milliseconds timeout = 5s,
                                                  const std::string& source = "");

}  // namespace latchkey::testing
