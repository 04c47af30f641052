#include "http/raw_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

namespace latchkey::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int remaining_ms(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return static_cast<int>(std::max<std::chrono::milliseconds::rep>(0, left.count()));
}

// Parses "HTTP/1.1 200 OK\r\nName: value\r\n..." (without the blank line).
std::optional<RawResponse> parse_head(std::string_view head) {
  RawResponse response;
  const std::size_t line_end = head.find("\r\n");
  const std::string_view status_line = head.substr(0, line_end);
  if (!status_line.starts_with("HTTP/1.") || status_line.size() < 12) return std::nullopt;
  const std::string_view code = status_line.substr(9, 3);
  if (std::from_chars(code.data(), code.data() + code.size(), response.status).ec != std::errc()) {
    return std::nullopt;
  }
  response.reason = std::string(trim(status_line.substr(12)));
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t end = rest.find("\r\n");
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? "" : rest.substr(end + 2);
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    response.headers.emplace_back(std::string(line.substr(0, colon)),
                                  std::string(trim(line.substr(colon + 1))));
  }
  return response;
}

// De-chunks `data`; returns the body and the bytes used, or nullopt when incomplete.
std::optional<std::pair<std::string, std::size_t>> parse_chunked(std::string_view data) {
  std::string body;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t line_end = data.find("\r\n", pos);
    if (line_end == std::string_view::npos) return std::nullopt;
    std::size_t size = 0;
    const char* first = data.data() + pos;
    if (std::from_chars(first, data.data() + line_end, size, 16).ptr == first) return std::nullopt;
    pos = line_end + 2;
    if (size == 0) {
      const std::size_t trailer_end = data.find("\r\n", pos);  // no trailers expected
      if (trailer_end == std::string_view::npos) return std::nullopt;
      return std::make_pair(body, trailer_end + 2);
    }
    if (data.size() < pos + size + 2) return std::nullopt;
    body.append(data.substr(pos, size));
    pos += size + 2;
  }
}

}  // namespace

std::optional<std::string> RawResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (iequal(key, name)) return value;
  }
  return std::nullopt;
}

std::size_t RawResponse::header_count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(headers.begin(), headers.end(),
                    [name](const auto& field) { return iequal(field.first, name); }));
}

std::optional<std::pair<RawResponse, std::size_t>> parse_response(std::string_view data,
                                                                  bool at_eof, bool no_body) {
  const std::size_t head_end = data.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return std::nullopt;
  auto response = parse_head(data.substr(0, head_end));
  if (!response) return std::nullopt;
  const std::size_t body_start = head_end + 4;
  const std::string_view rest = data.substr(body_start);
  const bool bodiless =
      no_body || response->status == 204 || response->status == 304 || response->status / 100 == 1;
  if (bodiless) return std::make_pair(std::move(*response), body_start);
  const auto encoding = response->header("Transfer-Encoding");
  if (encoding && iequal(*encoding, "chunked")) {
    auto chunked = parse_chunked(rest);
    if (!chunked) return std::nullopt;
    response->body = std::move(chunked->first);
    return std::make_pair(std::move(*response), body_start + chunked->second);
  }
  if (const auto length = response->header("Content-Length")) {
    std::size_t size = 0;
    std::from_chars(length->data(), length->data() + length->size(), size);
    if (rest.size() < size) return std::nullopt;
    response->body = std::string(rest.substr(0, size));
    return std::make_pair(std::move(*response), body_start + size);
  }
  if (!at_eof) return std::nullopt;
  response->body = std::string(rest);
  return std::make_pair(std::move(*response), data.size());
}

std::optional<RawConnection> RawConnection::open(std::uint16_t port,
                                                 std::chrono::milliseconds timeout,
                                                 const std::string& host,
                                                 const std::string& source) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return std::nullopt;
  RawConnection connection(fd);
  if (!source.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = 0;
    if (::inet_pton(AF_INET, source.c_str(), &local.sin_addr) != 1) return std::nullopt;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      return std::nullopt;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) return std::nullopt;
  const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  if (rc != 0 && errno != EINPROGRESS) return std::nullopt;
  pollfd pfd{fd, POLLOUT, 0};
  if (rc != 0 && ::poll(&pfd, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    return std::nullopt;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return connection;
}

RawConnection::RawConnection(RawConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), eof_(other.eof_), pending_(std::move(other.pending_)) {}

RawConnection& RawConnection::operator=(RawConnection&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    eof_ = other.eof_;
    pending_ = std::move(other.pending_);
  }
  return *this;
}

RawConnection::~RawConnection() { close(); }

void RawConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void RawConnection::shutdown_send() {
  if (fd_ >= 0) ::shutdown(fd_, SHUT_WR);
}

bool RawConnection::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return false;
    pollfd pfd{fd_, POLLOUT, 0};
    if (::poll(&pfd, 1, remaining_ms(deadline)) != 1) return false;
  }
  return true;
}

bool RawConnection::fill(SteadyClock::time_point deadline) {
  if (eof_ || fd_ < 0) return false;
  for (;;) {
    char chunk[16384];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n > 0) {
      pending_.append(chunk, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      eof_ = true;  // orderly close, or a reset
      return false;
    }
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, remaining_ms(deadline)) != 1) return false;
  }
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds timeout,
                                                        bool no_body) {
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (auto parsed = parse_response(pending_, eof_, no_body)) {
      pending_.erase(0, parsed->second);
      return std::move(parsed->first);
    }
    if (eof_) return std::nullopt;                      // closed before a whole response
    if (!fill(deadline) && !eof_) return std::nullopt;  // timed out
  }
}

std::optional<std::string> RawConnection::read_until_close(std::chrono::milliseconds timeout) {
  if (!closed_within(timeout)) return std::nullopt;
  return std::exchange(pending_, std::string());
}

bool RawConnection::closed_within(std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!eof_) {
    if (!fill(deadline) && !eof_) return false;
  }
  return true;
}

std::string make_request(std::string_view method, std::string_view target,
                         const std::vector<std::string>& headers, std::string_view body) {
  std::string out = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  out += "Host: 127.0.0.1\r\n";
  for (const auto& header : headers) out += header + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  out += "\r\n";
  out += body;
  return out;
}

std::optional<RawResponse> exchange(std::uint16_t port, std::string_view request,
                                    std::chrono::milliseconds timeout, const std::string& source) {
  auto connection = RawConnection::open(port, timeout, "127.0.0.1", source);
  if (!connection || !connection->send(request, timeout)) return std::nullopt;
  return connection->read_response(timeout);
}

}  // namespace latchkey::testing
