// Auth0 Rules and post-login Actions during real logins through the real binary (issue 5): each
// rule in the style of Auth0's published templates is stored with the CLI, a browser logs in,
// and the test looks at what the app gets back: the redirect, and the claims of the tokens its
// code buys, and those its refresh token buys (Auth0 runs the rules again on each exchange).
// Limits are shortened (LATCHKEY_RULES_TIMEOUT_MS) so runaway rules end quickly, and the server
// has one I/O thread, so a rule that blocked it would hold up every other request.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <string_view>
#include <thread>

#include "app/store_factory.hpp"
#include "integration/live_server.hpp"
#include "jose/base64url.hpp"

namespace latchkey::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kApi = "https://messages.example.com/";
constexpr const char* kAlice = "alice@example.com";
constexpr const char* kMallory = "mallory@evil.example";
constexpr const char* kSlow = "slow@example.com";
constexpr const char* kPassword = "correct horse battery";
constexpr const char* kNs = "https://example.com/";
constexpr const char* kScope = "openid profile email read:messages";
constexpr const char* kOfflineScope = "openid profile email read:messages offline_access";
constexpr auto kRulesTimeout = 2000ms;
/// What the app sees when a rule failed: nothing of the rule's internals.
constexpr const char* kFailedDescription = "Login was stopped by a rule";

/// A login's end: where the browser was sent, and the tokens its code bought (if any).
struct Login {
  Walk walk;
  std::string error;
  std::string error_description;
  nlohmann::json id_claims;
  nlohmann::json access_claims;
  std::string refresh_token;  ///< "" unless offline_access was granted
};

/// What the app gets for a refresh token exchange: the status and the JSON body.
struct Refreshed {
  int status = 0;
  nlohmann::json body;
  [[nodiscard]] nlohmann::json claims(const char* token) const;
};

nlohmann::json jwt_claims(const nlohmann::json& token) {
  if (!token.is_string()) return nullptr;
  const std::string text = token;
  const auto first = text.find('.');
  const auto second = text.find('.', first + 1);
  if (first == std::string::npos || second == std::string::npos) return nullptr;
  const auto payload = jose::base64url_decode(text.substr(first + 1, second - first - 1));
  if (!payload) return nullptr;
  return nlohmann::json::parse(std::string(payload->begin(), payload->end()), nullptr, false);
}

nlohmann::json Refreshed::claims(const char* token) const {
  return body.is_object() ? jwt_claims(body.value(token, nlohmann::json())) : nullptr;
}

class RulesFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = std::make_unique<LiveServer>();
    server_->cli({"apis", "create", "--identifier", kApi, "--name", "Messages", "--scope",
                  "read:messages=Read your messages", "--allow-offline-access"});
    client_ = server_->create_client("Rules App", "regular_web", {kCallback});
    for (const char* email : {kAlice, kMallory, kSlow}) server_->create_user(email, kPassword);
    set_app_metadata(kAlice, {{"roles", {"admin", "editor"}}});
    server_->start({"LATCHKEY_RULES_TIMEOUT_MS=" + std::to_string(kRulesTimeout.count()),
                    "LATCHKEY_RULES_HEAP_MB=32", "LATCHKEY_THREADS=1"});
  }
  static void TearDownTestSuite() { server_.reset(); }

  void TearDown() override { delete_scripts(); }

  static void delete_scripts() {
    for (const char* kind : {"rules", "actions"}) {
      const auto listed = server_->cli({kind, "list"});
      for (const auto& script : listed)
        server_->cli({kind, "delete", script["id"].get<std::string>()});
    }
  }

  static std::unique_ptr<store::Store> open_store() {
    config::Config config;
    config.data_dir = server_->data_dir();
    auto store = app::open_store(config);
    EXPECT_TRUE(store.ok());
    return store ? std::move(store).value() : nullptr;
  }

  static model::User find_user(const std::string& email) {
    auto user = open_store()->users().find_by_email(email);
    EXPECT_TRUE(user.ok()) << email;
    return user ? *user : model::User{};
  }

  static void set_app_metadata(const std::string& email, const nlohmann::json& metadata) {
    const auto user = find_user(email);
    ASSERT_TRUE(open_store()
                    ->users()
                    .set_metadata(user.user_id, metadata, user.user_metadata, user.updated_at)
                    .ok());
  }

  /// Stores a rule or an action (`kind` "rules" or "actions") through the CLI.
  static void add_script(const std::string& kind, const std::string& name,
                         const std::string& script) {
    const auto file = server_->data_dir() / (name + ".js");
    std::ofstream(file) << script;
    server_->cli({kind, "create", "--name", name, "--file", file.string()});
  }
  static void add_rule(const std::string& name, const std::string& script) {
    add_script("rules", name, script);
  }
  static void add_action(const std::string& name, const std::string& script) {
    add_script("actions", name, script);
  }

  static std::vector<std::pair<std::string, std::string>> authorize_params(
      const std::string& scope = kScope) {
    return {{"response_type", "code"},
            {"client_id", client_.id},
            {"redirect_uri", kCallback},
            {"scope", scope},
            {"audience", kApi},
            {"state", "st-1"},
            {"nonce", "n-1"},
            {"code_challenge", kPkceChallenge},
            {"code_challenge_method", "S256"}};
  }

  /// What the app gets for the code at the end of `walk` (or for its error).
  static Login finish(Browser& browser, Walk walk) {
    Login login;
    login.error = query_param(walk.location, "error").value_or("");
    login.error_description = query_param(walk.location, "error_description").value_or("");
    const auto code = query_param(walk.location, "code");
    if (code) {
      const auto token = redeem_code(browser, client_, *code, kCallback);
      EXPECT_TRUE(token && token->status == 200) << (token ? token->body : "no answer");
      if (token) {
        const auto body = nlohmann::json::parse(token->body, nullptr, false);
        login.id_claims = jwt_claims(body.value("id_token", nlohmann::json()));
        login.access_claims = jwt_claims(body.value("access_token", nlohmann::json()));
        login.refresh_token = body.value("refresh_token", "");
      }
    }
    login.walk = std::move(walk);
    return login;
  }

  /// A fresh browser logs `email` in at /authorize and exchanges the code it gets.
  static Login log_in(const std::string& email, const std::string& scope = kScope) {
    Browser browser(server_->port());
    Walk done =
        walk(browser, *server_, authorize_url(authorize_params(scope)), {email, kPassword, true});
    EXPECT_TRUE(done.login_shown);
    return finish(browser, std::move(done));
  }

  /// The site a script sent the browser to (`away`) sends it back to /continue with its state:
  /// what the app then gets.
  static Login come_back(Browser& browser, const Walk& away) {
    const auto state = query_param(away.location, "state");
    EXPECT_TRUE(state) << away.location;
    if (!state) return {};
    const auto back = browser.get("/continue?state=" + url_encode(*state));
    EXPECT_TRUE(back && back->status == 302) << (back ? back->body : "no answer");
    Walk returned;
    if (back) returned.location = back->header("Location").value_or("");
    return finish(browser, std::move(returned));
  }

  /// The app exchanges `refresh_token` (client_secret_basic), as its back end would.
  static Refreshed refresh(const std::string& refresh_token) {
    Browser browser(server_->port());
    const auto response =
        token_request(browser, {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token}},
                      {basic_authorization(client_.id, client_.secret)});
    EXPECT_TRUE(response) << "no answer";
    if (!response) return {};
    return {response->status, nlohmann::json::parse(response->body, nullptr, false)};
  }

  static inline std::unique_ptr<LiveServer> server_;
  static inline LiveClient client_;
};

const std::string kAddRoles = R"js(
function addRolesToTokens(user, context, callback) {
  const namespace = 'https://example.com/';
  const assignedRoles = (user.app_metadata && user.app_metadata.roles) || [];
  context.idToken[namespace + 'roles'] = assignedRoles;
  context.accessToken[namespace + 'roles'] = assignedRoles;
  callback(null, user, context);
}
)js";

TEST_F(RulesFlow, ARuleAddsTheRolesFromAppMetadataToBothTokens) {
  add_rule("add-roles", kAddRoles);
  const Login login = log_in(kAlice);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.id_claims[std::string(kNs) + "roles"], nlohmann::json({"admin", "editor"}));
  EXPECT_EQ(login.access_claims[std::string(kNs) + "roles"], nlohmann::json({"admin", "editor"}));
  EXPECT_EQ(login.access_claims["aud"][0], kApi)
      << "the rule's claims come on top of the usual ones";
}

const std::string kDenyDomain = R"js(
function denyByDomain(user, context, callback) {
  const blocked = ['evil.example'];
  const domain = user.email.split('@')[1];
  if (blocked.includes(domain)) {
    return callback(new UnauthorizedError('Access denied from ' + domain));
  }
  callback(null, user, context);
}
)js";

