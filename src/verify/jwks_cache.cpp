#include "verify/jwks_cache.hpp"

#include <charconv>
#include <utility>

#include "http/headers.hpp"

namespace latchkey::verify {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

/// The seconds of a `max-age=N` directive (N optionally quoted); nullopt when malformed.
std::optional<long long> max_age_value(std::string_view value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error != std::errc() || end != value.data() + value.size() || seconds < 0) {
    return std::nullopt;
  }
  return seconds;
}

}  // namespace

std::chrono::seconds cache_lifetime(std::optional<std::string_view> cache_control,
                                    std::chrono::seconds fallback, std::chrono::seconds cap) {
  if (!cache_control) return std::min(fallback, cap);
  std::optional<std::chrono::seconds> lifetime;
  std::string_view rest = *cache_control;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const auto directive = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (http::iequals(directive, "no-store") || http::iequals(directive, "no-cache")) {
      return std::chrono::seconds(0);
    }
    constexpr std::string_view kMaxAge = "max-age=";
    if (directive.size() > kMaxAge.size() &&
        http::iequals(directive.substr(0, kMaxAge.size()), kMaxAge)) {
      if (auto seconds = max_age_value(directive.substr(kMaxAge.size()))) {
        lifetime = std::chrono::seconds(std::min<long long>(*seconds, cap.count()));
      }
    }
  }
  return std::min(lifetime.value_or(fallback), cap);
}

JwksCache::JwksCache(std::string url, JwksCacheOptions options, const Clock& clock)
    : url_(std::move(url)), options_(std::move(options)), client_(options_.http), clock_(clock) {}

Result<KeySetPtr, std::string> JwksCache::keys() {
  const Snapshot now = snapshot();
  if (now.fresh) return now.keys;
  return refresh({});
}

Result<KeySetPtr, std::string> JwksCache::keys_with(std::string_view kid) {
  const Snapshot now = snapshot();
  if (now.fresh && now.keys->find(kid) != nullptr) return now.keys;
  return refresh(kid);
}

std::size_t JwksCache::fetch_count() const {
  const std::lock_guard lock(mutex_);
  return fetch_count_;
}

JwksCache::Snapshot JwksCache::snapshot() const {
  const std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  return Snapshot{keys_, keys_ && now < expires_at_,
                  !last_attempt_ || now >= *last_attempt_ + options_.min_refetch_interval};
}

// Fetches unless another thread did while this one waited (the set is now fresh and, when a kid
// is wanted, holds it) or the rate limit says not yet; then the cached set is the answer.
Result<KeySetPtr, std::string> JwksCache::refresh(std::string_view wanted_kid) {
  const std::lock_guard fetching(fetch_mutex_);
  const Snapshot now = snapshot();
  const bool satisfied = now.fresh && (wanted_kid.empty() || now.keys->find(wanted_kid));
  if (satisfied || !now.may_fetch) {
    if (now.keys) return now.keys;
    const std::lock_guard lock(mutex_);
    return fail("the issuer's JWKS is unavailable: " + last_error_);
  }
  auto fetched = fetch();
  if (fetched) return fetched;
  if (now.keys) return now.keys;  // keep serving the last good set while the issuer is down
  return fail(fetched.error());
}

Result<KeySetPtr, std::string> JwksCache::fetch() {
  {
    const std::lock_guard lock(mutex_);
    last_attempt_ = clock_.now();
    ++fetch_count_;
  }
  auto response = client_.get(url_, {});
  std::string error;
  auto keys = std::make_shared<jose::KeySet>();
  if (!response) {
    error = "fetching " + url_ + " failed: " + response.error().message;
  } else if (response->status != 200) {
    error = "fetching " + url_ + " answered " + std::to_string(response->status);
  } else if (auto added = keys->add_jwks(response->body); !added || *added == 0) {
    error = "the JWKS at " + url_ + " holds no usable key";
  }
  const std::lock_guard lock(mutex_);
  if (!error.empty()) {
    last_error_ = error;
    return fail(std::move(error));
  }
  const auto lifetime = cache_lifetime(response->headers.get("Cache-Control"),
                                       options_.default_max_age, options_.max_max_age);
  keys_ = std::move(keys);
  expires_at_ = clock_.now() + lifetime;
  return keys_;
}

}  // namespace latchkey::verify
