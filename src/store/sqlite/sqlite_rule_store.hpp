#pragma once
// RuleStore and ActionStore on SQLite: the `rules` and `actions` tables (migrations.cpp, v4).
// Both aggregates have the same shape (a named script with an order and an enabled flag), so
// one implementation serves both, each with its own table.

#include "store/sqlite/connection_pool.hpp"
#include "store/store.hpp"

namespace latchkey::store::sqlite {

class SqliteRuleStore final : public RuleStore {
 public:
  explicit SqliteRuleStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::Rule& rule) override;
  StoreResult<model::Rule> find(std::string_view id_or_name) override;
  StoreResult<std::vector<model::Rule>> list() override;
  StoreResult<void> update(const model::Rule& rule) override;
  StoreResult<void> remove(std::string_view id_or_name) override;

 private:
  ConnectionPool& pool_;
};

class SqliteActionStore final : public ActionStore {
 public:
  explicit SqliteActionStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> create(const model::Action& action) override;
  StoreResult<model::Action> find(std::string_view id_or_name) override;
  StoreResult<std::vector<model::Action>> list() override;
  StoreResult<void> update(const model::Action& action) override;
  StoreResult<void> remove(std::string_view id_or_name) override;

 private:
  ConnectionPool& pool_;
};

/// RuleConfigStore on SQLite: the `rule_configs` table (v4), sealed values as BLOBs.
class SqliteRuleConfigStore final : public RuleConfigStore {
 public:
  explicit SqliteRuleConfigStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> set(const model::RuleConfig& config) override;
  StoreResult<model::RuleConfig> find(std::string_view key) override;
  StoreResult<std::vector<model::RuleConfig>> list() override;
  StoreResult<void> remove(std::string_view key) override;

 private:
  ConnectionPool& pool_;
};

/// ActionSecretStore on SQLite: the `action_secrets` table (v7), cascading with `actions`.
class SqliteActionSecretStore final : public ActionSecretStore {
 public:
  explicit SqliteActionSecretStore(ConnectionPool& pool) : pool_(pool) {}

  StoreResult<void> set(const model::ActionSecret& secret) override;
  StoreResult<std::vector<model::ActionSecret>> list(std::string_view action_id) override;
  StoreResult<void> remove(std::string_view action_id, std::string_view key) override;

 private:
  ConnectionPool& pool_;
};

}  // namespace latchkey::store::sqlite