TEST_F(RulesFlow, ARuleDeniesUsersOfABlockedEmailDomainWithItsOwnMessage) {
  add_rule("deny-domain", kDenyDomain);
  const Login denied = log_in(kMallory);
  EXPECT_EQ(denied.walk.location.rfind(kCallback, 0), 0U) << denied.walk.location;
  EXPECT_EQ(denied.error, "access_denied");
  EXPECT_EQ(denied.error_description, "Access denied from evil.example");
  EXPECT_EQ(query_param(denied.walk.location, "state"), "st-1");
  EXPECT_FALSE(query_param(denied.walk.location, "code"));
  EXPECT_EQ(log_in(kAlice).error, "") << "other domains still log in";
}

TEST_F(RulesFlow, ARuleAddsTheEmailToTheAccessTokenOnly) {
  add_rule("email-to-access-token", R"js(
function (user, context, callback) {
  context.accessToken['https://example.com/email'] = user.email;
  context.accessToken.sub = 'someone-else';
  context.accessToken.scope = ['read:messages', 'admin:everything'];
  callback(null, user, context);
}
)js");
  const Login login = log_in(kAlice);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.access_claims[std::string(kNs) + "email"], kAlice);
  EXPECT_FALSE(login.id_claims.contains(std::string(kNs) + "email"));
  EXPECT_EQ(login.access_claims["sub"], find_user(kAlice).user_id) << "sub is reserved";
  EXPECT_EQ(login.access_claims["scope"], "openid profile email read:messages")
      << "a rule cannot widen the granted scope";
}

TEST_F(RulesFlow, ARuleReadsTheRulesConfigsAsConfiguration) {
  server_->cli({"rules-configs", "set", "SUPPORT_TIER", "gold"});
  add_rule("configuration", R"js(
function (user, context, callback) {
  context.idToken['https://example.com/tier'] = configuration.SUPPORT_TIER;
  callback(null, user, context);
}
)js");
  const Login login = log_in(kAlice);
  server_->cli({"rules-configs", "unset", "SUPPORT_TIER"});
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.id_claims[std::string(kNs) + "tier"], "gold");
}

TEST_F(RulesFlow, AppMetadataARulePersistsIsSeenAtTheNextLogin) {
  add_rule("count-visits", R"js(
function countVisits(user, context, callback) {
  user.app_metadata = user.app_metadata || {};
  const visits = (user.app_metadata.visits || 0) + 1;
  user.app_metadata.visits = visits;
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(() => {
      context.idToken['https://example.com/visits'] = visits;
      callback(null, user, context);
    })
    .catch((err) => callback(err));
}
)js");
  EXPECT_EQ(log_in(kSlow).id_claims[std::string(kNs) + "visits"], 1);
  EXPECT_EQ(log_in(kSlow).id_claims[std::string(kNs) + "visits"], 2);
  EXPECT_EQ(find_user(kSlow).app_metadata["visits"], 2) << "stored, not only in the token";
}

TEST_F(RulesFlow, ARuleRedirectsAwayAndTheRulesRunAgainAtContinue) {
  add_rule("redirect-away", R"js(
function (user, context, callback) {
  if (context.protocol === 'redirect-callback') {
    context.idToken['https://example.com/came_back'] = true;
    return callback(null, user, context);
  }
  context.redirect = { url: 'https://verify.example.com/start?lang=en' };
  callback(null, user, context);
}
)js");
  Browser browser(server_->port());
  Walk away = walk(browser, *server_, authorize_url(authorize_params()), {kAlice, kPassword, true});
  ASSERT_EQ(away.location.rfind("https://verify.example.com/start?lang=en&state=", 0), 0U)
      << away.location;
  const auto state = query_param(away.location, "state");
  ASSERT_TRUE(state);

  const auto forged = browser.get("/continue?state=not-a-transaction");
  ASSERT_TRUE(forged);
  EXPECT_EQ(forged->status, 400);

  const auto back = browser.get("/continue?state=" + url_encode(*state));
  ASSERT_TRUE(back);
  ASSERT_EQ(back->status, 302) << back->body;
  Walk returned;
  returned.location = back->header("Location").value_or("");
  const Login login = finish(browser, std::move(returned));
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(query_param(login.walk.location, "state"), "st-1") << "the app's own state";
  EXPECT_EQ(login.id_claims[std::string(kNs) + "came_back"], true);

  const auto again = browser.get("/continue?state=" + url_encode(*state));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 400) << "a finished transaction cannot be continued twice";
}

