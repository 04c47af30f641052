// latchkey-seed: fills a latchkey store with N users and M live refresh tokens, fast, for the
// benchmarks at scale (issue 6, item 4). See README.md.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <string>

#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "seeder.hpp"

namespace latchkey::seed {
namespace {

constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

std::string description() {
  return "Fills the latchkey SQLite store in --data-dir with Auth0-like users "
         "(user<i>@seed.example, password \"" +
         std::string(kSeedPassword) +
         "\") and live refresh tokens for one client and API, which must exist (create them "
         "with the latchkey CLI first). One argon2id hash is computed once and reused for every "
         "user: never a million hashes. Refuses a store that already holds seeded users.";
}

// Prints each tenth of a phase, so a million rows make ten lines.
class ProgressPrinter {
 public:
  void operator()(std::string_view phase, std::int64_t done, std::int64_t total) {
    const std::int64_t tenth = total > 0 ? done * 10 / total : 10;
    if (phase != phase_) {
      phase_ = std::string(phase);
      printed_ = 0;
    }
    if (tenth <= printed_) return;
    printed_ = tenth;
    std::fprintf(stderr, "latchkey-seed: %lld/%lld %s\n", static_cast<long long>(done),
                 static_cast<long long>(total), phase_.c_str());
  }

 private:
  std::string phase_;
  std::int64_t printed_ = 0;
};

int run(int argc, char** argv) {
  SeedOptions options;
  std::string data_dir;
  CLI::App app(description(), "latchkey-seed");
  app.add_option("--data-dir", data_dir, "latchkey's data directory (the store is latchkey.db)")
      ->required();
  app.add_option("--users", options.users, "users to add")->required();
  app.add_option("--refresh-tokens", options.refresh_tokens, "live refresh tokens to add")
      ->required();
  app.add_option("--client-id", options.client_id, "the client the tokens are issued to");
  app.add_option("--audience", options.audience, "the API (id or identifier) of the tokens");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  options.data_dir = data_dir;
  if (auto checked = check_options(options); !checked) {
    std::fprintf(stderr, "latchkey-seed: %s\n", checked.error().c_str());
    return kExitUsage;
  }
  SystemClock clock;
  crypto::OsRandom random;
  ProgressPrinter printer;
  const auto started = std::chrono::steady_clock::now();
  auto totals = seed_store(options, clock, random, std::ref(printer));
  if (!totals) {
    std::fprintf(stderr, "latchkey-seed: %s\n", totals.error().c_str());
    return kExitFailed;
  }
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  const auto rows = static_cast<double>(totals->users + totals->refresh_tokens);
  std::printf("seeded %lld users and %lld refresh tokens in %.1f s (%.0f rows/s)\n",
              static_cast<long long>(totals->users), static_cast<long long>(totals->refresh_tokens),
              elapsed.count(), elapsed.count() > 0 ? rows / elapsed.count() : 0.0);
  return 0;
}

}  // namespace
}  // namespace latchkey::seed

int main(int argc, char** argv) { return latchkey::seed::run(argc, argv); }
