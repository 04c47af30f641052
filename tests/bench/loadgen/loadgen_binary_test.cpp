// latchkey-loadgen against the real latchkey: a short run of each scenario latchkey serves
// today, read back from the JSON report, and a login that fails for a wrong password.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/process.hpp"

namespace latchkey::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kKek = "LATCHKEY_KEK=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kCallback = "http://127.0.0.1:3001/callback";
constexpr const char* kApi = "https://api.bench.local/";
constexpr const char* kEmail = "bench@example.com";
constexpr const char* kPassword = "correct horse battery";

class Loadgen : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    cli({"apis", "create", "--identifier", kApi, "--name", "Bench API", "--scope",
         "read:data=Read data", "--allow-offline-access"});
    const auto client = cli(
        {"clients", "create", "--name", "Bench", "--type", "regular_web", "--callback", kCallback});
    client_id_ = client.value("client_id", "");
    client_secret_ = client.value("client_secret", "");
    cli({"users", "create", "--email", kEmail, "--name", "Bench", "--password-stdin"},
        std::string(kPassword) + "\n");
    server_ = new ServerProcess(dir_->path(), {}, {kKek});
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
  }

  static nlohmann::json cli(std::vector<std::string> args, const std::string& input = "") {
    args.insert(args.begin(), {latchkey_binary(), "--data-dir", dir_->path().string()});
    args.emplace_back("--json");
    const auto r = run_process(args, input, 30s, {kKek});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

  static std::vector<std::string> loadgen_args(const std::string& password) {
    return {LOADGEN_BINARY,
            "--issuer",
            "http://127.0.0.1:" + std::to_string(server_->port()) + "/",
            "--client-id",
            client_id_,
            "--client-secret",
            client_secret_,
            "--redirect-uri",
            kCallback,
            "--audience",
            kApi,
            "--user",
            kEmail,
            "--password",
            password,
            "--timeout-ms",
            "5000"};
  }

  static inline TempDir* dir_ = nullptr;
  static inline ServerProcess* server_ = nullptr;
  static inline std::string client_id_;
  static inline std::string client_secret_;
};

nlohmann::json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str(), nullptr, false);
}

TEST_F(Loadgen, EachScenarioLatchkeyServesRunsWithoutErrorsAndMeasuresTheServer) {
  const auto json_path = dir_->path() / "loadgen.json";
  auto args = loadgen_args(kPassword);
  args.insert(args.end(), {"--scenario", "code,userinfo,jwks,discovery", "--concurrency", "4",
                           "--duration", "1", "--warmup", "0.2", "--server-pid",
                           std::to_string(server_->pid()), "--json", json_path.string()});
  const auto run = run_process(args, "", 60s);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_NE(run.out.find("p99(ms)"), std::string::npos) << run.out;

  const auto report = read_json(json_path);
  ASSERT_TRUE(report.is_object()) << run.out;
  EXPECT_EQ(report["server_pid"], server_->pid());
  ASSERT_EQ(report["results"].size(), 4U);
  for (const auto& result : report["results"]) {
    SCOPED_TRACE(result.dump());
    EXPECT_EQ(result["concurrency"], 4);
    EXPECT_GT(result["ok"].get<int>(), 0);
    EXPECT_EQ(result["errors_total"], 0);
    EXPECT_GT(result["ops_per_s"].get<double>(), 0.0);
    EXPECT_GT(result["latency_ms"]["p99"].get<double>(), 0.0);
    EXPECT_GE(result["latency_ms"]["max"].get<double>(), result["latency_ms"]["p50"].get<double>());
    ASSERT_TRUE(result["server"].is_object());
    EXPECT_GT(result["server"]["cpu_ms_per_op"].get<double>(), 0.0);
    EXPECT_GT(result["server"]["ops_per_cpu_s"].get<double>(), 0.0);
    EXPECT_GT(result["server"]["rss_kib"]["before"].get<int>(), 0);
    EXPECT_GE(result["server"]["rss_kib"]["peak"].get<int>(),
              result["server"]["rss_kib"]["before"].get<int>());
  }
  const auto& code = report["results"][0];
  EXPECT_EQ(code["scenario"], "code");
  EXPECT_EQ(code["steps"]["authorize"]["count"], code["ok"]);
  EXPECT_EQ(code["steps"]["token"]["count"], code["ok"]);
}

TEST_F(Loadgen, PasswordLoginsRunAsAScenarioAndAsBackgroundLoad) {
  const auto json_path = dir_->path() / "logins.json";
  auto args = loadgen_args(kPassword);
  args.insert(args.end(),
              {"--scenario", "login,jwks", "--background", "login:2", "--concurrency", "2",
               "--duration", "2", "--warmup", "0.2", "--json", json_path.string()});
  const auto run = run_process(args, "", 60s);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_NE(run.out.find("background login x2"), std::string::npos) << run.out;
  const auto report = read_json(json_path);
  ASSERT_EQ(report["results"].size(), 2U) << run.out;
  for (const auto& result : report["results"]) {
    SCOPED_TRACE(result.dump());
    EXPECT_GT(result["ok"].get<int>(), 0);
    EXPECT_EQ(result["errors_total"], 0);
    EXPECT_EQ(result["background"]["scenario"], "login");
    EXPECT_GT(result["background"]["ok"].get<int>(), 0) << "the storm ran during the run";
    EXPECT_TRUE(result["background"]["errors"].empty());
  }
  EXPECT_EQ(report["results"][0]["scenario"], "login");
}

TEST_F(Loadgen, AWrongPasswordFailsTheLoginWithAClearMessage) {
  auto args = loadgen_args("not the password");
  args.insert(args.end(), {"--scenario", "code", "--concurrency", "1", "--duration", "1"});
  const auto run = run_process(args, "", 30s);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find("login refused"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Wrong email or password."), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("not the password"), std::string::npos) << "the password is not echoed";
  EXPECT_EQ(run.out.find("p99"), std::string::npos) << "no run after a failed login";
}

TEST_F(Loadgen, RefusesAnIssuerOffLoopback) {
  const auto run = run_process(
      {LOADGEN_BINARY, "--issuer", "http://192.0.2.1/", "--scenario", "jwks", "--duration", "1"},
      "", 10s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--allow-non-loopback"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace latchkey::testing
