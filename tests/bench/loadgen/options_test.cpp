#include "loadgen/options.hpp"

#include <gtest/gtest.h>

namespace latchkey::loadgen {
namespace {

std::vector<std::string> base_args() {
  return {"--issuer",        "http://127.0.0.1:3000/",
          "--client-id",     "c1",
          "--client-secret", "s1",
          "--redirect-uri",  "http://127.0.0.1:3001/callback",
          "--user",          "u",
          "--password",      "p"};
}

Options parsed(std::vector<std::string> extra) {
  auto args = base_args();
  args.insert(args.end(), extra.begin(), extra.end());
  auto result = parse_options(args);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error());
  if (!result.ok() || !result->options) return {};
  return *result->options;
}

std::string error_of(std::vector<std::string> args) {
  auto result = parse_options(std::move(args));
  return result.ok() ? "" : result.error();
}

TEST(LoadgenOptions, ParsesScenarioAndConcurrencyListsInOrder) {
  const auto o = parsed({"--scenario", "jwks,code,discovery", "--concurrency", "16,64"});
  EXPECT_EQ(o.scenarios,
            (std::vector<Scenario>{Scenario::jwks, Scenario::code, Scenario::discovery}));
  EXPECT_EQ(o.concurrency, (std::vector<int>{16, 64}));
}

TEST(LoadgenOptions, DefaultsToTenSecondCodeFlowsAtSixteenWithBasicAuth) {
  const auto o = parsed({});
  EXPECT_EQ(o.scenarios, std::vector<Scenario>{Scenario::code});
  EXPECT_EQ(o.concurrency, std::vector<int>{16});
  EXPECT_EQ(o.duration, std::chrono::seconds(10));
  EXPECT_EQ(o.auth_method, AuthMethod::basic);
  EXPECT_FALSE(o.server_pid.has_value());
}

TEST(LoadgenOptions, ReadsBoundsPidJsonAndPostAuth) {
  const auto o = parsed({"--duration", "1.5", "--warmup", "0", "--max-ops", "100", "--timeout-ms",
                         "250", "--server-pid", "42", "--json", "out.json", "--auth-method", "post",
                         "--threads", "2"});
  EXPECT_EQ(o.duration, std::chrono::milliseconds(1500));
  EXPECT_EQ(o.warmup, std::chrono::milliseconds(0));
  EXPECT_EQ(o.max_ops, 100U);
  EXPECT_EQ(o.timeout, std::chrono::milliseconds(250));
  EXPECT_EQ(o.server_pid, 42);
  EXPECT_EQ(o.json_path, "out.json");
  EXPECT_EQ(o.auth_method, AuthMethod::post);
  EXPECT_EQ(o.threads, 2);
}

TEST(LoadgenOptions, RefusesADurationOverSixHundredSeconds) {
  auto args = base_args();
  args.insert(args.end(), {"--duration", "601"});
  EXPECT_NE(error_of(args).find("--duration"), std::string::npos);
}

TEST(LoadgenOptions, RefusesUnknownScenariosAndBadConcurrency) {
  const auto bogus = parse_scenarios("code,bogus");
  ASSERT_FALSE(bogus.ok());
  EXPECT_NE(bogus.error().find("bogus"), std::string::npos);
  EXPECT_FALSE(parse_scenarios("").ok());
  EXPECT_FALSE(parse_concurrency("16,").ok());
  EXPECT_FALSE(parse_concurrency("0").ok());
  EXPECT_FALSE(parse_concurrency("5000").ok());
  EXPECT_FALSE(parse_concurrency("8x").ok());
  auto args = base_args();
  args.insert(args.end(), {"--auth-method", "jwt"});
  EXPECT_NE(error_of(args), "");
}

TEST(LoadgenOptions, CodeFlowsNeedAClientARedirectUriAndCredentialsOrACookie) {
  EXPECT_NE(error_of({"--issuer", "http://127.0.0.1:1/"}).find("--client-id"), std::string::npos);
  EXPECT_NE(
      error_of({"--issuer", "http://127.0.0.1:1/", "--client-id", "c"}).find("--redirect-uri"),
      std::string::npos);
  EXPECT_NE(error_of({"--issuer", "http://127.0.0.1:1/", "--client-id", "c", "--redirect-uri",
                      "http://127.0.0.1:2/cb"})
                .find("--user"),
            std::string::npos);
  EXPECT_EQ(error_of({"--issuer", "http://127.0.0.1:1/", "--client-id", "c", "--redirect-uri",
                      "http://127.0.0.1:2/cb", "--cookie", "sid=1"}),
            "");
}

TEST(LoadgenOptions, JwksAndDiscoveryNeedOnlyTheIssuer) {
  EXPECT_EQ(error_of({"--issuer", "http://127.0.0.1:1/", "--scenario", "jwks,discovery"}), "");
}

TEST(LoadgenOptions, MissingIssuerAndUnknownFlagsAreErrors) {
  EXPECT_NE(error_of({"--scenario", "jwks"}), "");
  EXPECT_NE(error_of({"--issuer", "http://127.0.0.1:1/", "--scenario", "jwks", "--bogus"}), "");
}

TEST(LoadgenOptions, HelpPrintsUsageInsteadOfRunning) {
  const auto result = parse_options({"--help"});
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result->options.has_value());
  EXPECT_NE(result->message.find("--concurrency"), std::string::npos);
}

TEST(LoadgenOptions, BackgroundLoadIsAScenarioAndAConnectionCount) {
  const auto o = parsed({"--scenario", "cc", "--background", "login:8"});
  ASSERT_TRUE(o.background.has_value());
  EXPECT_EQ(o.background->scenario, Scenario::login);
  EXPECT_EQ(o.background->concurrency, 8);
  EXPECT_FALSE(parsed({}).background.has_value());
  for (const char* bad :
       {"login", "login:", "login:0", "login:5000", "bogus:4", "login:4,8", "login,cc:4", ":4"}) {
    EXPECT_FALSE(parse_background(bad).ok()) << bad;
  }
  auto args = base_args();
  args.insert(args.end(), {"--background", "login"});
  EXPECT_NE(error_of(args).find("--background"), std::string::npos);
}

TEST(LoadgenOptions, LoginsNeedAUserAndPasswordEvenWithACookie) {
  const std::vector<std::string> head = {
      "--issuer",       "http://127.0.0.1:1/",   "--client-id", "c",
      "--redirect-uri", "http://127.0.0.1:2/cb", "--cookie",    "sid=1"};
  auto scenario = head;
  scenario.insert(scenario.end(), {"--scenario", "login"});
  EXPECT_NE(error_of(scenario).find("--user and --password"), std::string::npos);
  auto background = head;
  background.insert(background.end(), {"--scenario", "jwks", "--background", "login:2"});
  EXPECT_NE(error_of(background).find("--user and --password"), std::string::npos);
  EXPECT_EQ(parsed({"--scenario", "login"}).scenarios, std::vector<Scenario>{Scenario::login});
}

TEST(LoadgenOptions, OnlyFlowScenariosNeedASession) {
  EXPECT_TRUE(needs_session(Scenario::code));
  EXPECT_TRUE(needs_session(Scenario::refresh));
  EXPECT_TRUE(needs_session(Scenario::userinfo));
  EXPECT_FALSE(needs_session(Scenario::cc));
  EXPECT_FALSE(needs_session(Scenario::jwks));
  EXPECT_FALSE(needs_session(Scenario::login)) << "a login makes its own session";
  EXPECT_EQ(to_string(Scenario::userinfo), "userinfo");
}

}  // namespace
}  // namespace latchkey::loadgen