TEST_F(RulesFlow, ARuleThatNeverEndsIsStoppedAtTheTimeLimit) {
  add_rule("spin", "function (user, context, callback) { while (true) {} }");
  const auto start = std::chrono::steady_clock::now();
  const Login login = log_in(kAlice);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(login.error, "access_denied") << login.walk.location;
  EXPECT_EQ(login.error_description, kFailedDescription);
  EXPECT_GE(took, kRulesTimeout);
  EXPECT_TRUE(server_->log_shows("rules.failed")) << server_->log();
}

TEST_F(RulesFlow, ARuleThatExhaustsTheHeapIsStopped) {
  add_rule("memory-bomb", R"js(
function (user, context, callback) {
  const hoard = [];
  while (true) hoard.push(new Array(100000).fill('x'));
}
)js");
  const Login login = log_in(kAlice);
  EXPECT_EQ(login.error, "access_denied") << login.walk.location;
  EXPECT_EQ(login.error_description, kFailedDescription);
  server_->cli({"rules", "delete", "memory-bomb"});
  EXPECT_EQ(log_in(kAlice).error, "") << "the server lives on";
}

TEST_F(RulesFlow, ARuleWithASyntaxErrorFailsTheLoginWithoutDetails) {
  // The CLI refuses such a script, so it is written to the store the way an import could.
  model::Rule broken;
  broken.id = "rul_broken";
  broken.name = "broken";
  broken.script = "function (user, context, callback) { callback(null, user, context";
  ASSERT_TRUE(open_store()->rules().create(broken).ok());
  const Login login = log_in(kAlice);
  EXPECT_EQ(login.error, "access_denied") << login.walk.location;
  EXPECT_EQ(login.error_description, kFailedDescription);
  EXPECT_EQ(login.walk.location.find("SyntaxError"), std::string::npos);
}

TEST_F(RulesFlow, AnActionAddsTheRolesToBothTokens) {
  add_action("roles-action", R"js(
exports.onExecutePostLogin = async (event, api) => {
  const roles = event.user.app_metadata.roles || [];
  api.idToken.setCustomClaim('https://example.com/roles', roles);
  api.accessToken.setCustomClaim('https://example.com/roles', roles);
};
)js");
  const Login login = log_in(kAlice);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.id_claims[std::string(kNs) + "roles"], nlohmann::json({"admin", "editor"}));
  EXPECT_EQ(login.access_claims[std::string(kNs) + "roles"], nlohmann::json({"admin", "editor"}));
}

TEST_F(RulesFlow, AnActionReadsItsSecretsWhichAreStoredSealed) {
  add_action("secret-action", R"js(
exports.onExecutePostLogin = async (event, api) => {
  // Upper case: the claim lands in the stored code, the plain value must not land anywhere.
  api.accessToken.setCustomClaim('https://example.com/tier', event.secrets.TIER.toUpperCase());
  api.accessToken.setCustomClaim('https://example.com/keys', Object.keys(event.secrets).sort());
  api.accessToken.setCustomClaim('https://example.com/api_key', event.secrets.API_KEY);
};
)js");
  constexpr std::string_view kSecretValue = "gold-b9f2c41d7e";
  server_->cli({"actions", "secrets", "set", "secret-action", "TIER", std::string(kSecretValue)});
  server_->cli({"actions", "secrets", "set", "secret-action", "API_KEY"}, "from-stdin\n");
  server_->cli({"actions", "secrets", "set", "secret-action", "UNUSED", "x"});
  server_->cli({"actions", "secrets", "unset", "secret-action", "UNUSED"});

  const auto listed = server_->cli_result({"actions", "secrets", "list", "secret-action"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out, nullptr, false),
            nlohmann::json::parse(R"([{"key":"API_KEY"},{"key":"TIER"}])"));
  EXPECT_EQ(listed.out.find(kSecretValue), std::string::npos) << "list never prints values";
  EXPECT_NE(server_->cli_result({"actions", "secrets", "list", "no-such-action"}).exit_code, 0);
  EXPECT_NE(server_->cli_result({"actions", "secrets", "unset", "secret-action", "NOPE"}).exit_code,
            0);

  const Login login = log_in(kAlice);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.access_claims[std::string(kNs) + "tier"], "GOLD-B9F2C41D7E");
  EXPECT_EQ(login.access_claims[std::string(kNs) + "keys"], nlohmann::json({"API_KEY", "TIER"}));
  EXPECT_EQ(login.access_claims[std::string(kNs) + "api_key"], "from-stdin") << "no newline";

  for (const char* file : {"latchkey.db", "latchkey.db-wal"}) {
    std::ifstream database(server_->data_dir() / file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(database), {}};
    EXPECT_EQ(bytes.find(kSecretValue), std::string::npos) << file << " holds only ciphertext";
  }
  EXPECT_EQ(server_->settled_log().find(kSecretValue), std::string::npos);
}

