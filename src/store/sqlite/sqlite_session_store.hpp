#pragma once
// SessionStore on SQLite: the `sessions` table (migrations.cpp, v2).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteSessionStore final : public SessionStore {
 public:
  explicit SqliteSessionStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::Session& session) override;
  StoreResult<model::Session> find(std::string_view id_digest) override;
  StoreResult<void> touch(std::string_view id_digest, TimePoint last_seen_at,
                          TimePoint expires_at) override;
  StoreResult<void> set_auth_time(std::string_view id_digest, TimePoint auth_time) override;
  StoreResult<void> remove(std::string_view id_digest) override;
  StoreResult<std::int64_t> remove_for_user(std::string_view user_id) override;
  StoreResult<std::int64_t> delete_expired(TimePoint before) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
