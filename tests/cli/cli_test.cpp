// The `latchkey` command line, run as a user runs it: the real binary on a fresh data dir.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace latchkey::testing {
namespace {

class Cli : public ::testing::Test {
 protected:
  ProcessResult latchkey(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_.path().string()});
    return run_process(args, input);
  }

  /// Runs a command with --json that must succeed, and returns its JSON.
  nlohmann::json ok_json(std::vector<std::string> args, const std::string& input = "") {
    args.push_back("--json");
    const auto r = latchkey(args, input);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
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

/// One line on stderr, nothing on stdout, a non-zero exit.
void expect_one_line_error(const ProcessResult& r) {
  EXPECT_NE(r.exit_code, 0);
  EXPECT_TRUE(r.out.empty()) << r.out;
  ASSERT_FALSE(r.err.empty());
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
}

TEST_F(Cli, ClientCreatePrintsTheSecretOnceAndStoresOnlyItsDigest) {
  const auto created = ok_json({"clients", "create", "--name", "Web App", "--type", "regular_web",
                                "--callback", "http://127.0.0.1:3000/callback", "--first-party"});
  const std::string id = created["client_id"];
  const std::string secret = created["client_secret"];
  EXPECT_EQ(secret.size(), 64u);
  EXPECT_EQ(created["is_first_party"], true);
  EXPECT_EQ(created["callbacks"][0], "http://127.0.0.1:3000/callback");

  const auto got = ok_json({"clients", "get", id});
  EXPECT_EQ(got["name"], "Web App");
  EXPECT_FALSE(got.contains("client_secret"));
  EXPECT_EQ(database_bytes().find(secret), std::string::npos) << "the secret is stored in clear";

  const auto rotated = ok_json({"clients", "rotate-secret", id});
  EXPECT_NE(rotated["client_secret"], secret);
}

TEST_F(Cli, ClientListGetDeleteRoundTrip) {
  const auto a =
      ok_json({"clients", "create", "--name", "A", "--callback", "https://a.example/cb"});
  const auto b = ok_json({"clients", "create", "--name", "B", "--type", "non_interactive"});
  EXPECT_TRUE(b["client_secret"].is_string());
  const auto list = ok_json({"clients", "list"});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["client_id"], a["client_id"]);
  EXPECT_EQ(list[1]["client_id"], b["client_id"]);

  ok_json({"clients", "delete", a["client_id"]});
  EXPECT_EQ(ok_json({"clients", "list"}).size(), 1u);
  expect_one_line_error(latchkey({"clients", "get", a["client_id"]}));
  expect_one_line_error(latchkey({"clients", "delete", a["client_id"]}));
}

TEST_F(Cli, PublicClientsGetNoSecret) {
  const auto spa = ok_json({"clients", "create", "--name", "SPA", "--type", "spa", "--callback",
                            "http://localhost:5173/"});
  EXPECT_TRUE(spa["client_secret"].is_null());
  EXPECT_EQ(spa["token_endpoint_auth_method"], "none");
  expect_one_line_error(latchkey({"clients", "rotate-secret", spa["client_id"]}));
}

TEST_F(Cli, ClientCreateRejectsBadArguments) {
  expect_one_line_error(latchkey(
      {"clients", "create", "--name", "X", "--type", "web", "--callback", "https://a.example/cb"}));
  expect_one_line_error(latchkey({"clients", "create", "--name", "X", "--callback", "/relative"}));
  expect_one_line_error(latchkey({"clients", "create", "--name", "X"}));
  expect_one_line_error(latchkey({"clients", "create", "--callback", "https://a.example/cb"}));
}

TEST_F(Cli, ClientIdTokenAlgIsRs256ByDefaultAndSetByCreateOrUpdate) {
  const auto plain =
      ok_json({"clients", "create", "--name", "A", "--callback", "https://a.example/cb"});
  EXPECT_EQ(plain["id_token_signed_response_alg"], "RS256");
  EXPECT_EQ(plain["jwt_configuration"]["alg"], "RS256");
  const auto ec = ok_json({"clients", "create", "--name", "B", "--callback", "https://b.example/cb",
                           "--id-token-alg", "ES256"});
  EXPECT_EQ(ec["id_token_signed_response_alg"], "ES256");
  EXPECT_EQ(ok_json({"clients", "get", ec["client_id"]})["jwt_configuration"]["alg"], "ES256");

  const auto updated =
      ok_json({"clients", "update", plain["client_id"], "--id-token-alg", "EdDSA"});
  EXPECT_EQ(updated["id_token_signed_response_alg"], "EdDSA");
  const auto list = ok_json({"clients", "list"});
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id_token_signed_response_alg"], "EdDSA");
  EXPECT_EQ(list[1]["id_token_signed_response_alg"], "ES256");
  // An update without options changes nothing.
  EXPECT_EQ(ok_json({"clients", "update", ec["client_id"]})["id_token_signed_response_alg"],
            "ES256");
}

