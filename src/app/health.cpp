#include "app/health.hpp"

namespace latchkey::app {

http::Response healthz(const http::Request&) {
  return http::Response::json(200, {{"status", "ok"}}).set_header("Cache-Control", "no-store");
}

http::Response readyz(store::Store& store) {
  if (!store.ping()) {
    return http::Response::json(503, {{"status", "unavailable"}, {"store", "unreachable"}})
        .set_header("Cache-Control", "no-store");
  }
  return http::Response::json(200, {{"status", "ok"}, {"store", "ok"}})
      .set_header("Cache-Control", "no-store");
}

}  // namespace latchkey::app
