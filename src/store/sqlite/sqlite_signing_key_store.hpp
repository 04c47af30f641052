#pragma once
// SigningKeyStore on SQLite: the `signing_keys` table (migrations.cpp, v1).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteSigningKeyStore final : public SigningKeyStore {
 public:
  explicit SqliteSigningKeyStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::SigningKey& key) override;
  StoreResult<model::SigningKey> find(std::string_view kid) override;
  StoreResult<std::vector<model::SigningKey>> list() override;
  StoreResult<void> set_state(std::string_view kid, model::KeyState state, TimePoint at) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
