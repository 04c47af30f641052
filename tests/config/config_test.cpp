#include "config/config.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace latchkey::config {
namespace {

class TempToml {
 public:
  explicit TempToml(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("latchkey-config-" + std::to_string(getpid()) + "-" + std::to_string(counter_++) +
               ".toml")) {
    std::ofstream(path_) << text;
  }
  ~TempToml() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

TEST(ConfigLoad, DefaultsListenOnLoopback8080WithDataDir) {
  const auto config = load({});
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->listen.host, "127.0.0.1");
  EXPECT_EQ(config->listen.port, 8080);
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->threads, 0u);
  EXPECT_EQ(effective_issuer(*config, 8080), "http://127.0.0.1:8080/");
}

TEST(ConfigLoad, FileThenEnvironmentThenFlagsOverride) {
  TempToml file(
      "listen = \"127.0.0.1:9000\"\nthreads = 3\ndata_dir = \"/tmp/a\"\n"
      "log_level = \"warn\"\n");
  Sources sources;
  sources.file = file.path();
  sources.environment = {{"LATCHKEY_THREADS", "5"}, {"LATCHKEY_DATA_DIR", "/tmp/b"}};
  sources.flags = {{"data_dir", "/tmp/c"}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->listen.port, 9000);
  EXPECT_EQ(config->threads, 5u);
  EXPECT_EQ(config->data_dir, "/tmp/c");
  EXPECT_EQ(config->log_level, LogLevel::warn);
}

TEST(ConfigLoad, RejectsAnUnknownFileKeyNamingIt) {
  TempToml file("lisen = \"127.0.0.1:9000\"\n");
  Sources sources;
  sources.file = file.path();
  const auto config = load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("lisen"), std::string::npos) << config.error();
}

TEST(ConfigLoad, RejectsABadValueNamingTheSetting) {
  Sources sources;
  sources.environment = {{"LATCHKEY_THREADS", "many"}};
  const auto config = load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("LATCHKEY_THREADS"), std::string::npos) << config.error();
}

TEST(ConfigLoad, ReadsHttpLimitsWithinBounds) {
  Sources sources;
  sources.flags = {{"header_timeout_ms", "300"}, {"body_limit", "2048"}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->header_timeout_ms, 300u);
  EXPECT_EQ(config->body_limit, 2048u);
  Sources too_small;
  too_small.flags = {{"header_timeout_ms", "5"}};
  EXPECT_FALSE(load(too_small).ok());
}

TEST(ConfigLoad, ReadsTheRulesLimitsFromTheEnvironmentWithinBounds) {
  const auto defaults = load(Sources{});
  ASSERT_TRUE(defaults.ok()) << defaults.error();
  EXPECT_EQ(defaults->rules_timeout_ms, 5000u);
  EXPECT_EQ(defaults->rules_heap_mb, 64u);
  Sources sources;
  sources.environment = {{"LATCHKEY_RULES_TIMEOUT_MS", "250"}, {"LATCHKEY_RULES_HEAP_MB", "16"}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->rules_timeout_ms, 250u);
  EXPECT_EQ(config->rules_heap_mb, 16u);
  Sources unbounded;
  unbounded.environment = {{"LATCHKEY_RULES_TIMEOUT_MS", "0"}};
  EXPECT_FALSE(load(unbounded).ok());
}

TEST(ConfigLoad, WorkerNiceDefaultsToFiveAndStaysWithinZeroToNineteen) {
  const auto defaults = load(Sources{});
  ASSERT_TRUE(defaults.ok()) << defaults.error();
  EXPECT_EQ(defaults->worker_nice, 5u);
  Sources sources;
  sources.environment = {{"LATCHKEY_WORKER_NICE", "0"}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->worker_nice, 0u);
  Sources too_nice;
  too_nice.environment = {{"LATCHKEY_WORKER_NICE", "20"}};
  EXPECT_FALSE(load(too_nice).ok());
}

TEST(ConfigLoad, PasswordHashMemoryDefaultsToOneHashAndIsAtLeastOne) {
  const auto defaults = load(Sources{});
  ASSERT_TRUE(defaults.ok()) << defaults.error();
  EXPECT_EQ(defaults->password_hash_memory_mb, 32u);
  Sources sources;
  sources.flags = {{"password_hash_memory_mb", "64"}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->password_hash_memory_mb, 64u);
  Sources too_small;
  too_small.environment = {{"LATCHKEY_PASSWORD_HASH_MEMORY_MB", "16"}};
  EXPECT_FALSE(load(too_small).ok());
}

