#pragma once
// ClientGrantStore on SQLite: the `client_grants` table (migrations.cpp, v6).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteClientGrantStore final : public ClientGrantStore {
 public:
  explicit SqliteClientGrantStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::ClientGrant& grant) override;
  StoreResult<model::ClientGrant> find(std::string_view id) override;
  StoreResult<model::ClientGrant> find_for(std::string_view client_id,
                                           std::string_view audience) override;
  StoreResult<std::vector<model::ClientGrant>> list() override;
  StoreResult<void> set_scopes(std::string_view id,
                               const std::vector<std::string>& scopes) override;
  StoreResult<void> remove(std::string_view id) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
