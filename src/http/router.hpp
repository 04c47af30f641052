#pragma once
// Maps (method, path) to a handler. Paths match exactly, segment by segment; a `{name}` segment
// matches any one non-empty segment and its value lands in Request::path_params. A literal route
// wins over a pattern route for the same path.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "http/form.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace latchkey::http {

using Handler = std::function<Response(const Request&)>;

struct RouteOptions {
  /// Run on the server's bounded worker pool instead of the I/O thread (password hashing, rules).
  bool offload = false;
  /// Asked per request when `offload` is false: true sends this request to the worker pool
  /// (e.g. only while some rule is enabled). Must be cheap and must not throw.
  std::function<bool(const Request&)> offload_when{};
};

/// Whether `request`, for a route with these options, runs on the worker pool.
[[nodiscard]] inline bool should_offload(const RouteOptions& options, const Request& request) {
  return options.offload || (options.offload_when && options.offload_when(request));
}

struct Route {
  Method method = Method::get;
  std::string path;
  Handler handler;
  RouteOptions options;
};

/// The outcome of Router::match: a route (and its path parameters), or the 404/405 to send.
struct RouteMatch {
  const Route* route = nullptr;  ///< null when `response` holds the 404 or 405
  Params path_params;
  Response response;
};

class Router {
 public:
  /// Registers a route. `path` must start with '/'. Throws std::invalid_argument on a bad path or
  /// a duplicate (method, path): both are start-up bugs.
  void add(Method method, std::string path, Handler handler, RouteOptions options = {});

  /// Finds the route for (method, decoded path). HEAD falls back to the GET route. No route for
  /// the path gives 404; a route for the path but not the method gives 405 with Allow.
  [[nodiscard]] RouteMatch match(Method method, std::string_view path) const;

 private:
  std::vector<Route> routes_;
};

/// Calls the route's handler. An exception escaping it is a bug: it is logged at error level
/// (its text, never the request) and answered with a bare 500 server_error.
[[nodiscard]] Response invoke_handler(const Route& route, const Request& request, Logger& log);

}  // namespace latchkey::http