TEST(ConfigLoad, ReadsSignupAndTemplatesSettings) {
  TempToml file("signup_enabled = true\n");
  Sources sources;
  sources.file = file.path();
  sources.flags = {{"templates_dir", std::filesystem::temp_directory_path().string()}};
  const auto config = load(sources);
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_TRUE(config->signup_enabled);
  EXPECT_EQ(config->templates_dir, std::filesystem::temp_directory_path());
  Sources bad;
  bad.flags = {{"templates_dir", "/no/such/dir"}};
  EXPECT_FALSE(load(bad).ok());
  Sources bad_bool;
  bad_bool.environment = {{"LATCHKEY_SIGNUP_ENABLED", "yes"}};
  EXPECT_FALSE(load(bad_bool).ok());
}

TEST(ConfigLoad, RejectsAnUnknownLatchkeyVariable) {
  Sources sources;
  sources.environment = {{"LATCHKEY_ISSUR", "https://x/"}};
  const auto config = load(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("LATCHKEY_ISSUR"), std::string::npos);
}

TEST(ConfigLoad, RejectsMalformedToml) {
  TempToml file("listen = \n");
  Sources sources;
  sources.file = file.path();
  EXPECT_FALSE(load(sources).ok());
}

TEST(ConfigLoad, RejectsABadLogLevelAndAMissingTlsKey) {
  Sources bad_level;
  bad_level.flags = {{"log_level", "loud"}};
  EXPECT_FALSE(load(bad_level).ok());
  Sources half_tls;
  half_tls.flags = {{"tls_cert", "/etc/hostname"}};
  EXPECT_FALSE(load(half_tls).ok());
}

TEST(ConfigLoad, KekComesOnlyFromTheEnvironment) {
  Sources env;
  env.environment = {{"LATCHKEY_KEK", "a2V5"}};
  ASSERT_TRUE(load(env).ok());
  EXPECT_EQ(*load(env)->kek, "a2V5");
  TempToml file("kek = \"a2V5\"\n");
  Sources from_file;
  from_file.file = file.path();
  EXPECT_FALSE(load(from_file).ok());
}

TEST(NormalizeIssuer, AddsATrailingSlashAsAuth0Does) {
  EXPECT_EQ(*normalize_issuer("https://auth.example.com"), "https://auth.example.com/");
  EXPECT_EQ(*normalize_issuer("https://auth.example.com/"), "https://auth.example.com/");
  EXPECT_EQ(*normalize_issuer("http://127.0.0.1:8080"), "http://127.0.0.1:8080/");
  EXPECT_EQ(*normalize_issuer("http://localhost:3000/t1"), "http://localhost:3000/t1/");
}

TEST(NormalizeIssuer, RequiresHttpsUnlessLoopback) {
  EXPECT_FALSE(normalize_issuer("http://auth.example.com").ok());
  EXPECT_TRUE(normalize_issuer("http://[::1]:8080").ok());
  EXPECT_TRUE(normalize_issuer("http://127.8.9.10").ok());
}

TEST(NormalizeIssuer, RejectsRelativeQueryFragmentAndOtherSchemes) {
  EXPECT_FALSE(normalize_issuer("auth.example.com").ok());
  EXPECT_FALSE(normalize_issuer("/path").ok());
  EXPECT_FALSE(normalize_issuer("https://a.example/?x=1").ok());
  EXPECT_FALSE(normalize_issuer("https://a.example/#f").ok());
  EXPECT_FALSE(normalize_issuer("ftp://a.example/").ok());
  EXPECT_FALSE(normalize_issuer("").ok());
}

TEST(ParseListen, AcceptsHostPortAndBracketedV6) {
  EXPECT_EQ(parse_listen("0.0.0.0:80")->port, 80);
  EXPECT_EQ(parse_listen("[::1]:8080")->host, "::1");
  EXPECT_EQ(parse_listen("127.0.0.1:0")->port, 0);
  EXPECT_FALSE(parse_listen("127.0.0.1").ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:99999").ok());
  EXPECT_FALSE(parse_listen("127.0.0.1:8x").ok());
  EXPECT_FALSE(parse_listen(":80").ok());
}

TEST(IsLoopbackHost, KnowsTheLoopbackNames) {
  EXPECT_TRUE(is_loopback_host("localhost"));
  EXPECT_TRUE(is_loopback_host("127.0.0.1"));
  EXPECT_TRUE(is_loopback_host("::1"));
  EXPECT_FALSE(is_loopback_host("127.0.0.1.evil.com"));
  EXPECT_FALSE(is_loopback_host("128.0.0.1"));
  EXPECT_FALSE(is_loopback_host("localhost.evil.com"));
}

}  // namespace
}  // namespace latchkey::config
