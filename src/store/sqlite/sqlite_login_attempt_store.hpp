#pragma once
// LoginAttemptStore on SQLite: the `login_attempts` table (migrations.cpp, v2).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteLoginAttemptStore final : public LoginAttemptStore {
 public:
  explicit SqliteLoginAttemptStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<model::LoginAttempts> record_failure(std::string_view email, std::string_view ip,
                                                   TimePoint at, int threshold,
                                                   std::chrono::seconds block_for) override;
  StoreResult<model::LoginAttempts> find(std::string_view email, std::string_view ip) override;
  StoreResult<void> clear(std::string_view email, std::string_view ip) override;
  StoreResult<std::int64_t> clear_email(std::string_view email) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
