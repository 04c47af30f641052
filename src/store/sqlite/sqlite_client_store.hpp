#pragma once
// ClientStore on SQLite: the `clients` table (migrations.cpp, v1 and v8).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteClientStore final : public ClientStore {
 public:
  explicit SqliteClientStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::Client& client) override;
  StoreResult<model::Client> find(std::string_view client_id) override;
  StoreResult<std::vector<model::Client>> list() override;
  StoreResult<void> set_secret_digest(std::string_view client_id, std::string_view digest) override;
  StoreResult<void> update(const model::Client& client) override;
  StoreResult<void> remove(std::string_view client_id) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
