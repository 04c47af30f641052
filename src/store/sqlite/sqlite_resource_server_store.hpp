#pragma once
// ResourceServerStore on SQLite: the `resource_servers` table (migrations.cpp, v1).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteResourceServerStore final : public ResourceServerStore {
 public:
  explicit SqliteResourceServerStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::ResourceServer& api) override;
  StoreResult<model::ResourceServer> find(std::string_view id_or_identifier) override;
  StoreResult<std::vector<model::ResourceServer>> list() override;
  StoreResult<void> remove(std::string_view id_or_identifier) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
