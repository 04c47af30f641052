#pragma once
// Configuration read on every request (clients, APIs, client grants, rules, actions), and users
// with their SSO sessions and consent grants (read by every code flow), kept in memory and
// dropped whenever any of it changes (decisions 23 and 26). Users, sessions and grants share a
// counter of their own, since every login writes all three: deleting a user takes its sessions
// and grants along, so one counter keeps that cascade exact. Grants also go when their client
// does, so the grant cache watches both counters (JointCounter).
//
// Every write to these aggregates, by this process or another one on the same data (the CLI
// beside a running server), bumps a shared ChangeCounter after it commits. A cache reads the
// counter before each lookup: a different value empties it, so a lookup never returns a value
// older than the last completed write. What a lookup loads is kept only if the counter did not
// move while it loaded. Misses (`not_found`) are never kept. As a safety net for edits that
// bypass the store (a sqlite3 shell), a cache also empties itself kMaxAge after it was filled.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace latchkey::store {

/// A number that grows with every committed configuration write of every process sharing it.
class ChangeCounter {
 public:
  virtual ~ChangeCounter() = default;
  [[nodiscard]] virtual std::uint64_t value() const = 0;
  /// Call after the write committed (or failed: a needless bump only costs a reload).
  virtual void bump() = 0;
};

/// Two counters read as one, which moves when either does; a bump goes to the first.
class JointCounter final : public ChangeCounter {
 public:
  JointCounter(ChangeCounter& own, const ChangeCounter& also) : own_(own), also_(also) {}
  // Both only grow, so their sum changes whenever either does.
  [[nodiscard]] std::uint64_t value() const override { return own_.value() + also_.value(); }
  void bump() override { own_.bump(); }

 private:
  ChangeCounter& own_;
  const ChangeCounter& also_;
};

/// A write's result, after telling every cache on `counter` that what it keeps changed.
template <class T>
T after_write(ChangeCounter& counter, T result) {
  counter.bump();
  return result;
}

/// Values by key, valid for one value of the counter. Thread-safe.
template <class Value>
class GenerationCache {
 public:
  /// The longest a filled cache is trusted without a bump; also bounds how many entries it holds.
  static constexpr std::chrono::seconds kMaxAge{10};
  static constexpr std::size_t kMaxEntries = 4096;

  explicit GenerationCache(const ChangeCounter& counter) : counter_(counter) {}

  /// A copy of the value kept for `key`, if there is one and nothing changed since.
  [[nodiscard]] std::optional<Value> find(std::string_view key) {
    const std::lock_guard lock(mutex_);
    renew(counter_.value());
    const auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  /// Loads `key` through `load` (a callable returning StoreResult<Value>) on a miss, keeping
  /// what it returns when nothing changed while it ran.
  template <class Load>
  [[nodiscard]] StoreResult<Value> get(std::string_view key, Load&& load) {
    if (auto hit = find(key)) return std::move(*hit);
    const std::uint64_t before = counter_.value();
    auto loaded = std::forward<Load>(load)();
    if (loaded) put(key, *loaded, before);
    return loaded;
  }

 private:
  struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
      return std::hash<std::string_view>{}(key);
    }
  };

  void put(std::string_view key, const Value& value, std::uint64_t loaded_at) {
    const std::lock_guard lock(mutex_);
    if (counter_.value() != loaded_at) return;
    renew(loaded_at);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_.insert_or_assign(std::string(key), value);
  }

  // Empties the entries when they belong to another counter value or are too old.
  void renew(std::uint64_t generation) {
    const auto now = std::chrono::steady_clock::now();
    if (generation == generation_ && now - filled_at_ < kMaxAge) return;
    entries_.clear();
    generation_ = generation;
    filled_at_ = now;
  }

  const ChangeCounter& counter_;
  std::mutex mutex_;
  std::uint64_t generation_ = 0;
  std::chrono::steady_clock::time_point filled_at_{};
  std::unordered_map<std::string, Value, KeyHash, std::equal_to<>> entries_;
};

/// ClientStore through a cache (find and list); writes go through and bump the counter.
class CachedClientStore final : public ClientStore {
 public:
  CachedClientStore(ClientStore& inner, ChangeCounter& counter);
  StoreResult<void> create(const model::Client& client) override;
  StoreResult<model::Client> find(std::string_view client_id) override;
  StoreResult<std::vector<model::Client>> list() override;
  StoreResult<void> set_secret_digest(std::string_view client_id,
                                      std::string_view secret_digest) override;
  StoreResult<void> update(const model::Client& client) override;
  StoreResult<void> remove(std::string_view client_id) override;

 private:
  ClientStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::Client> found_;
  GenerationCache<std::vector<model::Client>> listed_;
};

