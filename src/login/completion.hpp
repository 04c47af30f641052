#pragma once
// The last step shared by password login and sign-up (login-internal): count the login, start or
// refresh the SSO session, mark the transaction authenticated, and send the browser back to
// /authorize/resume.

#include <string_view>

#include "core/clock.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "login/session_manager.hpp"
#include "model/model.hpp"
#include "store/store.hpp"
#include "store/transaction_store.hpp"
#include "ui/renderer.hpp"

namespace latchkey::login::detail {

struct Completion {
  store::UserStore& users;
  SessionManager& sessions;
  store::TransactionStore& transactions;
  const ui::Renderer& renderer;
};

/// Finishes a successful login of `user` for transaction `state` at `now`. A session of the same
/// user is refreshed (auth_time = now); any other session is ended and a new one started.
/// Answers 302 to resume with the session cookie, or 503 when the store fails.
[[nodiscard]] http::Response complete_login(const Completion& deps, const http::Request& request,
                                            const model::User& user, std::string_view state,
                                            TimePoint now);

}  // namespace latchkey::login::detail
