#include "seeder.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <span>
#include <system_error>
#include <utility>

#include "crypto/digest.hpp"
#include "crypto/password.hpp"
#include "jose/base64url.hpp"
#include "model/model.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace latchkey::seed {
namespace {

constexpr const char* kDatabaseFile = "latchkey.db";  // as app/store_factory.cpp names it
constexpr std::size_t kTokenBytes = 32;               // as the token endpoint draws them

using SqliteStore = store::sqlite::SqliteStore;

std::string failure(std::string_view what, store::StoreError error) {
  return std::string(what) + ": " + std::string(store::to_string(error));
}

// The directory as latchkey serve prepares it: created, owner only.
Result<std::unique_ptr<SqliteStore>, std::string> open_store(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail("cannot create data directory " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, ec);
  store::sqlite::SqliteOptions options;
  options.pool_size = 1;
  return SqliteStore::open(dir / kDatabaseFile, options);
}

// The client and API must exist, and the store must not hold seeded users yet. Returns the
// audience as tokens carry it: the API's identifier.
Result<std::string, std::string> check_store(SqliteStore& store, const SeedOptions& options) {
  if (store.users().find_by_email(seed_email(0)).ok()) {
    return fail("the store already holds seeded users (" + seed_email(0) +
                "); seed a fresh --data-dir");
  }
  if (options.refresh_tokens == 0) return std::string();
  if (auto client = store.clients().find(options.client_id); !client) {
    return fail(
        failure("client " + options.client_id + " (create it with `latchkey clients create` first)",
                client.error()));
  }
  if (options.audience.empty()) return std::string();
  auto api = store.resource_servers().find(options.audience);
  if (!api) {
    return fail(failure(
        "API " + options.audience + " (create it with `latchkey apis create` first)", api.error()));
  }
  return api->identifier;
}

// "auth0|" and 24 hex digits like the CLI's ids: a random 8-digit run prefix and the index, so
// ids grow within a run and the primary-key index is appended to rather than split.
std::string seed_user_id(std::string_view run_prefix, std::int64_t index) {
  std::array<char, 17> digits{};
  std::snprintf(digits.data(), digits.size(), "%016llx", static_cast<unsigned long long>(index));
  return "auth0|" + std::string(run_prefix) + digits.data();
}

struct RunContext {
  SqliteStore& store;
  crypto::RandomSource& random;
  const Progress& progress;
  TimePoint now;
  std::string run_prefix;
};

model::User make_user(const RunContext& run, std::int64_t index, const std::string& hash) {
  model::User user;
  user.user_id = seed_user_id(run.run_prefix, index);
  user.email = seed_email(index);
  user.name = user.email;  // the CLI's default name and nickname
  user.nickname = user.email.substr(0, user.email.find('@'));
  user.password_hash = hash;
  user.created_at = user.updated_at = run.now;
  return user;
}

Result<std::int64_t, std::string> seed_users(RunContext& run, std::int64_t count) {
  auto hash = crypto::hash_password(kSeedPassword);
  if (!hash) return fail(std::string("could not hash the seed password (out of memory)"));
  std::vector<model::User> batch;
  for (std::int64_t done = 0; done < count;) {
    const std::int64_t size = std::min(kBatchRows, count - done);
    batch.clear();
    for (std::int64_t i = 0; i < size; ++i) batch.push_back(make_user(run, done + i, *hash));
    if (auto r = run.store.insert_batch(batch, {}); !r) {
      return fail(failure("users after " + std::to_string(done) + " seeded", r.error()));
    }
    done += size;
    run.progress("users", done, count);
  }
  return count;
}

// SHA-256 digests of `count` random 32-byte values (base64url, as the token endpoint draws
// them), sorted: inserted in this order, every index of refresh_tokens is appended to.
std::vector<std::string> sorted_token_digests(crypto::RandomSource& random, std::int64_t count) {
  std::vector<std::string> digests;
  digests.reserve(static_cast<std::size_t>(count));
  for (std::int64_t done = 0; done < count;) {
    const std::int64_t size = std::min(kBatchRows, count - done);
    const auto secrets = crypto::random_bytes(random, static_cast<std::size_t>(size) * kTokenBytes);
    for (std::size_t i = 0; i < static_cast<std::size_t>(size); ++i) {
      const auto secret = std::span(secrets).subspan(i * kTokenBytes, kTokenBytes);
      digests.push_back(crypto::sha256_hex(jose::base64url_encode(secret)));
    }
    done += size;
  }
  std::sort(digests.begin(), digests.end());
  return digests;
}

// Token `index` (in digest order) belongs to user index * users / tokens: contiguous tokens share
// a user, so the (user_id, client_id) index is appended to as well.
model::RefreshToken make_token(const RunContext& run, const SeedOptions& options,
                               const std::string& audience, std::string digest,
                               std::int64_t index) {
  model::RefreshToken token;
  // A family of one, named like a real one (32 hex digits); taken from the digest so that it
  // sorts with it and the family index is appended to.
  token.family_id = digest.substr(0, 32);
  token.token_digest = std::move(digest);
  token.client_id = options.client_id;
  token.user_id = seed_user_id(run.run_prefix, index * options.users / options.refresh_tokens);
  token.audience = audience;
  token.scopes = options.scopes;
  token.created_at = run.now;
  token.expires_at = run.now + kRefreshTokenLifetime;
  token.auth_time = run.now;
  return token;
}

Result<std::int64_t, std::string> seed_tokens(RunContext& run, const SeedOptions& options,
                                              const std::string& audience) {
  const std::int64_t count = options.refresh_tokens;
  std::vector<std::string> digests = sorted_token_digests(run.random, count);
  std::vector<model::RefreshToken> batch;
  for (std::int64_t done = 0; done < count;) {
    const std::int64_t size = std::min(kBatchRows, count - done);
    batch.clear();
    for (std::int64_t i = done; i < done + size; ++i) {
      batch.push_back(
          make_token(run, options, audience, std::move(digests[static_cast<std::size_t>(i)]), i));
    }
    if (auto r = run.store.insert_batch({}, batch); !r) {
      return fail(failure("refresh tokens after " + std::to_string(done) + " seeded", r.error()));
    }
    done += size;
    run.progress("refresh tokens", done, count);
  }
  return count;
}

}  // namespace

