// `latchkey rules|actions|rules-configs`, run as a user runs them: the real binary on a fresh
// data dir.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kRolesRule = R"js(function addRoles(user, context, callback) {
  const roles = (user.app_metadata && user.app_metadata.roles) || [];
  context.idToken['https://example.com/roles'] = roles;
  context.accessToken['https://example.com/roles'] = roles;
  callback(null, user, context);
})js";

class RulesCli : public ::testing::Test {
 protected:
  ProcessResult latchkey(std::vector<std::string> args) {
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_.path().string()});
    return run_process(args, "");
  }

  nlohmann::json ok_json(std::vector<std::string> args) {
    args.push_back("--json");
    const auto r = latchkey(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_.path() / name;
    std::ofstream(path) << text;
    return path.string();
  }

  std::string database_bytes() {
    std::string bytes;
    for (const char* name : {"latchkey.db", "latchkey.db-wal"}) {
      std::ifstream in(dir_.path() / name, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), {});
    }
    return bytes;
  }

  TempDir dir_;
};

void expect_one_line_error(const ProcessResult& r) {
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST_F(RulesCli, RulesAreCreatedListedInOrderUpdatedDisabledAndDeleted) {
  const auto file = write("roles.js", kRolesRule);
  const auto second = ok_json({"rules", "create", "--name", "second", "--file", file});
  const auto first =
      ok_json({"rules", "create", "--name", "first", "--file", file, "--order", "0", "--disabled"});
  EXPECT_EQ(second["script"], kRolesRule);
  EXPECT_EQ(second["enabled"], true);
  EXPECT_EQ(first["enabled"], false);

  const auto list = ok_json({"rules", "list"});
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0]["name"], "first");
  EXPECT_EQ(list[1]["name"], "second");
  EXPECT_FALSE(list[0].contains("script"));

  EXPECT_EQ(ok_json({"rules", "enable", "first"})["enabled"], true);
  EXPECT_EQ(ok_json({"rules", "disable", first["id"]})["enabled"], false);
  const auto renamed = ok_json({"rules", "update", "second", "--name", "renamed", "--order", "9"});
  EXPECT_EQ(renamed["order"], 9);
  EXPECT_EQ(ok_json({"rules", "get", "renamed"})["id"], second["id"]);

  ok_json({"rules", "delete", "renamed"});
  expect_one_line_error(latchkey({"rules", "get", "renamed"}));
  expect_one_line_error(latchkey({"rules", "create", "--name", "first", "--file", file}));
}

TEST_F(RulesCli, ScriptWithASyntaxErrorIsRefusedWithItsLine) {
  const auto broken = write("broken.js", "function (user, context, callback) {\n  user.x = ;\n}");
  const auto r = latchkey({"rules", "create", "--name", "broken", "--file", broken});
  expect_one_line_error(r);
  EXPECT_NE(r.err.find("broken:2"), std::string::npos) << r.err;
  EXPECT_TRUE(ok_json({"rules", "list"}).empty());

  ok_json({"rules", "create", "--name", "good", "--file", write("good.js", kRolesRule)});
  expect_one_line_error(latchkey({"rules", "update", "good", "--file", broken}));
  EXPECT_EQ(ok_json({"rules", "get", "good"})["script"], kRolesRule);
}

TEST_F(RulesCli, ActionsHaveTheSameCommandsAndAreSyntaxChecked) {
  const auto code = write("deny.js",
                          "exports.onExecutePostLogin = async (event, api) => {\n"
                          "  if (!event.user.email_verified) api.access.deny('verify first');\n"
                          "};");
  const auto created = ok_json({"actions", "create", "--name", "deny-unverified", "--file", code});
  EXPECT_TRUE(created["id"].get<std::string>().starts_with("act_"));
  EXPECT_EQ(ok_json({"actions", "list"}).size(), 1U);
  EXPECT_EQ(ok_json({"actions", "disable", "deny-unverified"})["enabled"], false);
  expect_one_line_error(latchkey(
      {"actions", "update", "deny-unverified", "--file", write("bad.js", "exports.x = {;")}));
  ok_json({"actions", "delete", created["id"]});
  EXPECT_TRUE(ok_json({"actions", "list"}).empty());
}

TEST_F(RulesCli, RulesConfigValuesAreStoredEncryptedAndListedWithoutValues) {
  const std::string secret = "s3cr3t-value-for-the-rule-0123456789";
  ok_json({"rules-configs", "set", "API_KEY", secret});
  ok_json({"rules-configs", "set", "DOMAIN", "example.com"});
  const auto list = ok_json({"rules-configs", "list"});
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0], (nlohmann::json{{"key", "API_KEY"}}));
  EXPECT_EQ(list.dump().find(secret), std::string::npos);
  EXPECT_EQ(database_bytes().find(secret), std::string::npos) << "the value is stored in clear";
  ok_json({"rules-configs", "unset", "DOMAIN"});
  EXPECT_EQ(ok_json({"rules-configs", "list"}).size(), 1U);
  expect_one_line_error(latchkey({"rules-configs", "unset", "DOMAIN"}));
}

TEST_F(RulesCli, TryShowsTheContextAndTheClaimsTheTokensWouldGet) {
  ok_json({"rules-configs", "set", "ALLOWED_DOMAIN", "example.com"});
  const auto rule = write("domain.js", R"js(function (user, context, callback) {
  if (!user.email.endsWith('@' + configuration.ALLOWED_DOMAIN)) {
    return callback(new UnauthorizedError('Access denied for ' + user.email));
  }
  context.accessToken.email = user.email;
  callback(null, user, context);
})js");
  const auto user = write("user.json", R"({"user_id": "auth0|1", "email": "ann@example.com",
    "app_metadata": {"roles": ["admin"]}})");
  const auto ok = ok_json({"rules", "try", "--file", rule, "--user", user});
  EXPECT_EQ(ok["outcome"], "ok");
  EXPECT_EQ(ok["access_token_claims"]["email"], "ann@example.com");
  EXPECT_EQ(ok["context"]["protocol"], "oidc-basic-profile");

  const auto ctx = write("ctx.json", R"({"clientName": "Overridden"})");
  const auto roles = write("roles.js", kRolesRule);
  const auto with_roles =
      ok_json({"rules", "try", "--file", roles, "--user", user, "--context", ctx});
  EXPECT_EQ(with_roles["id_token_claims"]["https://example.com/roles"][0], "admin");
  EXPECT_EQ(with_roles["context"]["clientName"], "Overridden");

  const auto other = write("other.json", R"({"user_id": "auth0|2", "email": "eve@evil.test"})");
  const auto denied = ok_json({"rules", "try", "--file", rule, "--user", other});
  EXPECT_EQ(denied["outcome"], "denied");
  EXPECT_EQ(denied["description"], "Access denied for eve@evil.test");
}

TEST_F(RulesCli, TryReportsARuleThatThrowsAsOneLine) {
  const auto rule = write("throws.js", "function (u, c, cb) { null.x; }");
  const auto user = write("user.json", R"({"user_id": "auth0|1"})");
  const auto r = latchkey({"rules", "try", "--file", rule, "--user", user});
  expect_one_line_error(r);
  EXPECT_NE(r.err.find("exception"), std::string::npos) << r.err;
  expect_one_line_error(latchkey({"rules", "try", "--file", rule, "--user", rule}));
}

}  // namespace
}  // namespace latchkey::testing
