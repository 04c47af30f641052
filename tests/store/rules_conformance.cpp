// Conformance for the issue-5 aggregates (rules, actions, rules-configs, actions' secrets) and for
// persisting the metadata rules update. Part of StoreConformance: every back end runs it unchanged.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "store_conformance.hpp"

namespace latchkey::store_test {
namespace {

using store::StoreError;

model::Rule sample_rule(const std::string& id, const std::string& name, std::int64_t order) {
  model::Rule rule;
  rule.id = id;
  rule.name = name;
  rule.script = "function (user, context, callback) { callback(null, user, context); }";
  rule.order = order;
  rule.enabled = true;
  rule.created_at = at_ms(1'000);
  rule.updated_at = at_ms(2'000);
  return rule;
}

model::Action sample_action(const std::string& id, const std::string& name, std::int64_t order) {
  model::Action action;
  action.id = id;
  action.name = name;
  action.code = "exports.onExecutePostLogin = async (event, api) => {};";
  action.order = order;
  action.enabled = false;
  action.created_at = at_ms(3'000);
  action.updated_at = at_ms(4'000);
  return action;
}

std::vector<std::string> rule_ids(const std::vector<model::Rule>& rules) {
  std::vector<std::string> ids;
  for (const auto& rule : rules) ids.push_back(rule.id);
  return ids;
}

TEST_P(StoreConformance, CreatedRuleIsFoundByIdAndByNameWithEveryField) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_1", "Add roles", 2)).ok());
  for (const std::string key : {"rul_1", "Add roles"}) {
    auto found = store().rules().find(key);
    ASSERT_TRUE(found.ok()) << key;
    EXPECT_EQ(found->id, "rul_1");
    EXPECT_EQ(found->name, "Add roles");
    EXPECT_EQ(found->script, sample_rule("x", "x", 0).script);
    EXPECT_EQ(found->order, 2);
    EXPECT_TRUE(found->enabled);
    EXPECT_EQ(found->created_at, at_ms(1'000));
    EXPECT_EQ(found->updated_at, at_ms(2'000));
  }
  EXPECT_EQ(store().rules().find("rul_2").error(), StoreError::not_found);
}

TEST_P(StoreConformance, RuleWithATakenIdOrNameIsAConflict) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_1", "a", 1)).ok());
  EXPECT_EQ(store().rules().create(sample_rule("rul_1", "b", 1)).error(), StoreError::conflict);
  EXPECT_EQ(store().rules().create(sample_rule("rul_2", "a", 1)).error(), StoreError::conflict);
}

TEST_P(StoreConformance, RulesAreListedInRunOrderThenById) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_c", "c", 2)).ok());
  ASSERT_TRUE(store().rules().create(sample_rule("rul_b", "b", 1)).ok());
  ASSERT_TRUE(store().rules().create(sample_rule("rul_a", "a", 2)).ok());
  auto rules = store().rules().list();
  ASSERT_TRUE(rules.ok());
  EXPECT_EQ(rule_ids(*rules), (std::vector<std::string>{"rul_b", "rul_a", "rul_c"}));
}

TEST_P(StoreConformance, UpdatedRuleKeepsItsCreationTime) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_1", "a", 1)).ok());
  auto changed = sample_rule("rul_1", "renamed", 5);
  changed.script = "function (u, c, cb) { cb(null, u, c); }";
  changed.enabled = false;
  changed.created_at = at_ms(9'000);
  changed.updated_at = at_ms(10'000);
  ASSERT_TRUE(store().rules().update(changed).ok());
  auto found = store().rules().find("renamed");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->script, changed.script);
  EXPECT_EQ(found->order, 5);
  EXPECT_FALSE(found->enabled);
  EXPECT_EQ(found->created_at, at_ms(1'000));
  EXPECT_EQ(found->updated_at, at_ms(10'000));
  EXPECT_EQ(store().rules().update(sample_rule("rul_9", "z", 1)).error(), StoreError::not_found);
}

TEST_P(StoreConformance, RenamingARuleToATakenNameIsAConflict) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_1", "a", 1)).ok());
  ASSERT_TRUE(store().rules().create(sample_rule("rul_2", "b", 1)).ok());
  EXPECT_EQ(store().rules().update(sample_rule("rul_2", "a", 1)).error(), StoreError::conflict);
}

TEST_P(StoreConformance, RemovedRuleIsGoneByIdOrName) {
  ASSERT_TRUE(store().rules().create(sample_rule("rul_1", "a", 1)).ok());
  ASSERT_TRUE(store().rules().create(sample_rule("rul_2", "b", 1)).ok());
  EXPECT_TRUE(store().rules().remove("rul_1").ok());
  EXPECT_TRUE(store().rules().remove("b").ok());
  EXPECT_EQ(store().rules().remove("b").error(), StoreError::not_found);
  EXPECT_TRUE(store().rules().list()->empty());
}

TEST_P(StoreConformance, ActionsRoundTripAndListInRunOrder) {
  ASSERT_TRUE(store().actions().create(sample_action("act_2", "second", 2)).ok());
  ASSERT_TRUE(store().actions().create(sample_action("act_1", "first", 1)).ok());
  EXPECT_EQ(store().actions().create(sample_action("act_3", "first", 1)).error(),
            StoreError::conflict);
  auto found = store().actions().find("first");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, "act_1");
  EXPECT_EQ(found->code, sample_action("x", "x", 0).code);
  EXPECT_FALSE(found->enabled);
  EXPECT_EQ(found->created_at, at_ms(3'000));
  auto changed = *found;
  changed.enabled = true;
  changed.order = 7;
  ASSERT_TRUE(store().actions().update(changed).ok());
  auto actions = store().actions().list();
  ASSERT_TRUE(actions.ok());
  ASSERT_EQ(actions->size(), 2U);
  EXPECT_EQ((*actions)[0].id, "act_2");
  EXPECT_EQ((*actions)[1].id, "act_1");
  EXPECT_TRUE((*actions)[1].enabled);
  EXPECT_TRUE(store().actions().remove("act_1").ok());
  EXPECT_EQ(store().actions().find("act_1").error(), StoreError::not_found);
}

TEST_P(StoreConformance, RuleConfigIsSetReplacedListedByKeyAndRemoved) {
  auto& configs = store().rule_configs();
  ASSERT_TRUE(configs.set({"zeta", {1, 2, 3}, at_ms(1'000)}).ok());
  ASSERT_TRUE(configs.set({"alpha", {0, 255}, at_ms(1'000)}).ok());
  ASSERT_TRUE(configs.set({"zeta", {9}, at_ms(5'000)}).ok());
  auto zeta = configs.find("zeta");
  ASSERT_TRUE(zeta.ok());
  EXPECT_EQ(zeta->sealed_value, (std::vector<std::uint8_t>{9}));
  EXPECT_EQ(zeta->updated_at, at_ms(5'000));
  auto all = configs.list();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].key, "alpha");
  EXPECT_EQ((*all)[0].sealed_value, (std::vector<std::uint8_t>{0, 255}));
  EXPECT_TRUE(configs.remove("alpha").ok());
  EXPECT_EQ(configs.remove("alpha").error(), StoreError::not_found);
  EXPECT_EQ(configs.find("alpha").error(), StoreError::not_found);
}

TEST_P(StoreConformance, ActionSecretsAreSetPerActionListedByKeyAndRemoved) {
  ASSERT_TRUE(store().actions().create(sample_action("act_1", "one", 0)).ok());
  ASSERT_TRUE(store().actions().create(sample_action("act_2", "two", 1)).ok());
  auto& secrets = store().action_secrets();
  ASSERT_TRUE(secrets.set({"act_1", "zeta", {1, 2}, at_ms(1'000)}).ok());
  ASSERT_TRUE(secrets.set({"act_1", "alpha", {3}, at_ms(1'000)}).ok());
  ASSERT_TRUE(secrets.set({"act_2", "alpha", {4}, at_ms(1'000)}).ok());
  ASSERT_TRUE(secrets.set({"act_1", "zeta", {9}, at_ms(5'000)}).ok()) << "a second set replaces";
  EXPECT_EQ(secrets.set({"act_none", "alpha", {5}, at_ms(1'000)}).error(), StoreError::not_found);

  auto first = secrets.list("act_1");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2U);
  EXPECT_EQ((*first)[0].key, "alpha");
  EXPECT_EQ((*first)[0].sealed_value, (std::vector<std::uint8_t>{3}));
  EXPECT_EQ((*first)[1].key, "zeta");
  EXPECT_EQ((*first)[1].sealed_value, (std::vector<std::uint8_t>{9}));
  EXPECT_EQ((*first)[1].updated_at, at_ms(5'000));
  EXPECT_EQ((*first)[1].action_id, "act_1");

  EXPECT_TRUE(secrets.remove("act_1", "alpha").ok());
  EXPECT_EQ(secrets.remove("act_1", "alpha").error(), StoreError::not_found);
  EXPECT_EQ(secrets.list("act_1")->size(), 1U);
  EXPECT_EQ(secrets.list("act_2")->size(), 1U) << "another action's key of the same name stays";

  ASSERT_TRUE(store().actions().remove("act_1").ok());
  EXPECT_TRUE(secrets.list("act_1")->empty()) << "an action's secrets go with it";
  EXPECT_TRUE(secrets.list("act_none")->empty());
}

TEST_P(StoreConformance, UserMetadataSetByRulesIsPersisted) {
  model::User user;
  user.user_id = "auth0|meta";
  user.email = "meta@example.com";
  user.created_at = at_ms(1'000);
  user.updated_at = at_ms(1'000);
  ASSERT_TRUE(store().users().create(user).ok());
  const nlohmann::json app = {{"roles", {"admin"}}};
  const nlohmann::json mine = {{"theme", "dark"}};
  ASSERT_TRUE(store().users().set_metadata("auth0|meta", app, mine, at_ms(7'000)).ok());
  auto found = store().users().find("auth0|meta");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->app_metadata, app);
  EXPECT_EQ(found->user_metadata, mine);
  EXPECT_EQ(found->updated_at, at_ms(7'000));
  EXPECT_EQ(store().users().set_metadata("auth0|none", app, mine, at_ms(7'000)).error(),
            StoreError::not_found);
}

}  // namespace
}  // namespace latchkey::store_test
