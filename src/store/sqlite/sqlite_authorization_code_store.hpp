#pragma once
// AuthorizationCodeStore on SQLite: the `authorization_codes` table (migrations.cpp, v2).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteAuthorizationCodeStore final : public AuthorizationCodeStore {
 public:
  explicit SqliteAuthorizationCodeStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::AuthorizationCode& code) override;
  using AuthorizationCodeStore::redeem;
  StoreResult<Redemption> redeem(std::string_view code_digest, TimePoint at,
                                 const IssuedTokens& issued) override;
  StoreResult<void> record_issued(std::string_view code_digest, std::string_view access_jti,
                                  std::string_view refresh_digest) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
