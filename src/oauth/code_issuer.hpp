#pragma once
// Issues one-time authorization codes (RFC 6749 §4.1.2): random, short-lived, stored only as a
// digest, bound to everything the token endpoint must check.

#include <chrono>
#include <string>

#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace latchkey::oauth {

class CodeIssuer {
 public:
  /// RFC 6749 §4.1.2 recommends at most 10 minutes; latchkey, like Auth0, uses 60 seconds.
  static constexpr std::chrono::seconds kDefaultLifetime{60};
  /// Bytes of randomness in a code (RFC 6749 §10.10: guessing must be infeasible).
  static constexpr std::size_t kCodeBytes = 32;

  CodeIssuer(store::AuthorizationCodeStore& codes, const Clock& clock, crypto::RandomSource& random,
             std::chrono::seconds lifetime = kDefaultLifetime);

  /// Stores `binding` (client, redirect_uri, PKCE challenge, nonce, scopes, audience, user,
  /// session, auth_time) under the SHA-256 digest of a fresh code, stamped with created_at =
  /// now and expires_at = now + lifetime, and returns the code (32 random bytes, base64url).
  /// The code itself is never stored. Fails with the store's error (`not_found` when the
  /// client or user no longer exists, `unavailable`).
  [[nodiscard]] store::StoreResult<std::string> issue(model::AuthorizationCode binding) const;

 private:
  store::AuthorizationCodeStore& codes_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  std::chrono::seconds lifetime_;
};

}  // namespace latchkey::oauth
