#pragma once
// An in-memory store::TransactionStore for tests of the hosted pages and /authorize, so they do
// not depend on a back end's transaction table. Thread-safe; behaves as the interface says
// (not_found when absent).

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "store/transaction_store.hpp"

namespace latchkey::testing {

class MemoryTransactionStore final : public store::TransactionStore {
 public:
  store::StoreResult<void> create(const store::AuthorizationTransaction& transaction) override {
    const std::lock_guard lock(mutex_);
    if (!rows_.emplace(transaction.id, transaction).second) {
      return fail(store::StoreError::conflict);
    }
    return {};
  }
  store::StoreResult<store::AuthorizationTransaction> find(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    const auto it = rows_.find(id);
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    return it->second;
  }
  store::StoreResult<void> set_authenticated(std::string_view id, std::string_view user_id,
                                             TimePoint at) override {
    return update(id, [&](store::AuthorizationTransaction& t) {
      t.user_id = std::string(user_id);
      t.authenticated_at = at;
    });
  }
  store::StoreResult<void> set_consent(std::string_view id, std::string_view decision) override {
    return update(id,
                  [&](store::AuthorizationTransaction& t) { t.consent = std::string(decision); });
  }
  store::StoreResult<void> set_rules_redirect(std::string_view id,
                                              std::string_view action) override {
    return update(
        id, [&](store::AuthorizationTransaction& t) { t.rules_redirect = std::string(action); });
  }
  store::StoreResult<void> remove(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    const auto it = rows_.find(id);
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    rows_.erase(it);
    return {};
  }
  store::StoreResult<std::int64_t> delete_expired(TimePoint before) override {
    const std::lock_guard lock(mutex_);
    return static_cast<std::int64_t>(
        std::erase_if(rows_, [&](const auto& row) { return row.second.expires_at < before; }));
  }
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return rows_.size();
  }

 private:
  template <typename Change>
  store::StoreResult<void> update(std::string_view id, Change change) {
    const std::lock_guard lock(mutex_);
    const auto it = rows_.find(id);
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    change(it->second);
    return {};
  }

  mutable std::mutex mutex_;
  std::map<std::string, store::AuthorizationTransaction, std::less<>> rows_;
};

}  // namespace latchkey::testing
