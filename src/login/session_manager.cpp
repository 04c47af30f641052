#include "login/session_manager.hpp"

#include <algorithm>

#include "crypto/digest.hpp"
#include "http/cookies.hpp"
#include "login/cookie_support.hpp"

namespace latchkey::login {
namespace {

http::CookieOptions session_cookie_options(bool secure) {
  http::CookieOptions options;
  options.path = "/";
  options.http_only = true;
  options.secure = secure;
  options.same_site = http::SameSite::lax;
  options.max_age = std::chrono::duration_cast<std::chrono::seconds>(kSessionAbsoluteLifetime);
  return options;
}

TimePoint sliding_expiry(const model::Session& session, TimePoint now) {
  return std::min(now + kSessionIdleLifetime, session.created_at + kSessionAbsoluteLifetime);
}

/// The stored digest of the request's session cookie; nullopt when there is no well-formed one.
std::optional<std::string> cookie_digest(const http::Request& request) {
  const auto value = detail::hex_cookie(request, kSessionCookie, 2 * kSessionIdBytes);
  if (!value) return std::nullopt;
  return crypto::sha256_hex(*value);
}

}  // namespace

SessionManager::SessionManager(store::SessionStore& sessions, store::UserStore& users,
                               const Clock& clock, crypto::RandomSource& random,
                               bool secure_cookies)
    : sessions_(sessions),
      users_(users),
      clock_(clock),
      random_(random),
      secure_cookies_(secure_cookies) {}

std::optional<ActiveSession> SessionManager::current(const http::Request& request) {
  const auto digest = cookie_digest(request);
  if (!digest) return std::nullopt;
  auto session = sessions_.find(*digest);
  if (!session) return std::nullopt;
  const TimePoint now = clock_.now();
  if (now >= session->expires_at || now >= session->created_at + kSessionAbsoluteLifetime) {
    return std::nullopt;
  }
  auto user = users_.find(session->user_id);
  if (!user || user->blocked) return std::nullopt;
  // Activity keeps the session alive; a failed touch only shortens it, so it is not an error.
  if (now - session->last_seen_at >= kSessionTouchInterval) {
    (void)sessions_.touch(*digest, now, sliding_expiry(*session, now));
  }
  return ActiveSession{*digest, std::move(user).value(), session->auth_time};
}

store::StoreResult<StartedSession> SessionManager::start(std::string_view user_id, TimePoint now) {
  const std::string value = crypto::random_hex(random_, kSessionIdBytes);
  model::Session session;
  session.id_digest = crypto::sha256_hex(value);
  session.user_id = std::string(user_id);
  session.auth_time = now;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = sliding_expiry(session, now);
  if (auto created = sessions_.create(session); !created) return fail(created.error());
  auto cookie =
      http::build_set_cookie(kSessionCookie, value, session_cookie_options(secure_cookies_));
  // A hex value and fixed attributes always make a valid cookie.
  return StartedSession{cookie ? std::move(cookie).value() : std::string(), session.id_digest};
}

store::StoreResult<void> SessionManager::refresh(std::string_view session_id_digest,
                                                 TimePoint now) {
  return sessions_.set_auth_time(session_id_digest, now);
}

std::string SessionManager::end(const http::Request& request) {
  if (const auto digest = cookie_digest(request)) (void)sessions_.remove(*digest);
  auto deletion =
      http::build_cookie_deletion(kSessionCookie, session_cookie_options(secure_cookies_));
  return deletion ? std::move(deletion).value() : std::string();
}

}  // namespace latchkey::login
