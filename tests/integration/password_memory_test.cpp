// Issue 6: the server's peak RSS during a burst of parallel password logins. Each argon2id hash
// holds 32 MiB until it ends; the PasswordHasher lets password_hash_memory_mb / 32 of them run at
// once (one by default), whatever the number of worker threads.
#include <gtest/gtest.h>

#include <fstream>
#include <latch>
#include <sstream>
#include <thread>

#include "integration/live_server.hpp"

namespace latchkey::testing {
namespace {

constexpr const char* kCallback = "https://app.example.com/callback";
constexpr const char* kEmail = "storm@example.com";
constexpr const char* kPassword = "correct horse battery";
constexpr long kHashKib = 32 * 1024;
constexpr int kLogins = 8;

/// A "VmHWM:" or "VmRSS:" line of /proc/PID/status, in KiB; -1 when missing.
long status_kib(pid_t pid, const std::string& field) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (!line.starts_with(field + ":")) continue;
    std::istringstream values(line.substr(field.size() + 1));
    long kib = -1;
    values >> kib;
    return kib;
  }
  return -1;
}

/// Resets the process's VmHWM to its current RSS (proc(5), clear_refs "5").
bool reset_peak(pid_t pid) {
  std::ofstream clear("/proc/" + std::to_string(pid) + "/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

class PasswordMemory : public ::testing::Test {
 protected:
  /// Starts a server with `extra_env`, logs in once (the first login makes what later ones
  /// reuse), then logs in kLogins times at once; returns how far VmHWM rose above the RSS before
  /// the burst, in KiB.
  long peak_growth_kib(const std::vector<std::string>& extra_env) {
    LiveServer server;
    const auto web = server.create_client("Web", "regular_web", {kCallback}, {"--first-party"});
    server.create_user(kEmail, kPassword);
    server.start(extra_env);
    const auto url = authorize_url({{"response_type", "code"},
                                    {"client_id", web.id},
                                    {"redirect_uri", kCallback},
                                    {"scope", "openid"},
                                    {"state", "s"}});
    Browser first(server.port());
    EXPECT_TRUE(query_param(walk(first, server, url, {kEmail, kPassword}).location, "code"));
    if (!reset_peak(server.pid())) return -1;
    const long before = status_kib(server.pid(), "VmRSS");
    std::latch start(kLogins);
    std::atomic<int> codes{0};
    std::vector<std::jthread> browsers;
    for (int i = 0; i < kLogins; ++i) {
      browsers.emplace_back([&] {
        Browser browser(server.port());
        start.arrive_and_wait();
        if (query_param(walk(browser, server, url, {kEmail, kPassword}).location, "code")) ++codes;
      });
    }
    browsers.clear();  // joins
    EXPECT_EQ(codes.load(), kLogins);
    const long growth = status_kib(server.pid(), "VmHWM") - before;
    RecordProperty("vmhwm_growth_kib", std::to_string(growth));
    return growth;
  }
};

TEST_F(PasswordMemory, ByDefaultOneHashRunsAtATimeWhateverTheWorkerThreads) {
  const long growth = peak_growth_kib({});
  ASSERT_GE(growth, 0) << "cannot read or reset the server's VmHWM";
  // One 32 MiB hash and what the logins allocate besides; two at once would be 64 MiB and more.
  EXPECT_LT(growth, kHashKib * 3 / 2) << "VmHWM rose " << growth / 1024 << " MiB";
}

// The setting reaches the server: a 64 MiB budget lets two hashes overlap, as two workers would.
TEST_F(PasswordMemory, ABudgetOfTwoHashesLetsTwoRunAtOnce) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "one worker thread runs one hash";
  const long growth = peak_growth_kib({"LATCHKEY_PASSWORD_HASH_MEMORY_MB=64"});
  ASSERT_GE(growth, 0) << "cannot read or reset the server's VmHWM";
  EXPECT_GT(growth, kHashKib * 3 / 2) << "VmHWM rose " << growth / 1024 << " MiB";
}

}  // namespace
}  // namespace latchkey::testing