TEST_F(Cli, ClientIdTokenAlgRefusesNoneHmacAndUnknownClients) {
  for (const char* alg : {"none", "HS256", "es256", "RS512"}) {
    expect_one_line_error(latchkey({"clients", "create", "--name", "X", "--callback",
                                    "https://a.example/cb", "--id-token-alg", alg}));
  }
  const auto c =
      ok_json({"clients", "create", "--name", "A", "--callback", "https://a.example/cb"});
  expect_one_line_error(latchkey({"clients", "update", c["client_id"], "--id-token-alg", "HS256"}));
  expect_one_line_error(latchkey({"clients", "update", "nope", "--id-token-alg", "ES256"}));
  EXPECT_EQ(ok_json({"clients", "get", c["client_id"]})["id_token_signed_response_alg"], "RS256");
}

TEST_F(Cli, ApiCreateListGetDeleteRoundTrip) {
  const auto api = ok_json({"apis", "create", "--identifier", "https://api.example.com", "--name",
                            "Messages", "--scope", "read:messages=Read your messages", "--scope",
                            "write:messages=Write messages", "--allow-offline-access",
                            "--token-lifetime", "3600", "--signing-alg", "ES256"});
  EXPECT_EQ(api["scopes"][1]["value"], "write:messages");
  EXPECT_EQ(api["scopes"][0]["description"], "Read your messages");
  EXPECT_EQ(api["token_lifetime"], 3600);
  EXPECT_EQ(api["signing_alg"], "ES256");
  EXPECT_EQ(api["allow_offline_access"], true);

  EXPECT_EQ(ok_json({"apis", "get", "https://api.example.com"})["id"], api["id"]);
  EXPECT_EQ(ok_json({"apis", "get", api["id"]})["identifier"], "https://api.example.com");
  EXPECT_EQ(ok_json({"apis", "list"}).size(), 1u);
  expect_one_line_error(
      latchkey({"apis", "create", "--identifier", "https://api.example.com", "--name", "Again"}));
  ok_json({"apis", "delete", "https://api.example.com"});
  EXPECT_EQ(ok_json({"apis", "list"}).size(), 0u);
}

TEST_F(Cli, ApiCreateRejectsBadArguments) {
  expect_one_line_error(latchkey({"apis", "create", "--identifier", "has space", "--name", "X"}));
  expect_one_line_error(latchkey(
      {"apis", "create", "--identifier", "urn:x", "--name", "X", "--signing-alg", "HS256"}));
  expect_one_line_error(latchkey(
      {"apis", "create", "--identifier", "urn:x", "--name", "X", "--scope", "bad scope=desc"}));
  expect_one_line_error(latchkey(
      {"apis", "create", "--identifier", "urn:x", "--name", "X", "--token-lifetime", "0"}));
}

TEST_F(Cli, UserCreateHashesThePasswordWithArgon2id) {
  const auto user = ok_json(
      {"users", "create", "--email", "Alice@Example.com", "--name", "Alice", "--password-stdin"},
      "correct horse battery\n");
  EXPECT_EQ(user["email"], "alice@example.com");
  EXPECT_EQ(user["user_id"].get<std::string>().rfind("auth0|", 0), 0u);
  EXPECT_FALSE(user.contains("password_hash"));
  const std::string bytes = database_bytes();
  EXPECT_EQ(bytes.find("correct horse battery"), std::string::npos);
  EXPECT_NE(bytes.find("$argon2id$"), std::string::npos);
}

