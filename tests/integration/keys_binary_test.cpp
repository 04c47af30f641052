// Signing keys, JWKS and discovery as a running server shows them.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "http/raw_client.hpp"
#include "support/process.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kKek = "LATCHKEY_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

class KeysBinary : public ::testing::Test {
 protected:
  nlohmann::json get_json(const std::string& target) {
    const auto r = exchange(server_->port(), make_request("GET", target));
    EXPECT_TRUE(r && r->status == 200) << target;
    return r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  }
  std::set<std::string> jwks_kids() {
    std::set<std::string> kids;
    const auto jwks = get_json("/.well-known/jwks.json");
    for (const auto& key : jwks["keys"]) kids.insert(key["kid"]);
    return kids;
  }
  nlohmann::json cli(std::vector<std::string> args, std::vector<std::string> env = {kKek}) {
    // --json goes first, so that a key id after "--" (one in 64 starts with '-', which the
    // parser would take for an option) is the last word.
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_.path().string(), "--json"});
    const auto r = run_process(args, "", std::chrono::seconds(30), env);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  /// Polls the JWKS until `done(kids)` holds, for up to 10 s.
  template <class Pred>
  bool wait_for_jwks(Pred done) {
    for (int i = 0; i < 100; ++i) {
      if (done(jwks_kids())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_F(KeysBinary, JwksServesTheCurrentAndNextKeysWithAShortCacheLifetime) {
  server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{},
                                            std::vector<std::string>{kKek});
  const auto r = exchange(server_->port(), make_request("GET", "/.well-known/jwks.json"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("Cache-Control"), "public, max-age=60");
  const auto jwks = nlohmann::json::parse(r->body);
  ASSERT_EQ(jwks["keys"].size(), 2u);
  for (const auto& key : jwks["keys"]) {
    EXPECT_EQ(key["kty"], "RSA");
    EXPECT_EQ(key["alg"], "RS256");
    EXPECT_EQ(key["use"], "sig");
    EXPECT_FALSE(key.contains("d")) << "a private member leaked";
  }
  std::set<std::string> states;
  const auto keys = cli({"keys", "list"});
  for (const auto& key : keys) states.insert(key["state"]);
  EXPECT_EQ(states, (std::set<std::string>{"current", "next"}));
}

TEST_F(KeysBinary, ARotationReachesTheRunningServerWithinSeconds) {
  server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{},
                                            std::vector<std::string>{kKek});
  const auto before = jwks_kids();
  const auto rotation = cli({"keys", "rotate"});
  const std::string fresh_next = rotation["next"];
  const std::string previous = rotation["previous"];
  EXPECT_TRUE(before.contains(rotation["current"])) << "the new current key was published as next";
  EXPECT_TRUE(wait_for_jwks([&](const auto& kids) { return kids.contains(fresh_next); }))
      << "the fresh next key never appeared";
  EXPECT_TRUE(jwks_kids().contains(previous)) << "the previous key must stay published";

  cli({"keys", "revoke", "--", previous});
  EXPECT_TRUE(wait_for_jwks([&](const auto& kids) { return !kids.contains(previous); }))
      << "a revoked key is still served";
}

TEST_F(KeysBinary, AnApiSigningAlgorithmGetsItsOwnKeys) {
  cli({"apis", "create", "--identifier", "urn:ec", "--name", "EC", "--signing-alg", "ES256"});
  cli({"apis", "create", "--identifier", "urn:ed", "--name", "Ed", "--signing-alg", "EdDSA"});
  server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{},
                                            std::vector<std::string>{kKek});
  std::multiset<std::string> algs;
  const auto jwks = get_json("/.well-known/jwks.json");
  for (const auto& key : jwks["keys"]) algs.insert(key["alg"]);
  EXPECT_EQ(algs.count("RS256"), 2u);
  EXPECT_EQ(algs.count("ES256"), 2u);
  EXPECT_EQ(algs.count("EdDSA"), 2u);
}

TEST_F(KeysBinary, WithoutAKekAKeyFileWithMode0600IsCreatedAndAWarningLogged) {
  server_ = std::make_unique<ServerProcess>(dir_.path());
  struct stat st {};
  ASSERT_EQ(stat((dir_.path() / "kek.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(server_->log().find("LATCHKEY_KEK is not set"), std::string::npos) << server_->log();
  EXPECT_EQ(server_->stop(SIGTERM), 0);
  // The same file opens the keys again on the next start.
  server_ = std::make_unique<ServerProcess>(dir_.path());
  EXPECT_EQ(jwks_kids().size(), 2u);
}

TEST_F(KeysBinary, WithAKekNoKeyFileIsWrittenAndAWrongKekRefusesToStart) {
  server_ = std::make_unique<ServerProcess>(dir_.path(), std::vector<std::string>{},
                                            std::vector<std::string>{kKek});
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "kek.key"));
  EXPECT_EQ(server_->stop(SIGTERM), 0);
  const auto r = run_process(
      {latchkey_binary(), "serve", "--data-dir", dir_.path().string(), "--listen", "127.0.0.1:0"},
      "", std::chrono::seconds(30), {"LATCHKEY_KEK=//////////////////////////////////////////8="});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("key-encryption key"), std::string::npos) << r.err;
}

TEST_F(KeysBinary, DiscoveryGivesTheIssuerExactlyAsConfigured) {
  server_ = std::make_unique<ServerProcess>(
      dir_.path(), std::vector<std::string>{"--issuer", "https://auth.example.com"},
      std::vector<std::string>{kKek});
  const auto doc = get_json("/.well-known/openid-configuration");
  EXPECT_EQ(doc["issuer"], "https://auth.example.com/");
  EXPECT_EQ(doc["jwks_uri"], "https://auth.example.com/.well-known/jwks.json");
  EXPECT_EQ(doc["code_challenge_methods_supported"], nlohmann::json::array({"S256"}));
  for (const char* field :
       {"response_types_supported", "subject_types_supported",
        "id_token_signing_alg_values_supported", "token_endpoint_auth_methods_supported",
        "scopes_supported", "claims_supported", "grant_types_supported"}) {
    EXPECT_TRUE(doc.contains(field) && doc[field].is_array()) << field;
  }
  EXPECT_EQ(get_json("/.well-known/oauth-authorization-server"), doc);
}

}  // namespace
}  // namespace latchkey::testing
