#pragma once
// latchkey-seed (issue 6, item 4): fills a latchkey SQLite store with many Auth0-like users and
// live refresh tokens, fast, so that the benchmarks can run against a store at scale. The rows
// go in through SqliteStore::insert_batch, which binds them with the store's own create() code,
// so the server reads them as it reads any user and token it wrote itself.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"

namespace latchkey::seed {

/// Every seeded user's password. The argon2id hash is computed once and shared by all users:
/// hashing a million times would take hours, and a bench store needs no secrecy.
inline constexpr std::string_view kSeedPassword = "seed-password";
/// Seeded users are user<i>@seed.example, i from 0.
inline constexpr std::string_view kSeedEmailDomain = "seed.example";
/// Upper bound on --users and --refresh-tokens, so a typo cannot fill the disk.
inline constexpr std::int64_t kMaxRows = 10'000'000;
/// Rows per write transaction: large, since the seeder runs before the server (README.md).
inline constexpr std::int64_t kBatchRows = 100'000;
/// The lifetime latchkey gives a refresh token (oauth kRefreshTokenLifetime: 30 days).
inline constexpr std::chrono::hours kRefreshTokenLifetime{24 * 30};

/// What to seed, and where.
struct SeedOptions {
  /// The directory `latchkey serve --data-dir` uses; the store is DIR/latchkey.db.
  std::filesystem::path data_dir;
  std::int64_t users = 0;
  std::int64_t refresh_tokens = 0;
  /// The client every token is issued to; it must exist (provision it with the CLI first).
  std::string client_id;
  /// The API (id or identifier) the tokens are for; "" for tokens without an API.
  std::string audience;
  std::vector<std::string> scopes = {"openid", "profile", "email", "offline_access"};
};

/// The email of the seeded user `index`: user<index>@seed.example.
[[nodiscard]] std::string seed_email(std::int64_t index);

/// Checks the counts and names without touching the disk; the message says what is wrong.
[[nodiscard]] Result<void, std::string> check_options(const SeedOptions& options);

/// What seed_store() wrote.
struct SeedTotals {
  std::int64_t users = 0;
  std::int64_t refresh_tokens = 0;
};

/// Called after every committed batch: the phase ("users" or "refresh tokens"), rows done, and
/// rows in that phase.
using Progress = std::function<void(std::string_view phase, std::int64_t done, std::int64_t total)>;

/// Migrates the store in `options.data_dir` (creating it if needed) and adds the users, then the
/// refresh tokens (spread evenly over the users: each user holds one when there are as many
/// tokens as users), all created at clock.now() and the tokens live (expiring after
/// kRefreshTokenLifetime, not revoked, digest only, no session). Rows are inserted in the order
/// of every index (ids grow, token digests are sorted) so that each insert appends.
/// Refuses a store that already holds seeded users (run it on a fresh data directory), and a
/// client or API that does not exist. A failure part way leaves the batches already committed;
/// the message says how many.
[[nodiscard]] Result<SeedTotals, std::string> seed_store(const SeedOptions& options,
                                                         const Clock& clock,
                                                         crypto::RandomSource& random,
                                                         const Progress& progress);

}  // namespace latchkey::seed
