#include "store/sqlite/sqlite_rule_store.hpp"

#include "store/codec.hpp"
#include "store/sqlite/queries.hpp"

namespace latchkey::store::sqlite {
namespace {

// The SQL of one script table; `rules` and `actions` differ only in name and source column.
struct ScriptTableSql {
  std::string_view insert;
  std::string_view select;
  std::string_view list;
  std::string_view update;
  std::string_view remove;
};

// A match on id wins over a match on name, as for APIs.
constexpr ScriptTableSql kRulesSql = {
    "INSERT INTO rules (id, name, script, run_order, enabled, created_at_ms, updated_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT id, name, script, run_order, enabled, created_at_ms, updated_at_ms FROM rules "
    "WHERE id = ?1 OR name = ?1 ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1",
    "SELECT id, name, script, run_order, enabled, created_at_ms, updated_at_ms FROM rules "
    "ORDER BY run_order, id",
    "UPDATE rules SET name = ?2, script = ?3, run_order = ?4, enabled = ?5, updated_at_ms = ?7 "
    "WHERE id = ?1",
    "DELETE FROM rules WHERE id = (SELECT id FROM rules WHERE id = ?1 OR name = ?1 "
    "ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1)",
};

constexpr ScriptTableSql kActionsSql = {
    "INSERT INTO actions (id, name, code, run_order, enabled, created_at_ms, updated_at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    "SELECT id, name, code, run_order, enabled, created_at_ms, updated_at_ms FROM actions "
    "WHERE id = ?1 OR name = ?1 ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1",
    "SELECT id, name, code, run_order, enabled, created_at_ms, updated_at_ms FROM actions "
    "ORDER BY run_order, id",
    "UPDATE actions SET name = ?2, code = ?3, run_order = ?4, enabled = ?5, updated_at_ms = ?7 "
    "WHERE id = ?1",
    "DELETE FROM actions WHERE id = (SELECT id FROM actions WHERE id = ?1 OR name = ?1 "
    "ORDER BY CASE WHEN id = ?1 THEN 0 ELSE 1 END LIMIT 1)",
};

constexpr std::string_view kUpsertRuleConfig =
    "INSERT INTO rule_configs (config_key, sealed_value, updated_at_ms) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (config_key) DO UPDATE SET sealed_value = excluded.sealed_value, "
    "updated_at_ms = excluded.updated_at_ms";
constexpr std::string_view kSelectRuleConfig =
    "SELECT config_key, sealed_value, updated_at_ms FROM rule_configs WHERE config_key = ?1";
constexpr std::string_view kListRuleConfigs =
    "SELECT config_key, sealed_value, updated_at_ms FROM rule_configs ORDER BY config_key";
constexpr std::string_view kDeleteRuleConfig = "DELETE FROM rule_configs WHERE config_key = ?1";

// Inserting only when the action exists makes an unknown action `not_found`, not a foreign-key
// failure.
constexpr std::string_view kUpsertActionSecret =
    "INSERT INTO action_secrets (action_id, secret_key, sealed_value, updated_at_ms) "
    "SELECT id, ?2, ?3, ?4 FROM actions WHERE id = ?1 "
    "ON CONFLICT (action_id, secret_key) DO UPDATE SET sealed_value = excluded.sealed_value, "
    "updated_at_ms = excluded.updated_at_ms";
constexpr std::string_view kListActionSecrets =
    "SELECT action_id, secret_key, sealed_value, updated_at_ms FROM action_secrets "
    "WHERE action_id = ?1 ORDER BY secret_key";
constexpr std::string_view kDeleteActionSecret =
    "DELETE FROM action_secrets WHERE action_id = ?1 AND secret_key = ?2";

std::string& source_of(model::Rule& rule) { return rule.script; }
std::string& source_of(model::Action& action) { return action.code; }
const std::string& source_of(const model::Rule& rule) { return rule.script; }
const std::string& source_of(const model::Action& action) { return action.code; }

template <class Item>
void bind_item(Statement& stmt, const Item& item) {
  stmt.bind_text(1, item.id)
      .bind_text(2, item.name)
      .bind_text(3, source_of(item))
      .bind_int(4, item.order)
      .bind_bool(5, item.enabled)
      .bind_int(6, to_unix_ms(item.created_at))
      .bind_int(7, to_unix_ms(item.updated_at));
}

// Columns in the order of the select statements.
template <class Item>
StoreResult<Item> read_item(const Statement& row) {
  Item item;
  item.id = row.text(0);
  item.name = row.text(1);
  source_of(item) = row.text(2);
  item.order = row.integer(3);
  item.enabled = row.boolean(4);
  item.created_at = from_unix_ms(row.integer(5));
  item.updated_at = from_unix_ms(row.integer(6));
  return item;
}

template <class Item>
StoreResult<void> create_item(ConnectionPool& pool, const ScriptTableSql& sql, const Item& item) {
  return execute(pool, sql.insert, [&](Statement& stmt) { bind_item(stmt, item); });
}

template <class Item>
StoreResult<Item> find_item(ConnectionPool& pool, const ScriptTableSql& sql,
                            std::string_view id_or_name) {
  return query_one<Item>(
      pool, sql.select, [&](Statement& stmt) { stmt.bind_text(1, id_or_name); }, read_item<Item>);
}

template <class Item>
StoreResult<void> update_item(ConnectionPool& pool, const ScriptTableSql& sql, const Item& item) {
  return execute_one(pool, sql.update, [&](Statement& stmt) { bind_item(stmt, item); });
}

StoreResult<void> remove_item(ConnectionPool& pool, const ScriptTableSql& sql,
                              std::string_view id_or_name) {
  return execute_one(pool, sql.remove, [&](Statement& stmt) { stmt.bind_text(1, id_or_name); });
}

StoreResult<model::RuleConfig> read_rule_config(const Statement& row) {
  model::RuleConfig config;
  config.key = row.text(0);
  config.sealed_value = row.blob(1);
  config.updated_at = from_unix_ms(row.integer(2));
  return config;
}

StoreResult<model::ActionSecret> read_action_secret(const Statement& row) {
  model::ActionSecret secret;
  secret.action_id = row.text(0);
  secret.key = row.text(1);
  secret.sealed_value = row.blob(2);
  secret.updated_at = from_unix_ms(row.integer(3));
  return secret;
}

}  // namespace

StoreResult<void> SqliteRuleStore::create(const model::Rule& rule) {
  return create_item(pool_, kRulesSql, rule);
}
StoreResult<model::Rule> SqliteRuleStore::find(std::string_view id_or_name) {
  return find_item<model::Rule>(pool_, kRulesSql, id_or_name);
}
StoreResult<std::vector<model::Rule>> SqliteRuleStore::list() {
  return query_all<model::Rule>(pool_, kRulesSql.list, read_item<model::Rule>);
}
StoreResult<void> SqliteRuleStore::update(const model::Rule& rule) {
  return update_item(pool_, kRulesSql, rule);
}
StoreResult<void> SqliteRuleStore::remove(std::string_view id_or_name) {
  return remove_item(pool_, kRulesSql, id_or_name);
}

StoreResult<void> SqliteActionStore::create(const model::Action& action) {
  return create_item(pool_, kActionsSql, action);
}
StoreResult<model::Action> SqliteActionStore::find(std::string_view id_or_name) {
  return find_item<model::Action>(pool_, kActionsSql, id_or_name);
}
StoreResult<std::vector<model::Action>> SqliteActionStore::list() {
  return query_all<model::Action>(pool_, kActionsSql.list, read_item<model::Action>);
}
StoreResult<void> SqliteActionStore::update(const model::Action& action) {
  return update_item(pool_, kActionsSql, action);
}
StoreResult<void> SqliteActionStore::remove(std::string_view id_or_name) {
  return remove_item(pool_, kActionsSql, id_or_name);
}

StoreResult<void> SqliteRuleConfigStore::set(const model::RuleConfig& config) {
  return execute(pool_, kUpsertRuleConfig, [&](Statement& stmt) {
    stmt.bind_text(1, config.key)
        .bind_blob(2, config.sealed_value)
        .bind_int(3, to_unix_ms(config.updated_at));
  });
}
StoreResult<model::RuleConfig> SqliteRuleConfigStore::find(std::string_view key) {
  return query_one<model::RuleConfig>(
      pool_, kSelectRuleConfig, [&](Statement& stmt) { stmt.bind_text(1, key); }, read_rule_config);
}
StoreResult<std::vector<model::RuleConfig>> SqliteRuleConfigStore::list() {
  return query_all<model::RuleConfig>(pool_, kListRuleConfigs, read_rule_config);
}
StoreResult<void> SqliteRuleConfigStore::remove(std::string_view key) {
  return execute_one(pool_, kDeleteRuleConfig, [&](Statement& stmt) { stmt.bind_text(1, key); });
}

StoreResult<void> SqliteActionSecretStore::set(const model::ActionSecret& secret) {
  return execute_one(pool_, kUpsertActionSecret, [&](Statement& stmt) {
    stmt.bind_text(1, secret.action_id)
        .bind_text(2, secret.key)
        .bind_blob(3, secret.sealed_value)
        .bind_int(4, to_unix_ms(secret.updated_at));
  });
}
StoreResult<std::vector<model::ActionSecret>> SqliteActionSecretStore::list(
    std::string_view action_id) {
  return query_all<model::ActionSecret>(
      pool_, kListActionSecrets, [&](Statement& stmt) { stmt.bind_text(1, action_id); },
      read_action_secret);
}
StoreResult<void> SqliteActionSecretStore::remove(std::string_view action_id,
                                                  std::string_view key) {
  return execute_one(pool_, kDeleteActionSecret,
                     [&](Statement& stmt) { stmt.bind_text(1, action_id).bind_text(2, key); });
}

}  // namespace latchkey::store::sqlite