TEST_F(Cli, UserGetBlockUnblockDeleteRoundTrip) {
  const auto user = ok_json({"users", "create", "--email", "bob@example.com", "--password-stdin"},
                            "hunter22hunter22\n");
  EXPECT_EQ(ok_json({"users", "get", "BOB@example.com"})["user_id"], user["user_id"]);
  EXPECT_EQ(ok_json({"users", "block", user["user_id"]})["blocked"], true);
  EXPECT_EQ(ok_json({"users", "get", user["user_id"]})["blocked"], true);
  EXPECT_EQ(ok_json({"users", "unblock", "bob@example.com"})["blocked"], false);
  EXPECT_EQ(ok_json({"users", "list"}).size(), 1u);
  ok_json({"users", "delete", user["user_id"]});
  expect_one_line_error(latchkey({"users", "get", user["user_id"]}));
}

TEST_F(Cli, UserCreateRejectsBadArguments) {
  expect_one_line_error(
      latchkey({"users", "create", "--email", "not-an-email", "--password-stdin"}, "longenough\n"));
  expect_one_line_error(
      latchkey({"users", "create", "--email", "c@example.com", "--password-stdin"}, "short\n"));
  expect_one_line_error(latchkey({"users", "create", "--email", "c@example.com"}));
  ok_json({"users", "create", "--email", "c@example.com", "--password-stdin"}, "longenough\n");
  expect_one_line_error(latchkey(
      {"users", "create", "--email", "C@example.com", "--password-stdin"}, "longenough\n"));
}

// One key id in 64 starts with '-' (a base64url thumbprint); such a word after an id command is
// the id, not an unknown option, with or without options after it.
TEST_F(Cli, AnIdThatStartsWithADashIsTheId) {
  const auto user =
      ok_json({"users", "create", "--email=-dash@example.com", "--password-stdin"}, "longenough\n");
  EXPECT_EQ(ok_json({"users", "get", "-dash@example.com"})["user_id"], user["user_id"]);
  EXPECT_EQ(ok_json({"users", "block", "-dash@example.com"})["blocked"], true);

  const auto missing = latchkey({"keys", "revoke", "-AbcDefGhi", "--json"});
  expect_one_line_error(missing);
  EXPECT_EQ(nlohmann::json::parse(missing.err, nullptr, false)["error"],
            "key -AbcDefGhi not found");
  const auto after_dashes = latchkey({"keys", "revoke", "--", "-AbcDefGhi"});
  expect_one_line_error(after_dashes);
  EXPECT_NE(after_dashes.err.find("key -AbcDefGhi not found"), std::string::npos)
      << after_dashes.err;

  // Help and unknown options elsewhere are as before.
  EXPECT_EQ(latchkey({"users", "get", "-h"}).exit_code, 0);
  expect_one_line_error(latchkey({"users", "list", "-x1"}));
}

TEST_F(Cli, JsonErrorsAreOneJsonLine) {
  const auto r = latchkey({"clients", "get", "nope", "--json"});
  expect_one_line_error(r);
  const auto json = nlohmann::json::parse(r.err, nullptr, false);
  ASSERT_TRUE(json.is_object()) << r.err;
  EXPECT_TRUE(json["error"].is_string());
}

TEST_F(Cli, UnknownCommandsAndOptionsFailWithOneLine) {
  expect_one_line_error(latchkey({"frobnicate"}));
  expect_one_line_error(latchkey({"clients", "list", "--bogus"}));
  expect_one_line_error(latchkey({}));
}

TEST_F(Cli, MigrateReportsTheSchemaVersionAndIsIdempotent) {
  const auto first = ok_json({"migrate"});
  const auto second = ok_json({"migrate"});
  EXPECT_GE(first["schema_version"].get<int>(), 1);
  EXPECT_EQ(first, second);
}

TEST_F(Cli, BadConfigurationIsRejectedNamingTheKey) {
  const auto r =
      run_process({latchkey_binary(), "--data-dir", dir_.path().string(), "clients", "list"}, "",
                  std::chrono::seconds(30), {"LATCHKEY_LOG_LEVEL=loud"});
  expect_one_line_error(r);
  EXPECT_NE(r.err.find("LATCHKEY_LOG_LEVEL"), std::string::npos) << r.err;
}

TEST_F(Cli, CommandsRunBesideARunningServerOnTheSameStore) {
  ServerProcess server(dir_.path());
  const auto client =
      ok_json({"clients", "create", "--name", "Beside", "--callback", "https://a.example/cb"});
  EXPECT_TRUE(client["client_id"].is_string());
  EXPECT_EQ(ok_json({"clients", "list"}).size(), 1u);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

}  // namespace
}  // namespace latchkey::testing