std::string seed_email(std::int64_t index) {
  return "user" + std::to_string(index) + "@" + std::string(kSeedEmailDomain);
}

Result<void, std::string> check_options(const SeedOptions& options) {
  if (options.data_dir.empty()) return fail(std::string("--data-dir is required"));
  if (options.users < 0 || options.users > kMaxRows || options.refresh_tokens < 0 ||
      options.refresh_tokens > kMaxRows) {
    return fail("--users and --refresh-tokens must be 0 to " + std::to_string(kMaxRows));
  }
  if (options.refresh_tokens > 0 && options.users == 0) {
    return fail(std::string("refresh tokens need seeded users: --users must be at least 1"));
  }
  if (options.refresh_tokens > 0 && options.client_id.empty()) {
    return fail(std::string("--client-id is required with --refresh-tokens"));
  }
  return {};
}

Result<SeedTotals, std::string> seed_store(const SeedOptions& options, const Clock& clock,
                                           crypto::RandomSource& random, const Progress& progress) {
  if (auto r = check_options(options); !r) return fail(r.error());
  auto store = open_store(options.data_dir);
  if (!store) return fail(store.error());
  auto audience = check_store(**store, options);
  if (!audience) return fail(audience.error());
  RunContext run{**store, random, progress, clock.now(), crypto::random_hex(random, 4)};
  SeedTotals totals;
  auto users = seed_users(run, options.users);
  if (!users) return fail(users.error());
  totals.users = *users;
  auto tokens = seed_tokens(run, options, *audience);
  if (!tokens) return fail(tokens.error());
  totals.refresh_tokens = *tokens;
  return totals;
}

}  // namespace latchkey::seed
