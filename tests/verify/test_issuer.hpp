#pragma once
// A fake issuer for the verify tests: an in-process Server on 127.0.0.1 serving a JWKS that the
// test can rotate, counting the fetches, plus helpers that sign access tokens with its keys.

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "core/clock.hpp"
#include "http/router.hpp"
#include "http/test_server.hpp"
#include "jose/jws.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"

namespace latchkey::verify::testing {

/// A fixed instant, so tokens and the ManualClock agree.
inline const TimePoint kStart = from_unix_seconds(1'800'000'000);
inline constexpr std::string_view kAudience = "https://api.test/";

class FakeIssuer {
 public:
  FakeIssuer() : server_(make_router(), latchkey::testing::fast_test_options()) {}

  /// "http://127.0.0.1:<port>/", as latchkey writes issuers (with the trailing slash).
  [[nodiscard]] std::string issuer() const {
    return "http://127.0.0.1:" + std::to_string(server_.port()) + "/";
  }

  /// Publishes exactly these keys from now on.
  void publish(const std::vector<jose::SigningKey>& keys) {
    jose::KeySet set;
    for (const auto& key : keys) set.add(key.public_key());
    const std::lock_guard lock(mutex_);
    jwks_ = set.to_jwks().dump();
  }
  void set_cache_control(std::string value) {
    const std::lock_guard lock(mutex_);
    cache_control_ = std::move(value);
  }
  void set_status(int status) { status_ = status; }

  /// How many times the JWKS was requested.
  [[nodiscard]] int fetches() const { return fetches_.load(); }

  /// Access-token claims valid at kStart for kAudience, with `scope`.
  [[nodiscard]] nlohmann::json claims(const std::string& scope = "read:messages") const {
    const auto now = to_unix_seconds(kStart);
    return {{"iss", issuer()},  {"sub", "auth0|alice"}, {"aud", kAudience},  {"iat", now},
            {"exp", now + 600}, {"scope", scope},       {"client_id", "app"}};
  }

  /// A token signed by `key` with typ at+jwt (RFC 9068 §2.1) unless `header` says otherwise.
  [[nodiscard]] static std::string sign(const jose::SigningKey& key, const nlohmann::json& claims,
                                        nlohmann::json header = {{"typ", "at+jwt"}}) {
    return jose::sign_json(header, claims, key);
  }

 private:
  http::Router& make_router() {
    router_.add(http::Method::get, "/.well-known/jwks.json", [this](const http::Request&) {
      fetches_.fetch_add(1);
      const std::lock_guard lock(mutex_);
      auto response = http::Response::json(status_.load(), nlohmann::json::parse(jwks_));
      if (!cache_control_.empty()) response.set_header("Cache-Control", cache_control_);
      return response;
    });
    return router_;
  }

  http::Router router_;
  mutable std::mutex mutex_;
  std::string jwks_ = R"({"keys":[]})";
  std::string cache_control_;
  std::atomic<int> status_{200};
  std::atomic<int> fetches_{0};
  latchkey::testing::RunningServer server_;
};

}  // namespace latchkey::verify::testing
