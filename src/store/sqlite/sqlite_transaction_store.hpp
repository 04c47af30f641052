#pragma once
// TransactionStore on SQLite: the `authorization_transactions` table (migrations.cpp, v3).

#include "store/sqlite/connection_pool.hpp"
#include "store/transaction_store.hpp"

namespace latchkey::store::sqlite {

class SqliteTransactionStore final : public TransactionStore {
 public:
  explicit SqliteTransactionStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const AuthorizationTransaction& transaction) override;
  StoreResult<AuthorizationTransaction> find(std::string_view id) override;
  StoreResult<void> set_authenticated(std::string_view id, std::string_view user_id,
                                      TimePoint at) override;
  StoreResult<void> set_consent(std::string_view id, std::string_view decision) override;
  StoreResult<void> set_rules_redirect(std::string_view id, std::string_view action) override;
  StoreResult<void> remove(std::string_view id) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
