// app::RulesLoginPipeline: the rules and actions stored in a real SQLite store, run for a login
// as the code issuance will run them.
#include "app/rules_login_pipeline.hpp"

#include <gtest/gtest.h>

#include <array>

#include "app/rule_configs.hpp"
#include "crypto/random.hpp"
#include "rules/platform.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/process.hpp"

namespace latchkey::app {
namespace {

using Kind = oauth::LoginPipelineOutcome::Kind;

const rules::Platform& platform() {
  static const rules::Platform instance;  // SpiderMonkey initialises once per process
  return instance;
}

class RulesLoginPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::SqliteStore::open(dir_.path() / "latchkey.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(opened).value();
    user_.user_id = "auth0|ann";
    user_.email = "ann@example.com";
    user_.app_metadata = {{"roles", {"admin"}}, {"plan", "free"}};
    ASSERT_TRUE(store_->users().create(user_).ok());
    client_.client_id = "app1";
    client_.name = "App One";
  }

  void add_rule(const std::string& name, const std::string& script, bool enabled = true) {
    model::Rule rule{"rul_" + name, name, script, next_order_++, enabled, {}, {}};
    ASSERT_TRUE(store_->rules().create(rule).ok());
  }

  void add_action(const std::string& name, const std::string& code) {
    model::Action action{"act_" + name, name, code, next_order_++, true, {}, {}};
    ASSERT_TRUE(store_->actions().create(action).ok());
  }

  void set_secret(const std::string& action_id, const std::string& key, const std::string& value) {
    crypto::OsRandom random;
    auto sealed = seal_action_secret(kek_, action_id, key, value, clock_.now(), random);
    ASSERT_TRUE(sealed.ok());
    ASSERT_TRUE(store_->action_secrets().set(*sealed).ok());
  }

  oauth::LoginPipelineOutcome run() {
    RulesLoginPipeline pipeline(*store_, engines_, kek_, "latchkey.test", *log_, clock_);
    return pipeline.run(user_, client_, oauth::LoginPipelineFacts{});
  }

  testing::TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  rules::EngineSet engines_{platform(), rules::EngineOptions{}};
  jose::KeyEncryptionKey kek_{std::array<std::uint8_t, 32>{7}};
  std::shared_ptr<Logger> log_ = make_null_logger();
  ManualClock clock_{TimePoint(std::chrono::seconds(1'700'000'000))};
  model::User user_;
  model::Client client_;
  std::int64_t next_order_ = 1;
};

TEST_F(RulesLoginPipelineTest, NoEnabledRuleMeansEmptyAndOkWithoutClaims) {
  add_rule("off", "function (u, c, cb) { cb(new UnauthorizedError('no')); }", false);
  RulesLoginPipeline pipeline(*store_, engines_, kek_, "latchkey.test", *log_, clock_);
  EXPECT_TRUE(pipeline.empty());
  const auto outcome = pipeline.run(user_, client_, {});
  EXPECT_EQ(outcome.kind, Kind::ok);
  EXPECT_TRUE(outcome.extra_claims.empty());
}

TEST_F(RulesLoginPipelineTest, RolesFromAppMetadataBecomeClaimsForBothTokens) {
  add_rule("roles", R"js(function (user, context, callback) {
    const roles = user.app_metadata?.roles ?? [];
    context.idToken['https://example.com/roles'] = roles;
    context.accessToken['https://example.com/roles'] = roles;
    context.idToken.sub = 'forged';
    callback(null, user, context);
  })js");
  const auto outcome = run();
  ASSERT_EQ(outcome.kind, Kind::ok);
  EXPECT_EQ(outcome.extra_claims["id_token"]["https://example.com/roles"][0], "admin");
  EXPECT_EQ(outcome.extra_claims["access_token"]["https://example.com/roles"][0], "admin");
  EXPECT_FALSE(outcome.extra_claims["id_token"].contains("sub"));
}

TEST_F(RulesLoginPipelineTest, DenyByEmailDomainUsesTheSealedConfiguration) {
  crypto::OsRandom random;
  auto sealed = seal_rule_config(kek_, "ALLOWED_DOMAIN", "corp.example", clock_.now(), random);
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE(store_->rule_configs().set(*sealed).ok());
  add_rule("domain", R"js(function (user, context, callback) {
    if (!user.email.endsWith('@' + configuration.ALLOWED_DOMAIN)) {
      return callback(new UnauthorizedError('Only corp accounts'));
    }
    callback(null, user, context);
  })js");
  const auto outcome = run();
  EXPECT_EQ(outcome.kind, Kind::denied);
  EXPECT_EQ(outcome.description, "Only corp accounts");
}

TEST_F(RulesLoginPipelineTest, AppMetadataUpdatesAreMergedIntoTheStoredUser) {
  add_rule("meta", R"js(async function (user, context, callback) {
    user.app_metadata.plan = 'pro';
    user.app_metadata.roles = null;
    await auth0.users.updateAppMetadata(user.user_id, user.app_metadata);
    callback(null, user, context);
  })js");
  ASSERT_EQ(run().kind, Kind::ok);
  const auto stored = store_->users().find("auth0|ann");
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->app_metadata, (nlohmann::json{{"plan", "pro"}}));
  EXPECT_EQ(stored->updated_at, clock_.now());
}

TEST_F(RulesLoginPipelineTest, ThrowingRuleFailsAndRedirectIsPassedOn) {
  add_rule("throws", "function (u, c, cb) { null.x; }");
  EXPECT_EQ(run().kind, Kind::failed);
  ASSERT_TRUE(store_->rules().remove("throws").ok());
  add_rule("mfa", R"js(function (user, context, callback) {
    context.redirect = { url: 'https://mfa.example/start' };
    callback(null, user, context);
  })js");
  const auto outcome = run();
  EXPECT_EQ(outcome.kind, Kind::redirect);
  EXPECT_EQ(outcome.redirect_url, "https://mfa.example/start");
}

TEST_F(RulesLoginPipelineTest, EachActionSeesOnlyItsOwnSecrets) {
  const std::string code = R"js(exports.onExecutePostLogin = async (event, api) => {
    api.idToken.setCustomClaim('https://example.com/' + event.secrets.NAME, event.secrets);
  };)js";
  add_action("first", code);
  add_action("second", code);
  set_secret("act_first", "NAME", "first");
  set_secret("act_first", "TOKEN", "t-1");
  set_secret("act_second", "NAME", "second");
  const auto outcome = run();
  ASSERT_EQ(outcome.kind, Kind::ok);
  EXPECT_EQ(outcome.extra_claims["id_token"]["https://example.com/first"],
            (nlohmann::json{{"NAME", "first"}, {"TOKEN", "t-1"}}));
  EXPECT_EQ(outcome.extra_claims["id_token"]["https://example.com/second"],
            (nlohmann::json{{"NAME", "second"}}));
}

TEST_F(RulesLoginPipelineTest, ASecretMovedToAnotherActionDoesNotOpenAndFailsTheLogin) {
  add_action("victim", "exports.onExecutePostLogin = async (event, api) => {};");
  add_action("thief", "exports.onExecutePostLogin = async (event, api) => {};");
  set_secret("act_victim", "KEY", "value");
  auto moved = store_->action_secrets().list("act_victim");
  ASSERT_TRUE(moved.ok());
  ASSERT_EQ(moved->size(), 1U);
  (*moved)[0].action_id = "act_thief";
  ASSERT_TRUE(store_->action_secrets().set((*moved)[0]).ok());
  EXPECT_EQ(run().kind, Kind::failed);
}

}  // namespace
}  // namespace latchkey::app
