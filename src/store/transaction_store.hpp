#pragma once
// An authorization transaction: one /authorize request on its way through the hosted login and
// consent pages. Its id travels as `state` in /u/login?state=… and /authorize/resume?state=…,
// as Auth0 does; the original request parameters stay server side, so any node can resume it.

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace latchkey::store {

/// The values of AuthorizationTransaction::consent, set by the consent page, read by /authorize.
inline constexpr std::string_view kConsentGranted = "granted";
inline constexpr std::string_view kConsentDenied = "denied";

struct AuthorizationTransaction {
  std::string id;     ///< 32 random bytes, hex; shown in URLs, so never a secret by itself
  std::string query;  ///< the original /authorize parameters, form-encoded
  std::string client_id;
  TimePoint created_at{};
  TimePoint expires_at{};                     ///< created_at + 30 minutes
  std::optional<TimePoint> authenticated_at;  ///< when a login completed within this transaction
  std::string user_id;                        ///< who logged in (set with authenticated_at)
  std::string consent;                        ///< "", "granted" or "denied"
  /// Set when the rules sent the browser away (context.redirect, api.redirect.sendUserTo): the
  /// name of the action that did, or "" for a rule. /continue?state=… resumes only then.
  std::optional<std::string> rules_redirect;
};

class TransactionStore {
 public:
  virtual ~TransactionStore() = default;
  virtual StoreResult<void> create(const AuthorizationTransaction& transaction) = 0;
  /// not_found when absent (expiry is the caller's check, with its clock).
  virtual StoreResult<AuthorizationTransaction> find(std::string_view id) = 0;
  virtual StoreResult<void> set_authenticated(std::string_view id, std::string_view user_id,
                                              TimePoint at) = 0;
  virtual StoreResult<void> set_consent(std::string_view id, std::string_view decision) = 0;
  /// Marks the transaction as waiting at /continue for the rules' redirect to come back.
  virtual StoreResult<void> set_rules_redirect(std::string_view id, std::string_view action) = 0;
  virtual StoreResult<void> remove(std::string_view id) = 0;
  /// Deletes transactions whose expires_at is strictly before `before` (abandoned logins);
  /// returns how many.
  virtual StoreResult<std::int64_t> delete_expired(TimePoint before) = 0;
};

}  // namespace latchkey::store
