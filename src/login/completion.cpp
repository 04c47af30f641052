#include "login/completion.hpp"

#include "login/page_support.hpp"

namespace latchkey::login::detail {
namespace {

/// logins_count + 1 and last_login (Auth0's user fields). The statistics are not worth failing
/// a login over, so an error is ignored.
void count_login(store::UserStore& users, const std::string& user_id, TimePoint now) {
  (void)users.record_login(user_id, now);
}

}  // namespace

http::Response complete_login(const Completion& deps, const http::Request& request,
                              const model::User& user, std::string_view state, TimePoint now) {
  count_login(deps.users, user.user_id, now);
  std::string set_cookie;
  const auto existing = deps.sessions.current(request);
  if (existing && existing->user.user_id == user.user_id) {
    if (!deps.sessions.refresh(existing->session_id_digest, now)) {
      return unavailable_page(deps.renderer);
    }
  } else {
    if (existing) (void)deps.sessions.end(request);  // another user's session: log it out
    auto started = deps.sessions.start(user.user_id, now);
    if (!started) return unavailable_page(deps.renderer);
    set_cookie = std::move(started->set_cookie);
  }
  if (!deps.transactions.set_authenticated(state, user.user_id, now)) {
    return unavailable_page(deps.renderer);
  }
  return resume(state, {set_cookie});
}

}  // namespace latchkey::login::detail
