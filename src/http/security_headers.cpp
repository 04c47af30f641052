#include "http/security_headers.hpp"

#include <string>

namespace latchkey::http {
namespace {

constexpr std::string_view kFrameAncestorsNone = "frame-ancestors 'none'";

void add_frame_ancestors(Response& response) {
  const auto existing = response.headers.get("Content-Security-Policy");
  if (!existing) {
    response.set_header("Content-Security-Policy", kFrameAncestorsNone);
    return;
  }
  if (existing->find("frame-ancestors") != std::string_view::npos) return;  // handler decided
  std::string policy(*existing);
  while (!policy.empty() && (policy.back() == ' ' || policy.back() == ';')) policy.pop_back();
  policy +=
      policy.empty() ? std::string(kFrameAncestorsNone) : "; " + std::string(kFrameAncestorsNone);
  response.set_header("Content-Security-Policy", policy);
}

}  // namespace

void apply_security_headers(Response& response, bool secure) {
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Referrer-Policy", "no-referrer");
  if (response.is_html()) {
    response.set_header("X-Frame-Options", "DENY");
    add_frame_ancestors(response);
  }
  if (secure) response.set_header("Strict-Transport-Security", "max-age=31536000");
}

}  // namespace latchkey::http
