#include "login/session_manager.hpp"

#include <gtest/gtest.h>

#include "crypto/digest.hpp"
#include "login/hosted_pages_fixture.hpp"
#include "store/codec.hpp"

namespace latchkey::login_test {
namespace {

using login::kSessionCookie;
using login::SessionManager;
using std::chrono::hours;
using std::chrono::seconds;

class SessionManagerTest : public HostedPagesTest {
 protected:
  SessionManager manager(bool secure = false) {
    return SessionManager(store_->sessions(), store_->users(), clock_, random_, secure);
  }
  static http::Request with_cookie(const std::string& cookie) {
    http::Request request;
    request.headers.set("Cookie", cookie);
    return request;
  }
  /// Starts a session for the seeded user and returns its cookie value.
  std::string start(SessionManager& sessions) {
    auto started = sessions.start(kUserId, clock_.now());
    EXPECT_TRUE(started);
    if (!started) return {};
    const std::string& line = started->set_cookie;
    const auto begin = kSessionCookie.size() + 1;
    return line.substr(begin, line.find(';') - begin);
  }
};

TEST_F(SessionManagerTest, CookieIsHttpOnlyLaxPathRootAndNotSecureOverHttp) {
  auto sessions = manager(false);
  auto started = sessions.start(kUserId, clock_.now());
  ASSERT_TRUE(started);
  const std::string& line = started->set_cookie;
  EXPECT_EQ(line.rfind("lk_session=", 0), 0u);
  EXPECT_NE(line.find("HttpOnly"), std::string::npos);
  EXPECT_NE(line.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(line.find("Path=/"), std::string::npos);
  EXPECT_EQ(line.find("Secure"), std::string::npos);
}

TEST_F(SessionManagerTest, CookieIsSecureWhenTheIssuerIsHttps) {
  auto sessions = manager(true);
  auto started = sessions.start(kUserId, clock_.now());
  ASSERT_TRUE(started);
  EXPECT_NE(started->set_cookie.find("; Secure"), std::string::npos);
}

TEST_F(SessionManagerTest, StoresOnlyTheDigestOfTheCookieValue) {
  auto sessions = manager();
  const std::string value = start(sessions);
  ASSERT_EQ(value.size(), 64u);
  EXPECT_TRUE(store_->sessions().find(crypto::sha256_hex(value)));
  EXPECT_FALSE(store_->sessions().find(value));
}

TEST_F(SessionManagerTest, CurrentFindsTheUserAndAuthTime) {
  auto sessions = manager();
  const TimePoint started_at = clock_.now();
  const std::string value = start(sessions);
  clock_.advance(hours(1));
  const auto active = sessions.current(with_cookie("other=1; lk_session=" + value));
  ASSERT_TRUE(active);
  EXPECT_EQ(active->user.user_id, kUserId);
  EXPECT_EQ(active->user.email, kEmail);
  EXPECT_EQ(to_unix_seconds(active->auth_time), to_unix_seconds(started_at));
  EXPECT_EQ(active->session_id_digest, crypto::sha256_hex(value));
}

TEST_F(SessionManagerTest, MalformedOrUnknownCookiesAreNoSession) {
  auto sessions = manager();
  const std::string value = start(sessions);
  const std::vector<std::string> cookies{"",
                                         ";;;",
                                         "lk_session",
                                         "lk_session=",
                                         "lk_session=zz",
                                         "=lk_session",
                                         "lk_session=\"\"",
                                         "lk_session=" + value.substr(1),
                                         "lk_session=" + value + "0",
                                         "lk_session=" + std::string(64, 'f'),
                                         "lk_session=" + std::string(10000, 'a'),
                                         std::string("lk_session=\x01\xff", 13),
                                         "lk_session=" + std::string(64, 'G')};
  for (const auto& cookie : cookies) {
    EXPECT_FALSE(sessions.current(with_cookie(cookie))) << cookie.substr(0, 80);
  }
  EXPECT_FALSE(sessions.current(http::Request{}));
}

TEST_F(SessionManagerTest, IdleSessionExpiresAfterThreeDays) {
  auto sessions = manager();
  const std::string value = start(sessions);
  clock_.advance(hours(72) + seconds(1));
  EXPECT_FALSE(sessions.current(with_cookie("lk_session=" + value)));
}

TEST_F(SessionManagerTest, ActivityKeepsTheSessionUntilTheSevenDayLimit) {
  auto sessions = manager();
  const std::string value = start(sessions);
  for (int day = 2; day <= 6; day += 2) {
    clock_.advance(hours(48));
    EXPECT_TRUE(sessions.current(with_cookie("lk_session=" + value))) << "day " << day;
  }
  clock_.advance(hours(24) + seconds(1));  // day 7 and a second: past the absolute lifetime
  EXPECT_FALSE(sessions.current(with_cookie("lk_session=" + value)));
}

TEST_F(SessionManagerTest, ActivityIsWrittenAtMostOncePerTouchInterval) {
  auto sessions = manager();
  const std::string value = start(sessions);
  const std::string digest = crypto::sha256_hex(value);
  const auto last_seen = [&] {
    return store::to_unix_ms(store_->sessions().find(digest)->last_seen_at);
  };
  const auto started_ms = last_seen();

  clock_.advance(login::kSessionTouchInterval - seconds(1));
  ASSERT_TRUE(sessions.current(with_cookie("lk_session=" + value)));
  EXPECT_EQ(last_seen(), started_ms) << "a request within the interval wrote the session";

  clock_.advance(seconds(1));
  ASSERT_TRUE(sessions.current(with_cookie("lk_session=" + value)));
  EXPECT_EQ(last_seen(), store::to_unix_ms(clock_.now()));
  EXPECT_EQ(store::to_unix_ms(store_->sessions().find(digest)->expires_at),
            store::to_unix_ms(clock_.now() + login::kSessionIdleLifetime));
}

TEST_F(SessionManagerTest, BlockedOrDeletedUserHasNoSession) {
  auto sessions = manager();
  const std::string value = start(sessions);
  ASSERT_TRUE(store_->users().set_blocked(kUserId, true));
  EXPECT_FALSE(sessions.current(with_cookie("lk_session=" + value)));
  ASSERT_TRUE(store_->users().set_blocked(kUserId, false));
  EXPECT_TRUE(sessions.current(with_cookie("lk_session=" + value)));
  ASSERT_TRUE(store_->users().remove(kUserId));
  EXPECT_FALSE(sessions.current(with_cookie("lk_session=" + value)));
}

TEST_F(SessionManagerTest, RefreshMovesAuthTimeForAFreshLogin) {
  auto sessions = manager();
  const std::string value = start(sessions);
  clock_.advance(hours(2));
  ASSERT_TRUE(sessions.refresh(crypto::sha256_hex(value), clock_.now()));
  const auto active = sessions.current(with_cookie("lk_session=" + value));
  ASSERT_TRUE(active);
  EXPECT_EQ(to_unix_seconds(active->auth_time), to_unix_seconds(clock_.now()));
}

TEST_F(SessionManagerTest, EndDeletesTheSessionAndClearsTheCookie) {
  auto sessions = manager();
  const std::string value = start(sessions);
  const std::string deletion = sessions.end(with_cookie("lk_session=" + value));
  EXPECT_EQ(deletion.rfind("lk_session=;", 0), 0u);
  EXPECT_NE(deletion.find("Max-Age=0"), std::string::npos);
  EXPECT_FALSE(store_->sessions().find(crypto::sha256_hex(value)));
  EXPECT_FALSE(sessions.current(with_cookie("lk_session=" + value)));
}

TEST_F(SessionManagerTest, StartForAnUnknownUserFails) {
  auto sessions = manager();
  auto started = sessions.start("auth0|nobody", clock_.now());
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error(), store::StoreError::not_found);
}

}  // namespace
}  // namespace latchkey::login_test