/// ResourceServerStore through a cache (find and list).
class CachedResourceServerStore final : public ResourceServerStore {
 public:
  CachedResourceServerStore(ResourceServerStore& inner, ChangeCounter& counter);
  StoreResult<void> create(const model::ResourceServer& api) override;
  StoreResult<model::ResourceServer> find(std::string_view id_or_identifier) override;
  StoreResult<std::vector<model::ResourceServer>> list() override;
  StoreResult<void> remove(std::string_view id_or_identifier) override;

 private:
  ResourceServerStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::ResourceServer> found_;
  GenerationCache<std::vector<model::ResourceServer>> listed_;
};

/// ClientGrantStore through a cache (find_for, the client_credentials lookup).
class CachedClientGrantStore final : public ClientGrantStore {
 public:
  CachedClientGrantStore(ClientGrantStore& inner, ChangeCounter& counter);
  StoreResult<void> create(const model::ClientGrant& grant) override;
  StoreResult<model::ClientGrant> find(std::string_view id) override;
  StoreResult<model::ClientGrant> find_for(std::string_view client_id,
                                           std::string_view audience) override;
  StoreResult<std::vector<model::ClientGrant>> list() override;
  StoreResult<void> set_scopes(std::string_view id,
                               const std::vector<std::string>& scopes) override;
  StoreResult<void> remove(std::string_view id) override;

 private:
  ClientGrantStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::ClientGrant> found_for_;
};

/// A store of scripts (RuleStore or ActionStore, which share one contract) through a cache of
/// list(), which every login asks for; writes go through and bump the counter.
template <class Scripts, class Script>
class CachedScriptStore final : public Scripts {
 public:
  CachedScriptStore(Scripts& inner, ChangeCounter& counter)
      : inner_(inner), counter_(counter), listed_(counter) {}
  StoreResult<void> create(const Script& script) override {
    return after_write(counter_, inner_.create(script));
  }
  StoreResult<Script> find(std::string_view id_or_name) override { return inner_.find(id_or_name); }
  StoreResult<std::vector<Script>> list() override {
    return listed_.get("", [&] { return inner_.list(); });
  }
  StoreResult<void> update(const Script& script) override {
    return after_write(counter_, inner_.update(script));
  }
  StoreResult<void> remove(std::string_view id_or_name) override {
    return after_write(counter_, inner_.remove(id_or_name));
  }

 private:
  Scripts& inner_;
  ChangeCounter& counter_;
  GenerationCache<std::vector<Script>> listed_;
};

using CachedRuleStore = CachedScriptStore<RuleStore, model::Rule>;
using CachedActionStore = CachedScriptStore<ActionStore, model::Action>;

/// UserStore through a cache (find by id); writes go through and bump the users' counter.
class CachedUserStore final : public UserStore {
 public:
  CachedUserStore(UserStore& inner, ChangeCounter& counter);
  StoreResult<void> create(const model::User& user) override;
  StoreResult<model::User> find(std::string_view user_id) override;
  StoreResult<model::User> find_by_email(std::string_view email) override;
  StoreResult<std::vector<model::User>> list() override;
  StoreResult<void> set_blocked(std::string_view user_id, bool blocked) override;
  StoreResult<void> record_login(std::string_view user_id, TimePoint at) override;
  StoreResult<void> set_metadata(std::string_view user_id, const nlohmann::json& app_metadata,
                                 const nlohmann::json& user_metadata, TimePoint at) override;
  StoreResult<void> remove(std::string_view user_id) override;

 private:
  UserStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::User> found_;
};

/// SessionStore through a cache (find, which every authorize request with a cookie asks for);
/// writes (a touch included) go through and bump the counter.
class CachedSessionStore final : public SessionStore {
 public:
  CachedSessionStore(SessionStore& inner, ChangeCounter& counter);
  StoreResult<void> create(const model::Session& session) override;
  StoreResult<model::Session> find(std::string_view id_digest) override;
  StoreResult<void> touch(std::string_view id_digest, TimePoint last_seen_at,
                          TimePoint expires_at) override;
  StoreResult<void> set_auth_time(std::string_view id_digest, TimePoint auth_time) override;
  StoreResult<void> remove(std::string_view id_digest) override;
  StoreResult<std::int64_t> remove_for_user(std::string_view user_id) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  SessionStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::Session> found_;
};

/// GrantStore (remembered consent) through a cache of find.
class CachedGrantStore final : public GrantStore {
 public:
  CachedGrantStore(GrantStore& inner, ChangeCounter& counter);
  StoreResult<void> upsert(const model::Grant& grant) override;
  StoreResult<model::Grant> find(std::string_view user_id, std::string_view client_id,
                                 std::string_view audience) override;
  StoreResult<void> remove(std::string_view user_id, std::string_view client_id,
                           std::string_view audience) override;
  StoreResult<std::vector<model::Grant>> list_for_user(std::string_view user_id) override;

 private:
  GrantStore& inner_;
  ChangeCounter& counter_;
  GenerationCache<model::Grant> found_;
};

}  // namespace latchkey::store