TEST_F(RulesFlow, AnActionDeniesUsersOfABlockedEmailDomain) {
  add_action("deny-domain-action", R"js(
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.email.endsWith('@evil.example')) {
    api.access.deny('Access denied from evil.example');
  }
};
)js");
  const Login denied = log_in(kMallory);
  EXPECT_EQ(denied.error, "access_denied");
  EXPECT_EQ(denied.error_description, "Access denied from evil.example");
  EXPECT_EQ(log_in(kAlice).error, "");
}

TEST_F(RulesFlow, AnActionRedirectsAwayAndItsOnContinueRunsAtContinue) {
  add_rule("add-roles", kAddRoles);
  add_action("verify-action", R"js(
exports.onExecutePostLogin = async (event, api) => {
  api.redirect.sendUserTo('https://verify.example.com/check');
};
exports.onContinuePostLogin = async (event, api) => {
  api.idToken.setCustomClaim('https://example.com/verified', event.transaction.protocol);
};
)js");
  Browser browser(server_->port());
  const Walk away =
      walk(browser, *server_, authorize_url(authorize_params()), {kAlice, kPassword, true});
  const Login login = come_back(browser, away);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.id_claims[std::string(kNs) + "verified"], "redirect-callback");
  EXPECT_EQ(login.id_claims[std::string(kNs) + "roles"], nlohmann::json({"admin", "editor"}))
      << "the rules ran again too";
}

TEST_F(RulesFlow, ARunawayRuleForOneLoginLeavesOtherLoginsUnaffected) {
  add_rule("spin-for-slow", R"js(
function (user, context, callback) {
  if (user.email === 'slow@example.com') { while (true) {} }
  callback(null, user, context);
}
)js");
  auto runaway = std::async(std::launch::async, [] {
    const Login login = log_in(kSlow);
    return std::make_pair(login.error, std::chrono::steady_clock::now());
  });
  std::this_thread::sleep_for(200ms);  // the runaway login is under way
  std::vector<std::future<Login>> others;
  for (int i = 0; i < 3; ++i)
    others.push_back(std::async(std::launch::async, [] { return log_in(kAlice); }));
  std::vector<std::chrono::steady_clock::time_point> finished;
  for (auto& other : others) {
    const Login login = other.get();
    finished.push_back(std::chrono::steady_clock::now());
    EXPECT_EQ(login.error, "") << login.walk.location;
    EXPECT_TRUE(login.id_claims.is_object());
  }
  const auto [error, runaway_end] = runaway.get();
  EXPECT_EQ(error, "access_denied");
  for (const auto& end : finished) {
    EXPECT_LT(end, runaway_end) << "a normal login waited for the runaway one";
  }
}

const std::string kProtocolAndRoles = R"js(
function protocolAndRoles(user, context, callback) {
  const namespace = 'https://example.com/';
  context.accessToken[namespace + 'protocol'] = context.protocol;
  context.idToken[namespace + 'roles'] = (user.app_metadata && user.app_metadata.roles) || [];
  callback(null, user, context);
}
)js";

TEST_F(RulesFlow, TheRulesRunAgainOnARefreshTokenExchange) {
  add_rule("protocol-and-roles", kProtocolAndRoles);
  const Login login = log_in(kAlice, kOfflineScope);
  ASSERT_EQ(login.error, "") << login.walk.location;
  ASSERT_FALSE(login.refresh_token.empty());
  EXPECT_EQ(login.access_claims[std::string(kNs) + "protocol"], "oidc-basic-profile");

  const Refreshed first = refresh(login.refresh_token);
  ASSERT_EQ(first.status, 200) << first.body.dump();
  EXPECT_EQ(first.claims("access_token")[std::string(kNs) + "protocol"], "oauth2-refresh-token");
  EXPECT_EQ(first.claims("id_token")[std::string(kNs) + "roles"],
            nlohmann::json({"admin", "editor"}))
      << "the rule's claims survive the refresh";

  // They run on the stored user of the moment, not on the one of the login.
  set_app_metadata(kAlice, {{"roles", {"viewer"}}});
  const Refreshed second = refresh(first.body.value("refresh_token", ""));
  ASSERT_EQ(second.status, 200) << second.body.dump();
  EXPECT_EQ(second.claims("id_token")[std::string(kNs) + "roles"], nlohmann::json({"viewer"}));
  set_app_metadata(kAlice, {{"roles", {"admin", "editor"}}});
}

