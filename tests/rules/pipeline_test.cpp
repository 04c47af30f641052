#include "rules/pipeline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "rules/platform_fixture.hpp"

namespace latchkey::rules {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

EngineOptions test_limits() {
  EngineOptions options;
  options.wall_time = milliseconds(300);
  options.heap_bytes = std::size_t{16} << 20U;
  return options;
}

PipelineInput login_input() {
  PipelineInput input;
  input.user = {{"user_id", "auth0|42"},
                {"email", "ada@example.com"},
                {"email_verified", true},
                {"name", "Ada"},
                {"app_metadata", {{"roles", {"admin", "editor"}}}},
                {"user_metadata", json::object()},
                {"logins_count", 3}};
  input.context = {{"clientID", "client-1"},
                   {"clientName", "Web App"},
                   {"protocol", "oidc-basic-profile"},
                   {"connection", "Username-Password-Authentication"},
                   {"request", {{"ip", "127.0.0.1"}, {"query", {{"scope", "openid profile"}}}}},
                   {"accessToken", {{"scope", {"openid", "profile"}}}},
                   {"idToken", json::object()}};
  input.configuration = {{"ALLOWED_DOMAIN", "example.com"}};
  return input;
}

std::string why(const PipelineResult& result) {
  return result.failure ? result.failure->message : "outcome " + result.description;
}

class PipelineTest : public ::testing::Test {
 protected:
  explicit PipelineTest(EngineOptions options = test_limits())
      : engine_(testing::test_platform(), options) {}
  PipelineResult run(std::vector<Rule> rules, std::vector<Action> actions = {}) {
    return run_pipeline(engine_, rules, actions, input_);
  }
  Engine engine_;
  PipelineInput input_ = login_input();
};

// A bomb needs a wall time long enough that only the heap limit can stop it.
class PipelineHeapTest : public PipelineTest {
 protected:
  PipelineHeapTest() : PipelineTest(EngineOptions{milliseconds(5000), std::size_t{16} << 20U}) {}
};

TEST_F(PipelineTest, RolesFromAppMetadataLandInBothTokens) {
  auto result = run({{"roles", R"(function (user, context, callback) {
    const namespace = 'https://example.com/';
    const roles = (user.app_metadata && user.app_metadata.roles) || [];
    context.idToken[namespace + 'roles'] = roles;
    context.accessToken[namespace + 'roles'] = roles;
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims["https://example.com/roles"], json({"admin", "editor"}));
  EXPECT_EQ(result.access_token_claims["https://example.com/roles"], json({"admin", "editor"}));
}

// Each run leaves its realm behind; an engine that never collected them fully failed one
// innocent login in a few hundred once they filled the heap (seen in bench/rules_bench).
TEST(PipelineRuns, ManyLoginsInARowOnASmallHeapAllSucceed) {
  Engine engine(testing::test_platform(), EngineOptions{milliseconds(5000), std::size_t{8} << 20U});
  const std::vector<Rule> rules{{"claims", R"(function (user, context, callback) {
    context.idToken['https://example.com/n'] = [1, 2, 3].map((x) => x * 2);
    callback(null, user, context);
  })"}};
  int failures = 0;
  for (int i = 0; i < 600; ++i) {
    const auto result = run_pipeline(engine, rules, {}, login_input());
    if (result.outcome != Outcome::ok) ++failures;
  }
  EXPECT_EQ(failures, 0);
}

TEST_F(PipelineTest, UnauthorizedErrorDeniesWithItsMessage) {
  input_.user["email"] = "eve@evil.test";
  auto result = run({{"domain", R"(function (user, context, callback) {
    const domain = user.email.split('@')[1];
    if (domain !== configuration.ALLOWED_DOMAIN) {
      return callback(new UnauthorizedError('Access denied for ' + domain));
    }
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::denied);
  EXPECT_EQ(result.description, "Access denied for evil.test");
}

TEST_F(PipelineTest, ConfigurationAllowsTheRightDomainAndEmailGoesIntoTheAccessToken) {
  auto result = run({{"domain", R"(function (user, context, callback) {
    if (!user.email.endsWith('@' + configuration.ALLOWED_DOMAIN)) {
      return callback(new UnauthorizedError('nope'));
    }
    callback(null, user, context);
  })"},
                     {"email", R"(function (user, context, callback) {
    context.accessToken['https://example.com/email'] = user.email;
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.access_token_claims["https://example.com/email"], "ada@example.com");
  EXPECT_FALSE(result.id_token_claims.contains("https://example.com/email"));
}

TEST_F(PipelineTest, UpdateAppMetadataIsRecordedAndReturnsAPromise) {
  auto result = run({{"count", R"(function (user, context, callback) {
    user.app_metadata.visits = (user.app_metadata.visits || 0) + 1;
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(() => auth0.users.updateUserMetadata(user.user_id, {theme: 'dark'}))
      .then(() => callback(null, user, context))
      .catch((err) => callback(err));
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  ASSERT_EQ(result.metadata_updates.size(), 2U);
  EXPECT_EQ(result.metadata_updates[0].kind, MetadataUpdate::Kind::app_metadata);
  EXPECT_EQ(result.metadata_updates[0].user_id, "auth0|42");
  EXPECT_EQ(result.metadata_updates[0].metadata["visits"], 1);
  EXPECT_EQ(result.metadata_updates[1].kind, MetadataUpdate::Kind::user_metadata);
  EXPECT_EQ(result.metadata_updates[1].metadata, json({{"theme", "dark"}}));
  EXPECT_EQ(result.user["app_metadata"]["visits"], 1);
}

TEST_F(PipelineTest, ContextRedirectEndsInARedirectAfterAllRules) {
  auto result = run({{"mfa-page", R"(function (user, context, callback) {
    if (context.protocol !== 'redirect-callback') {
      context.redirect = {url: 'https://verify.example.com/start'};
    }
    callback(null, user, context);
  })"},
                     {"later", R"(function (user, context, callback) {
    context.idToken.later_ran = true;
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::redirect);
  EXPECT_EQ(result.redirect_url, "https://verify.example.com/start");
  EXPECT_EQ(result.id_token_claims["later_ran"], true);

  input_.context["protocol"] = "redirect-callback";
  EXPECT_EQ(run({{"mfa-page", R"(function (user, context, callback) {
    if (context.protocol !== 'redirect-callback') context.redirect = {url: 'https://x.test'};
    callback(null, user, context);
  })"}}).outcome,
            Outcome::ok);
}

TEST_F(PipelineTest, InfiniteLoopFailsAtTheTimeLimit) {
  auto result = run({{"spin", "function (user, context, callback) { while (true) {} }"}});
  ASSERT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.failure->kind, FailureKind::timeout);
}

TEST_F(PipelineTest, RuleThatNeverCallsBackFailsAsATimeout) {
  auto result = run({{"silent", "function (user, context, callback) { /* forgot */ }"}});
  ASSERT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.failure->kind, FailureKind::timeout);
}

TEST_F(PipelineHeapTest, MemoryBombFailsAtTheHeapLimit) {
  auto result = run({{"bomb", R"(function (user, context, callback) {
    const hoard = [];
    for (;;) hoard.push(new Array(50000).fill(user.email));
  })"}});
  ASSERT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.failure->kind, FailureKind::heap) << why(result);
}

TEST_F(PipelineTest, SyntaxErrorFailsNamingTheRule) {
  auto result =
      run({{"ok", "function (u, c, cb) { cb(null, u, c); }"},
           {"typo", "function (user, context, callback) { callback(null, user context); }"}});
  ASSERT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.failure->kind, FailureKind::syntax);
  EXPECT_EQ(result.failure->script, "typo");
}

TEST_F(PipelineTest, ThrownErrorAndCallbackErrorFailWithoutLeakingIntoTheDescription) {
  auto thrown = run({{"boom", "function (user, context, callback) { null.x; }"}});
  ASSERT_EQ(thrown.outcome, Outcome::failed);
  EXPECT_EQ(thrown.failure->kind, FailureKind::exception);
  EXPECT_EQ(thrown.failure->script, "boom");
  EXPECT_TRUE(thrown.description.empty());
  auto called_back =
      run({{"err", "function (u, c, callback) { callback(new Error('db down')); }"}});
  ASSERT_EQ(called_back.outcome, Outcome::failed);
  EXPECT_NE(called_back.failure->message.find("db down"), std::string::npos);
}

TEST_F(PipelineTest, AsyncRuleThatThrowsFailsAtOnceAndUnauthorizedErrorStillDenies) {
  auto thrown = run({{"async-boom", "async function (u, c, cb) { await null; u.missing.x = 1; }"}});
  ASSERT_EQ(thrown.outcome, Outcome::failed);
  EXPECT_EQ(thrown.failure->kind, FailureKind::exception);
  EXPECT_EQ(thrown.failure->script, "async-boom");
  auto denied = run({{"async-deny", R"(async function (user, context, callback) {
    await Promise.resolve();
    throw new UnauthorizedError('blocked by policy');
  })"}});
  ASSERT_EQ(denied.outcome, Outcome::denied);
  EXPECT_EQ(denied.description, "blocked by policy");
}

TEST_F(PipelineTest, ConsoleLogIsCollectedPerRuleAndGlobalIsShared) {
  auto result = run({{"first", R"(function (user, context, callback) {
    global.seen = ['first'];
    console.log('hello', {n: 1});
    callback(null, user, context);
  })"},
                     {"second", R"(function (user, context, callback) {
    global.seen.push('second');
    console.log(global.seen.join(','));
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  ASSERT_EQ(result.log.size(), 2U);
  EXPECT_EQ(result.log[0].script, "first");
  EXPECT_EQ(result.log[0].text, R"(hello {"n":1})");
  EXPECT_EQ(result.log[1].script, "second");
  EXPECT_EQ(result.log[1].text, "first,second");
}

TEST_F(PipelineTest, MultifactorIsAcceptedAndIgnoredWithALogLine) {
  auto result = run({{"mfa", R"(function (user, context, callback) {
    context.multifactor = {provider: 'any', allowRememberBrowser: false};
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  ASSERT_EQ(result.log.size(), 1U);
  EXPECT_EQ(result.log[0].text, "context.multifactor is not supported and was ignored");
}

TEST_F(PipelineTest, DisabledRulesAreSkippedAndOrderIsKept) {
  auto result =
      run({{"a", "function (u, c, cb) { c.idToken.order = ['a']; cb(null, u, c); }"},
           {"off", "function (u, c, cb) { c.idToken.order.push('off'); cb(null, u, c); }", false},
           {"b", "function (u, c, cb) { c.idToken.order.push('b'); cb(null, u, c); }"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims["order"], json({"a", "b"}));
}

TEST_F(PipelineTest, ReservedClaimsAreDroppedAndUnnamespacedClaimsKept) {
  auto result = run({{"greedy", R"(function (user, context, callback) {
    Object.assign(context.idToken, {iss: 'x', sub: 'x', aud: 'x', exp: 1, iat: 1, nbf: 1, jti: 'x',
                                    azp: 'x', auth_time: 1, nonce: 'x', plain: 'kept'});
    context.accessToken.sub = 'x';
    context.accessToken.scope = 'not an array';
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims, json({{"plain", "kept"}}));
  EXPECT_EQ(result.access_token_claims, json::object());
}

TEST_F(PipelineTest, ModernSyntaxAndAsyncAwaitWork) {
  auto result = run({{"modern", R"(async function (user, context, callback) {
    const {app_metadata: {roles = []} = {}, nickname} = user;
    const lookup = async (r) => `${r}!`;
    const shouted = [];
    for (const r of roles) shouted.push(await lookup(r));
    context.idToken.shouted = shouted;
    context.idToken.nick = nickname ?? user?.profile?.nickname ?? 'none';
    callback(null, user, context);
  })"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims["shouted"], json({"admin!", "editor!"}));
  EXPECT_EQ(result.id_token_claims["nick"], "none");
}

TEST_F(PipelineTest, ActionsRunAfterRulesWithEventAndApi) {
  input_.configuration = json::object();
  auto result = run({{"rule", "function (u, c, cb) { c.idToken.from_rule = 1; cb(null, u, c); }"}},
                    {{"claims",
                      R"(exports.onExecutePostLogin = async (event, api) => {
    api.idToken.setCustomClaim('https://example.com/client', event.client.name);
    api.accessToken.setCustomClaim('scopes', event.transaction.requested_scopes);
    api.user.setAppMetadata('plan', event.secrets.PLAN);
    api.idToken.setCustomClaim('sub', 'forged');
  };)",
                      {{"PLAN", "gold"}}}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims["from_rule"], 1);
  EXPECT_EQ(result.id_token_claims["https://example.com/client"], "Web App");
  EXPECT_FALSE(result.id_token_claims.contains("sub"));
  EXPECT_EQ(result.access_token_claims["scopes"], json({"openid", "profile"}));
  ASSERT_EQ(result.metadata_updates.size(), 1U);
  EXPECT_EQ(result.metadata_updates[0].metadata, json({{"plan", "gold"}}));
  EXPECT_EQ(result.user["app_metadata"]["plan"], "gold");
}

TEST_F(PipelineTest, RolesActionIsTheEquivalentOfTheRolesRule) {
  auto result = run({}, {{"roles", R"(exports.onExecutePostLogin = async (event, api) => {
    const roles = event.user.app_metadata?.roles ?? [];
    api.idToken.setCustomClaim('https://example.com/roles', roles);
    api.accessToken.setCustomClaim('https://example.com/roles', roles);
  };)"}});
  ASSERT_EQ(result.outcome, Outcome::ok) << why(result);
  EXPECT_EQ(result.id_token_claims["https://example.com/roles"], json({"admin", "editor"}));
  EXPECT_EQ(result.access_token_claims["https://example.com/roles"], json({"admin", "editor"}));
}

TEST_F(PipelineTest, ActionSyntaxErrorFailsNamingTheAction) {
  auto result = run({}, {{"broken", "exports.onExecutePostLogin = async (event, api) => {"}});
  ASSERT_EQ(result.outcome, Outcome::failed);
  EXPECT_EQ(result.failure->kind, FailureKind::syntax);
  EXPECT_EQ(result.failure->script, "broken");
}

TEST_F(PipelineTest, ActionDenyEndsTheLoginWithItsReason) {
  auto result =
      run({}, {{"gate", R"(exports.onExecutePostLogin = async (event, api) => {
    if (!event.user.email.endsWith('@corp.test')) api.access.deny('Only corp accounts');
  };)"},
               {"after", "exports.onExecutePostLogin = async () => { throw new Error('ran'); };"}});
  ASSERT_EQ(result.outcome, Outcome::denied);
  EXPECT_EQ(result.description, "Only corp accounts");
}

TEST_F(PipelineTest, ActionRedirectThenContinueRunsOnContinuePostLogin) {
  const std::vector<Action> actions = {
      {"consent-page", R"(exports.onExecutePostLogin = async (event, api) => {
    api.redirect.sendUserTo('https://terms.example.com/accept', {query: {user: event.user.user_id}});
  };
  exports.onContinuePostLogin = async (event, api) => {
    api.idToken.setCustomClaim('terms', 'accepted');
  };)"}};
  auto first = run({}, actions);
  ASSERT_EQ(first.outcome, Outcome::redirect);
  EXPECT_EQ(first.redirect_url, "https://terms.example.com/accept?user=auth0%7C42");
  EXPECT_EQ(first.redirect_action, "consent-page");
  input_.resumed_action = "consent-page";
  auto second = run({}, actions);
  ASSERT_EQ(second.outcome, Outcome::ok) << why(second);
  EXPECT_EQ(second.id_token_claims["terms"], "accepted");
}

}  // namespace
}  // namespace latchkey::rules
