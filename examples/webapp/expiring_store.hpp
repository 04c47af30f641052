#pragma once
// An in-memory, thread-safe map from random ids (the value of a cookie) to server-side state,
// with a lifetime per entry and a cap on the number of entries. The web app keeps its sign-in
// transactions and its sessions in two of these; a real deployment would use a shared store.

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "core/clock.hpp"

namespace latchkey::examples::webapp {

template <class T>
class ExpiringStore {
 public:
  /// Entries live `lifetime` after they are put; at most `capacity` are kept (the one closest to
  /// expiry goes first), so a flood of sign-in attempts cannot exhaust memory.
  ExpiringStore(const Clock& clock, std::chrono::seconds lifetime, std::size_t capacity)
      : clock_(clock), lifetime_(lifetime), capacity_(capacity) {}

  [[nodiscard]] std::chrono::seconds lifetime() const { return lifetime_; }

  /// Stores `value` under `id`, replacing any entry with that id.
  void put(const std::string& id, T value) {
    const std::scoped_lock lock(mutex_);
    purge_expired();
    if (entries_.size() >= capacity_ && !entries_.contains(id)) evict_oldest();
    entries_.insert_or_assign(id, Entry{std::move(value), clock_.now() + lifetime_});
  }

  /// The live entry under `id`, nullopt when absent or expired.
  [[nodiscard]] std::optional<T> get(const std::string& id) const {
    const std::scoped_lock lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end() || it->second.expires <= clock_.now()) return std::nullopt;
    return it->second.value;
  }

  /// Removes the entry under `id` and returns it when it was live: for single-use state.
  [[nodiscard]] std::optional<T> take(const std::string& id) {
    const std::scoped_lock lock(mutex_);
    const auto it = entries_.find(id);
    if (it == entries_.end()) return std::nullopt;
    Entry entry = std::move(it->second);
    entries_.erase(it);
    if (entry.expires <= clock_.now()) return std::nullopt;
    return std::move(entry.value);
  }

  void erase(const std::string& id) {
    const std::scoped_lock lock(mutex_);
    entries_.erase(id);
  }

  [[nodiscard]] std::size_t size() const {
    const std::scoped_lock lock(mutex_);
    return entries_.size();
  }

 private:
  struct Entry {
    T value;
    TimePoint expires;
  };

  void purge_expired() {
    const TimePoint now = clock_.now();
    std::erase_if(entries_, [now](const auto& item) { return item.second.expires <= now; });
  }

  void evict_oldest() {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.expires < oldest->second.expires) oldest = it;
    }
    if (oldest != entries_.end()) entries_.erase(oldest);
  }

  const Clock& clock_;
  std::chrono::seconds lifetime_;
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace latchkey::examples::webapp
