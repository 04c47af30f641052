#pragma once
// GrantStore on SQLite: the `grants` table (migrations.cpp, v2).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteGrantStore final : public GrantStore {
 public:
  explicit SqliteGrantStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> upsert(const model::Grant& grant) override;
  StoreResult<model::Grant> find(std::string_view user_id, std::string_view client_id,
                                 std::string_view audience) override;
  StoreResult<void> remove(std::string_view user_id, std::string_view client_id,
                           std::string_view audience) override;
  StoreResult<std::vector<model::Grant>> list_for_user(std::string_view user_id) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
