#pragma once
// A fixture for AuthorizeEndpoint tests: a SQLite store on a temp dir with clients, APIs and a
// user, a ManualClock, an in-memory TransactionStore and a switchable session.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "oauth/authorize.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/memory_transaction_store.hpp"
#include "support/process.hpp"

namespace latchkey::testing {

inline constexpr std::string_view kIssuer = "https://tenant.example.com/";
inline constexpr std::string_view kWebCallback = "https://app.example.com/callback";
inline constexpr std::string_view kApi = "https://api.example.com";
inline constexpr std::string_view kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

class AuthorizeTest : public ::testing::Test {
 protected:
  void SetUp() override;

  /// GET /authorize with `params` as the query.
  http::Response get(const http::Params& params) const;
  /// GET /authorize/resume?state=<id>.
  http::Response resume(const std::string& id) const;
  /// A valid request for client `web`; `extra` replaces parameters of the same name.
  static http::Params web_request(std::initializer_list<http::Params::Param> extra = {});
  /// Logs alice in (auth_time = now - `ago`).
  void log_in(std::chrono::seconds ago = std::chrono::seconds(0));
  /// Stores alice's grant for `client_id` and `audience`.
  void grant(const std::string& client_id, const std::string& audience,
             std::vector<std::string> scopes);
  /// The transaction id of a 302 to `path`?state=<id>; fails the test otherwise.
  std::string transaction_of(const http::Response& response, std::string_view path) const;

  TempDir dir_;
  std::unique_ptr<store::sqlite::SqliteStore> store_;
  MemoryTransactionStore transactions_;
  ManualClock clock_{from_unix_seconds(1'800'000'000)};
  crypto::OsRandom random_;
  std::shared_ptr<Logger> logger_ = make_null_logger();
  std::optional<oauth::AuthenticatedSession> session_;
  std::unique_ptr<oauth::AuthorizeEndpoint> endpoint_;
};

/// The query parameters of a response's Location; fails the test when there is none.
http::Params location_params(const http::Response& response);
/// The Location without its query.
std::string location_base(const http::Response& response);
/// The single value of `name`, or "" when absent.
std::string value_of(const http::Params& params, std::string_view name);

}  // namespace latchkey::testing
