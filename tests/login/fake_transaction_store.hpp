#pragma once
// An in-memory TransactionStore for the hosted-page tests, so they do not depend on a back end's
// transaction table. Thread-safe; behaves like the interface says (not_found when absent).

#include <map>
#include <mutex>
#include <string>

#include "store/transaction_store.hpp"

namespace latchkey::login_test {

class FakeTransactionStore final : public store::TransactionStore {
 public:
  store::StoreResult<void> create(const store::AuthorizationTransaction& transaction) override {
    std::lock_guard lock(mutex_);
    if (!items_.emplace(transaction.id, transaction).second)
      return fail(store::StoreError::conflict);
    return {};
  }
  store::StoreResult<store::AuthorizationTransaction> find(std::string_view id) override {
    std::lock_guard lock(mutex_);
    const auto it = items_.find(std::string(id));
    if (it == items_.end()) return fail(store::StoreError::not_found);
    return it->second;
  }
  store::StoreResult<void> set_authenticated(std::string_view id, std::string_view user_id,
                                             TimePoint at) override {
    std::lock_guard lock(mutex_);
    const auto it = items_.find(std::string(id));
    if (it == items_.end()) return fail(store::StoreError::not_found);
    it->second.authenticated_at = at;
    it->second.user_id = std::string(user_id);
    return {};
  }
  store::StoreResult<void> set_consent(std::string_view id, std::string_view decision) override {
    std::lock_guard lock(mutex_);
    const auto it = items_.find(std::string(id));
    if (it == items_.end()) return fail(store::StoreError::not_found);
    it->second.consent = std::string(decision);
    return {};
  }
  store::StoreResult<void> remove(std::string_view id) override {
    std::lock_guard lock(mutex_);
    if (items_.erase(std::string(id)) == 0) return fail(store::StoreError::not_found);
    return {};
  }

 private:
  std::mutex mutex_;
  std::map<std::string, store::AuthorizationTransaction, std::less<>> items_;
};

}  // namespace latchkey::login_test
