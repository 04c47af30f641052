#pragma once
// A small blocking HTTP/1.1 client for the few outbound calls latchkey's libraries and examples
// make (JWKS fetches, a web app's token exchange, an API call). One connection per request,
// `Connection: close`, http and https (certificates verified), every step bounded by one timeout.
// Beast-free header; the Beast code lives in client.cpp (target latchkey_http_client).

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "http/form.hpp"
#include "http/headers.hpp"
#include "http/request.hpp"

namespace latchkey::http {

struct ClientOptions {
  /// Connecting, the TLS handshake, writing the request and reading the whole response,
  /// together. A request that takes longer fails with a timeout error.
  std::chrono::milliseconds timeout{5000};
  /// Response bodies larger than this fail (a JWKS or a token response is a few KiB).
  std::size_t body_limit = 1024 * 1024;
  /// PEM bundle of trusted CAs for https; nullopt uses the system's default paths.
  std::optional<std::string> ca_file;
};

struct ClientRequest {
  Method method = Method::get;
  std::string url;  ///< absolute http:// or https:// URL, with query
  Headers headers;  ///< Host, Content-Length and Connection are set by the client
  std::string body;
};

struct ClientResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

/// Why a request got no response. `message` is safe to log: it never holds the URL's query,
/// a header value or a body.
struct ClientError {
  enum class Kind { bad_url, resolve, connect, tls, timeout, protocol, too_large };
  Kind kind = Kind::protocol;
  std::string message;
};

class Client {
 public:
  explicit Client(ClientOptions options = {});

  /// Sends one request and reads the whole response. Any status is a response (a 401 is not an
  /// error here); only transport failures, a malformed response or a body over the limit fail.
  [[nodiscard]] Result<ClientResponse, ClientError> send(const ClientRequest& request) const;

  /// GET `url` with `headers`.
  [[nodiscard]] Result<ClientResponse, ClientError> get(const std::string& url,
                                                        Headers headers = {}) const;

  /// POST `form` as application/x-www-form-urlencoded to `url`, with `headers`.
  [[nodiscard]] Result<ClientResponse, ClientError> post_form(const std::string& url,
                                                              const Params& form,
                                                              Headers headers = {}) const;

 private:
  ClientOptions options_;
};

}  // namespace latchkey::http
