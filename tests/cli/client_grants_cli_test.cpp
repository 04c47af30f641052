// `latchkey client-grants` and `clients create --grant-types`, run as a user runs them: the real
// binary on a fresh data dir.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/process.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kApi = "https://m2m.example.com/";

class ClientGrantsCli : public ::testing::Test {
 protected:
  void SetUp() override {
    ok_json({"apis", "create", "--identifier", kApi, "--name", "M2M", "--scope",
             "read:messages=Read", "--scope", "write:messages=Write"});
    client_id_ = ok_json(
        {"clients", "create", "--name", "Worker", "--type", "non_interactive"})["client_id"];
  }

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

  // Fails with one line on stderr, which contains `text`.
  void expect_error(std::vector<std::string> args, const std::string& text) {
    const auto r = latchkey(std::move(args));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find(text), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  }

  TempDir dir_;
  std::string client_id_;
};

TEST_F(ClientGrantsCli, AClientGrantIsCreatedListedUpdatedAndDeleted) {
  const auto created = ok_json({"client-grants", "create", "--client-id", client_id_, "--audience",
                                kApi, "--scope", "read:messages write:messages"});
  const std::string id = created["id"];
  EXPECT_EQ(id.rfind("cgr_", 0), 0U) << id;
  EXPECT_EQ(created["client_id"], client_id_);
  EXPECT_EQ(created["audience"], kApi);
  EXPECT_EQ(created["scope"], nlohmann::json({"read:messages", "write:messages"}));

  const auto listed = ok_json({"client-grants", "list"});
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_EQ(listed[0]["id"], id);
  EXPECT_TRUE(ok_json({"client-grants", "list", "--client-id", "someone-else"}).empty());
  EXPECT_EQ(ok_json({"client-grants", "list", "--audience", kApi}).size(), 1U);
  EXPECT_EQ(ok_json({"client-grants", "get", id})["audience"], kApi);

  const auto updated = ok_json({"client-grants", "update", id, "--scope", "read:messages"});
  EXPECT_EQ(updated["scope"], nlohmann::json({"read:messages"}));
  EXPECT_EQ(ok_json({"client-grants", "get", id})["scope"], nlohmann::json({"read:messages"}));

  EXPECT_EQ(ok_json({"client-grants", "delete", id})["deleted"], id);
  EXPECT_TRUE(ok_json({"client-grants", "list"}).empty());
  expect_error({"client-grants", "delete", id}, "not found");
}

TEST_F(ClientGrantsCli, TextOutputNamesTheGrantClientApiAndScopes) {
  const auto r = latchkey({"client-grants", "create", "--client-id", client_id_, "--audience", kApi,
                           "--scope", "read:messages"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("cgr_"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(client_id_), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(std::string(kApi) + "  read:messages"), std::string::npos) << r.out;
}

TEST_F(ClientGrantsCli, UnknownClientsApisScopesAndDuplicatesAreRefused) {
  expect_error({"client-grants", "create", "--client-id", "ghost", "--audience", kApi},
               "client ghost not found");
  expect_error(
      {"client-grants", "create", "--client-id", client_id_, "--audience", "https://nowhere/"},
      "API https://nowhere/ not found");
  expect_error({"client-grants", "create", "--client-id", client_id_, "--audience", kApi, "--scope",
                "read:messages delete:everything"},
               "scope delete:everything is not defined by API");
  ok_json({"client-grants", "create", "--client-id", client_id_, "--audience", kApi});
  expect_error({"client-grants", "create", "--client-id", client_id_, "--audience", kApi},
               "already exists");
}

TEST_F(ClientGrantsCli, DeletingTheClientRemovesItsClientGrants) {
  ok_json({"client-grants", "create", "--client-id", client_id_, "--audience", kApi});
  ok_json({"clients", "delete", client_id_});
  EXPECT_TRUE(ok_json({"client-grants", "list"}).empty());
}

TEST_F(ClientGrantsCli, ClientsCreateTakesGrantTypes) {
  EXPECT_EQ(ok_json({"clients", "get", client_id_})["grant_types"],
            nlohmann::json({"client_credentials"}));
  const auto web =
      ok_json({"clients", "create", "--name", "Web", "--callback", "https://app.example.com/cb",
               "--grant-types", "authorization_code,client_credentials"});
  EXPECT_EQ(web["grant_types"], nlohmann::json({"authorization_code", "client_credentials"}));
  expect_error({"clients", "create", "--name", "Spa", "--type", "spa", "--callback",
                "https://app.example.com/cb", "--grant-types", "client_credentials"},
               "confidential");
  expect_error({"clients", "create", "--name", "X", "--type", "non_interactive", "--grant-types",
                "password"},
               "unknown grant type 'password'");
}

}  // namespace
}  // namespace latchkey::testing
