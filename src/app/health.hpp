#pragma once
// GET /healthz (the process is alive) and GET /readyz (the store answers).

#include "http/request.hpp"
#include "http/response.hpp"
#include "store/store.hpp"

namespace latchkey::app {

[[nodiscard]] http::Response healthz(const http::Request& request);
[[nodiscard]] http::Response readyz(store::Store& store);

}  // namespace latchkey::app
