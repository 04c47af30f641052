#pragma once
// An in-memory store::TransactionStore for the /authorize tests (until the SQLite one lands).

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
    const auto it = rows_.find(std::string(id));
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    return it->second;
  }
  store::StoreResult<void> set_authenticated(std::string_view id, std::string_view user_id,
                                             TimePoint at) override {
    const std::lock_guard lock(mutex_);
    const auto it = rows_.find(std::string(id));
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    it->second.user_id = std::string(user_id);
    it->second.authenticated_at = at;
    return {};
  }
  store::StoreResult<void> set_consent(std::string_view id, std::string_view decision) override {
    const std::lock_guard lock(mutex_);
    const auto it = rows_.find(std::string(id));
    if (it == rows_.end()) return fail(store::StoreError::not_found);
    it->second.consent = std::string(decision);
    return {};
  }
  store::StoreResult<void> remove(std::string_view id) override {
    const std::lock_guard lock(mutex_);
    if (rows_.erase(std::string(id)) == 0) return fail(store::StoreError::not_found);
    return {};
  }
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard lock(mutex_);
    return rows_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, store::AuthorizationTransaction, std::less<>> rows_;
};

}  // namespace latchkey::testing
