#pragma once
// UserStore on SQLite: the `users` table (migrations.cpp, v1).

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteUserStore final : public UserStore {
 public:
  explicit SqliteUserStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::User& user) override;
  StoreResult<model::User> find(std::string_view user_id) override;
  StoreResult<model::User> find_by_email(std::string_view email) override;
  StoreResult<std::vector<model::User>> list() override;
  StoreResult<void> set_blocked(std::string_view user_id, bool blocked) override;
  StoreResult<void> record_login(std::string_view user_id, TimePoint at) override;
  StoreResult<void> set_metadata(std::string_view user_id, const nlohmann::json& app_metadata,
                                 const nlohmann::json& user_metadata, TimePoint at) override;
  StoreResult<void> remove(std::string_view user_id) override;

  /// The INSERT of create() on a connection the caller holds (inside a transaction it opened):
  /// the same row, the same errors. For SqliteStore::insert_batch.
  [[nodiscard]] static StoreResult<void> insert_on(Connection& connection, const model::User& user);

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
