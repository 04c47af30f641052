#pragma once
// RevokedTokenStore on SQLite: the `revoked_tokens` table (migrations.cpp, v2).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteRevokedTokenStore final : public RevokedTokenStore {
 public:
  explicit SqliteRevokedTokenStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> revoke(std::string_view jti, TimePoint expires_at) override;
  StoreResult<bool> is_revoked(std::string_view jti) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
