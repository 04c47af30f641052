#pragma once
// SSO sessions: an opaque random cookie whose SHA-256 digest is the only thing stored, so a
// leaked database hands out no live sessions. Lifetimes follow Auth0's defaults.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "crypto/random.hpp"
#include "http/request.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace latchkey::login {

inline constexpr std::string_view kSessionCookie = "lk_session";
/// A session unused for this long ends (Auth0's default idle lifetime: 3 days).
inline constexpr std::chrono::hours kSessionIdleLifetime{72};
/// A session ends this long after it started, however active (Auth0's default: 7 days).
inline constexpr std::chrono::hours kSessionAbsoluteLifetime{168};
/// Activity extends a session at most this often: a write per request would cost each
/// /authorize a database commit, and the idle lifetime is days, so a minute is invisible.
inline constexpr std::chrono::minutes kSessionTouchInterval{1};
/// Random bytes in a session cookie value (sent as 64 hex characters).
inline constexpr std::size_t kSessionIdBytes = 32;

/// The logged-in user behind a request's session cookie.
struct ActiveSession {
  std::string session_id_digest;
  model::User user;
  TimePoint auth_time{};
};

/// A new session: the Set-Cookie value to send and the stored digest.
struct StartedSession {
  std::string set_cookie;
  std::string session_id_digest;
};

class SessionManager {
 public:
  /// `secure_cookies` adds Secure to the cookie (set it when the issuer is https).
  SessionManager(store::SessionStore& sessions, store::UserStore& users, const Clock& clock,
                 crypto::RandomSource& random, bool secure_cookies);

  /// The session the request's cookie names, with its user, and records the activity (sliding
  /// idle expiry). nullopt when the cookie is missing or malformed, the session is unknown or
  /// expired, or its user is gone or blocked. Never throws on a bad Cookie header.
  [[nodiscard]] std::optional<ActiveSession> current(const http::Request& request);

  /// Stores a new session for `user_id` authenticated at `now`; `not_found` when the user does
  /// not exist, `unavailable` when the store fails.
  [[nodiscard]] store::StoreResult<StartedSession> start(std::string_view user_id, TimePoint now);

  /// A fresh login within an existing session: auth_time becomes `now`.
  [[nodiscard]] store::StoreResult<void> refresh(std::string_view session_id_digest, TimePoint now);

  /// Deletes the request's session, if any, and returns the Set-Cookie value that clears it.
  [[nodiscard]] std::string end(const http::Request& request);

 private:
  store::SessionStore& sessions_;
  store::UserStore& users_;
  const Clock& clock_;
  crypto::RandomSource& random_;
  bool secure_cookies_;
};

}  // namespace latchkey::login
