#pragma once
// RefreshTokenStore on SQLite: the `refresh_tokens` table (migrations.cpp, v2 and v10).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteRefreshTokenStore final : public RefreshTokenStore {
 public:
  explicit SqliteRefreshTokenStore(ConnectionPool& pool) : pool_(pool) {}

  /// The INSERT of create() on a connection the caller holds (inside a transaction it opened):
  /// the same row, the same errors. For SqliteStore::insert_batch.
  [[nodiscard]] static StoreResult<void> insert_on(Connection& connection,
                                                   const model::RefreshToken& token);

  StoreResult<void> create(const model::RefreshToken& token) override;
  StoreResult<model::RefreshToken> find(std::string_view token_digest) override;
  StoreResult<std::int64_t> revoke_family(std::string_view family_id, TimePoint at) override;
  StoreResult<bool> rotate(std::string_view parent_digest,
                           const model::RefreshToken& child) override;
  StoreResult<std::int64_t> revoke_for_user_client(std::string_view user_id,
                                                   std::string_view client_id,
                                                   TimePoint at) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
