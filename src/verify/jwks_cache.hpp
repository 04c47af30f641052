#pragma once
// The issuer's signing keys as a resource server sees them: a JWK Set (RFC 7517 §5) fetched from
// the issuer's jwks_uri, cached for its HTTP max-age, fetched again when a token names a key the
// set does not hold (the issuer rotated), but never more often than a minimum interval, so that a
// flood of tokens with made-up kids cannot make the API hammer the issuer.

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "http/client.hpp"
#include "jose/key_set.hpp"

namespace latchkey::verify {

struct JwksCacheOptions {
  /// How long a fetched set is fresh when the response has no Cache-Control max-age.
  std::chrono::seconds default_max_age{600};
  /// An upper bound on a response's max-age, so a rotation is noticed within a day at worst.
  std::chrono::seconds max_max_age{24 * 3600};
  /// At most one fetch per this interval, whatever triggers it (expiry, unknown kid, failure).
  std::chrono::seconds min_refetch_interval{30};
  /// Timeout, body limit and trusted CAs of the fetch.
  http::ClientOptions http;
};

using KeySetPtr = std::shared_ptr<const jose::KeySet>;

/// Thread-safe: many request threads may ask at once; only one of them fetches.
class JwksCache {
 public:
  /// `url` is the issuer's jwks_uri. The clock must outlive the cache. Nothing is fetched yet.
  JwksCache(std::string url, JwksCacheOptions options, const Clock& clock);

  /// The cached set while fresh; otherwise fetches it (at most once per min_refetch_interval).
  /// When a fetch fails the last good set is kept and returned. Fails (with a message safe to
  /// log) only when no set was ever fetched.
  [[nodiscard]] Result<KeySetPtr, std::string> keys();

  /// Like keys(), but fetches again when the cached set has no key `kid` (a token signed after
  /// a rotation), unless the last fetch was within min_refetch_interval.
  [[nodiscard]] Result<KeySetPtr, std::string> keys_with(std::string_view kid);

  /// How many fetches were attempted (for metrics and tests).
  [[nodiscard]] std::size_t fetch_count() const;

  [[nodiscard]] const std::string& url() const { return url_; }

 private:
  struct Snapshot {
    KeySetPtr keys;
    bool fresh = false;
    bool may_fetch = false;
  };
  [[nodiscard]] Snapshot snapshot() const;
  [[nodiscard]] Result<KeySetPtr, std::string> refresh(std::string_view wanted_kid);
  [[nodiscard]] Result<KeySetPtr, std::string> fetch();

  const std::string url_;
  const JwksCacheOptions options_;
  const http::Client client_;
  const Clock& clock_;
  std::mutex fetch_mutex_;    // one fetch at a time; never held while mutex_ is wanted by a fetch
  mutable std::mutex mutex_;  // guards the fields below
  KeySetPtr keys_;
  TimePoint expires_at_{};
  std::optional<TimePoint> last_attempt_;
  std::string last_error_;
  std::size_t fetch_count_ = 0;
};

/// The lifetime a JWKS response grants through Cache-Control (RFC 9111 §5.2.2.1 max-age;
/// no-store and no-cache mean zero), capped at `cap`; `fallback` when it says nothing.
[[nodiscard]] std::chrono::seconds cache_lifetime(std::optional<std::string_view> cache_control,
                                                  std::chrono::seconds fallback,
                                                  std::chrono::seconds cap);

}  // namespace latchkey::verify
