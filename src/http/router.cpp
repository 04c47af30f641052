#include "http/router.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <stdexcept>

#include "http/errors.hpp"

namespace latchkey::http {
namespace {

std::vector<std::string_view> split_segments(std::string_view path) {
  std::vector<std::string_view> segments;
  std::size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return segments;
}

bool is_param_segment(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool is_pattern(std::string_view path) { return path.find('{') != std::string_view::npos; }

// Matches `path` against a route pattern, returning the `{name}` values, or nullopt.
std::optional<Params> match_pattern(std::string_view pattern, std::string_view path) {
  if (!path.starts_with('/')) return std::nullopt;
  const auto want = split_segments(pattern);
  const auto have = split_segments(path);
  if (want.size() != have.size()) return std::nullopt;
  Params params;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (is_param_segment(want[i]) && !have[i].empty()) {
      params.add(std::string(want[i].substr(1, want[i].size() - 2)), std::string(have[i]));
    } else if (want[i] != have[i]) {
      return std::nullopt;
    }
  }
  return params;
}

std::string allow_header(const std::vector<const Route*>& candidates) {
  std::vector<std::string_view> methods;
  auto push = [&methods](std::string_view name) {
    if (std::find(methods.begin(), methods.end(), name) == methods.end()) methods.push_back(name);
  };
  for (const Route* route : candidates) {
    push(method_name(route->method));
    if (route->method == Method::get) push(method_name(Method::head));
  }
  std::string allow;
  for (const auto name : methods) allow += (allow.empty() ? "" : ", ") + std::string(name);
  return allow;
}

}  // namespace

void Router::add(Method method, std::string path, Handler handler, RouteOptions options) {
  if (!path.starts_with('/') || method == Method::other || !handler) {
    throw std::invalid_argument("route needs a path starting with '/', a known method, a handler");
  }
  for (const auto& route : routes_) {
    if (route.method == method && route.path == path) {
      throw std::invalid_argument("duplicate route: " + path);
    }
  }
  routes_.push_back(Route{method, std::move(path), std::move(handler), options});
}

RouteMatch Router::match(Method method, std::string_view path) const {
  // Literal routes first, so "/users/me" wins over "/users/{id}".
  std::vector<const Route*> candidates;
  std::vector<Params> params;
  for (const bool patterns : {false, true}) {
    for (const auto& route : routes_) {
      if (is_pattern(route.path) != patterns) continue;
      auto found = patterns ? match_pattern(route.path, path)
                            : (route.path == path ? std::optional<Params>(Params{}) : std::nullopt);
      if (!found) continue;
      candidates.push_back(&route);
      params.push_back(std::move(*found));
    }
    if (!candidates.empty()) break;
  }
  if (candidates.empty()) return RouteMatch{nullptr, {}, not_found()};
  for (const Method wanted : {method, Method::get}) {
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (candidates[i]->method == wanted)
        return RouteMatch{candidates[i], std::move(params[i]), {}};
    }
    if (method != Method::head) break;  // only HEAD falls back to GET
  }
  return RouteMatch{nullptr, {}, method_not_allowed(allow_header(candidates))};
}

Response invoke_handler(const Route& route, const Request& request, Logger& log) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    log_event(log, LogLevel::err, "handler_exception",
              {{"method", request.method_text}, {"path", request.path}, {"error", e.what()}});
  } catch (...) {
    log_event(log, LogLevel::err, "handler_exception",
              {{"method", request.method_text}, {"path", request.path}, {"error", "unknown"}});
  }
  return server_error();
}

}  // namespace latchkey::http