TEST_F(RulesFlow, AnActionSeesTheRefreshProtocolInItsTransaction) {
  add_action("protocol-action", R"js(
exports.onExecutePostLogin = async (event, api) => {
  api.accessToken.setCustomClaim('https://example.com/protocol', event.transaction.protocol);
};
)js");
  const Login login = log_in(kAlice, kOfflineScope);
  ASSERT_EQ(login.error, "") << login.walk.location;
  EXPECT_EQ(login.access_claims[std::string(kNs) + "protocol"], "oidc-basic-profile");
  const Refreshed refreshed = refresh(login.refresh_token);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body.dump();
  EXPECT_EQ(refreshed.claims("access_token")[std::string(kNs) + "protocol"],
            "oauth2-refresh-token");
}

TEST_F(RulesFlow, ARuleDeniesARefreshAndTheTokenStaysUsable) {
  add_rule("no-refresh", R"js(
function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') {
    return callback(new UnauthorizedError('Refresh is paused for ' + user.email));
  }
  callback(null, user, context);
}
)js");
  const Login login = log_in(kAlice, kOfflineScope);
  ASSERT_EQ(login.error, "") << login.walk.location;
  const Refreshed denied = refresh(login.refresh_token);
  EXPECT_EQ(denied.status, 403) << denied.body.dump();
  EXPECT_EQ(denied.body["error"], "access_denied");
  EXPECT_EQ(denied.body["error_description"], "Refresh is paused for alice@example.com");

  delete_scripts();
  const Refreshed allowed = refresh(login.refresh_token);
  EXPECT_EQ(allowed.status, 200) << "the denial spent nothing: " << allowed.body.dump();
}

TEST_F(RulesFlow, ARuleThatRedirectsOnARefreshIsRefused) {
  add_rule("redirect-always", R"js(
function (user, context, callback) {
  if (context.protocol !== 'redirect-callback') {
    context.redirect = { url: 'https://verify.example.com/start' };
  }
  callback(null, user, context);
}
)js");
  Browser browser(server_->port());
  const Walk away = walk(browser, *server_, authorize_url(authorize_params(kOfflineScope)),
                         {kAlice, kPassword, true});
  const Login login = come_back(browser, away);
  ASSERT_FALSE(login.refresh_token.empty()) << login.walk.location;

  const Refreshed refused = refresh(login.refresh_token);
  EXPECT_EQ(refused.status, 403) << refused.body.dump();
  EXPECT_EQ(refused.body["error"], "access_denied");
  EXPECT_EQ(refused.body.dump().find("verify.example.com"), std::string::npos);
}

TEST_F(RulesFlow, ARunawayRuleOnARefreshLeavesOtherRequestsUnaffected) {
  add_rule("spin-on-refresh", R"js(
function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') { while (true) {} }
  callback(null, user, context);
}
)js");
  const Login login = log_in(kAlice, kOfflineScope);
  ASSERT_FALSE(login.refresh_token.empty()) << login.walk.location;
  auto runaway = std::async(std::launch::async, [&login] {
    const Refreshed refreshed = refresh(login.refresh_token);
    return std::make_pair(refreshed, std::chrono::steady_clock::now());
  });
  std::this_thread::sleep_for(200ms);  // the runaway exchange is under way
  // The only I/O thread is free: logins and their code exchanges go on meanwhile.
  const Login other = log_in(kAlice);
  const auto other_end = std::chrono::steady_clock::now();
  EXPECT_EQ(other.error, "") << other.walk.location;
  EXPECT_TRUE(other.id_claims.is_object());
  const auto [refreshed, runaway_end] = runaway.get();
  EXPECT_EQ(refreshed.status, 403) << refreshed.body.dump();
  EXPECT_EQ(refreshed.body["error_description"], kFailedDescription);
  EXPECT_LT(other_end, runaway_end) << "a login waited for the runaway refresh";
}

}  // namespace
}  // namespace latchkey::testing
