#pragma once
// A SQLite store in a temp dir seeded with one client, one API and one user, a transaction as
// /authorize would leave it, and helpers to build browser requests.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "login/session_manager.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/memory_transaction_store.hpp"
#include "ui/renderer.hpp"
#include "ui/scratch_dir.hpp"

namespace latchkey::login_test {

inline constexpr std::string_view kClientId = "app1";
inline constexpr std::string_view kClientName = "My App";
inline constexpr std::string_view kAudience = "https://api.example.com";
inline constexpr std::string_view kUserId = "auth0|alice";
inline constexpr std::string_view kEmail = "alice@example.com";
inline constexpr std::string_view kPassword = "correct horse battery";
inline constexpr std::string_view kIp = "203.0.113.7";
/// A well-formed CSRF token; the double submit only needs cookie and field to agree.
inline const std::string kCsrf(64, 'c');

class HostedPagesTest : public ::testing::Test {
 protected:
  void SetUp() override;

  /// Adds a transaction as /authorize would, with `query` as its original parameters.
  std::string add_transaction(const std::string& query);
  [[nodiscard]] store::AuthorizationTransaction transaction(const std::string& id);

  /// A GET of `path` with ?state=<state> from kIp.
  [[nodiscard]] static http::Request get(std::string path, const std::string& state,
                                         const std::string& cookie = {});
  /// A form POST from `ip` carrying `cookie` (e.g. "lk_csrf=…").
  [[nodiscard]] static http::Request post(std::string path, const http::Params& form,
                                          const std::string& cookie,
                                          std::string ip = std::string(kIp));
  /// "lk_csrf=<kCsrf>" plus `extra` cookies.
  [[nodiscard]] static std::string csrf_cookie(const std::string& extra = {});

  /// The value of cookie `name` set by `response`, nullopt when it sets none.
  [[nodiscard]] static std::optional<std::string> set_cookie_value(const http::Response& response,
                                                                   std::string_view name);
  /// The whole Set-Cookie line for cookie `name`.
  [[nodiscard]] static std::optional<std::string> set_cookie_line(const http::Response& response,
                                                                  std::string_view name);

  ui_test::ScratchDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  testing::MemoryTransactionStore transactions_;
  ManualClock clock_{from_unix_seconds(1'790'000'000)};
  crypto::OsRandom random_;
  /// Cheap parameters (8 KiB, one pass) for the hashes the handlers make: sign-ups, the dummy.
  crypto::PasswordHasher hasher_{1, crypto::PasswordHashParams{1, 8192}};
  std::shared_ptr<Logger> log_ = make_null_logger();
  ui::Renderer renderer_;
  std::string state_;  ///< a fresh transaction asking for openid and API scopes
};

/// The argon2id hash of kPassword, computed once for the whole test binary.
[[nodiscard]] const std::string& password_hash();

}  // namespace latchkey::login_test
