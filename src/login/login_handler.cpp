#include "login/login_handler.hpp"

#include <variant>

#include "login/completion.hpp"
#include "login/page_support.hpp"
#include "model/validation.hpp"
#include "ui/pages.hpp"

namespace latchkey::login {
namespace {

constexpr std::size_t kDummyPasswordBytes = 16;
/// Auth0 log event types, so operators can search the log the way they are used to.
constexpr std::string_view kEventSuccess = "s";
constexpr std::string_view kEventWrongPassword = "fp";
constexpr std::string_view kEventUnknownEmail = "fu";
constexpr std::string_view kEventBlockedUser = "f";
constexpr std::string_view kEventBruteForce = "limit_wc";

}  // namespace

LoginHandler::LoginHandler(store::UserStore& users, store::ClientStore& clients,
                           store::LoginAttemptStore& attempts,
                           store::TransactionStore& transactions, SessionManager& sessions,
                           const ui::Renderer& renderer, const Clock& clock,
                           crypto::RandomSource& random, crypto::PasswordHasher& hasher,
                           Logger& log, PageOptions options)
    : users_(users),
      clients_(clients),
      transactions_(transactions),
      sessions_(sessions),
      renderer_(renderer),
      clock_(clock),
      hasher_(hasher),
      log_(log),
      options_(options),
      brute_force_(attempts, clock),
      csrf_(random, options.secure_cookies),
      dummy_password_(crypto::random_hex(random, kDummyPasswordBytes)) {}

http::Response LoginHandler::show_form(const http::Request& request,
                                       const store::AuthorizationTransaction& transaction,
                                       const std::string& email, std::string_view error,
                                       int status) {
  const CsrfToken csrf = csrf_.issue(request);
  ui::LoginView view;
  view.action = detail::with_state(detail::kLoginPath, transaction.id);
  view.state = transaction.id;
  view.csrf = csrf.value;
  view.email = email;
  view.error = std::string(error);
  if (auto client = clients_.find(transaction.client_id)) view.client_name = client->name;
  if (options_.signup_enabled)
    view.signup_url = detail::with_state(detail::kSignupPath, transaction.id);
  auto response = detail::page_response(status, ui::render_login(renderer_, view));
  if (csrf.set_cookie) response.add_header("Set-Cookie", *csrf.set_cookie);
  return response;
}

http::Response LoginHandler::handle_get(const http::Request& request) {
  auto loaded = detail::load_transaction(transactions_, clock_, renderer_,
                                         detail::single(request.query, "state"));
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  const auto hint = detail::single(detail::transaction_params(transaction), "login_hint");
  return show_form(request, transaction, hint.value_or(std::string()), {}, 200);
}

http::Response LoginHandler::handle_post(const http::Request& request) {
  auto form = request.form();
  if (!form) return detail::error_page(renderer_, 400, "Invalid request", "The form is malformed.");
  if (!csrf_.verify(request, *form)) return detail::forbidden_page(renderer_);
  auto state = detail::single(*form, "state");
  if (!state) state = detail::single(request.query, "state");
  auto loaded = detail::load_transaction(transactions_, clock_, renderer_, state);
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  Attempt attempt{transaction.id,
                  model::normalize_email(detail::single(*form, "email").value_or(std::string())),
                  detail::single(*form, "password").value_or(std::string())};
  return attempt_login(request, transaction, attempt);
}

bool LoginHandler::check_password(const std::optional<model::User>& user,
                                  const std::string& password) const {
  if (!user) {
    // Same parameters as real hashes, so an unknown email costs what a known one does. Made on
    // the first unknown email rather than at start-up, where it was 40% of the time to listen.
    std::call_once(dummy_once_,
                   [this] { dummy_hash_ = hasher_.hash(dummy_password_).value_or(std::string()); });
    (void)hasher_.verify(dummy_hash_, password);
    return false;
  }
  return hasher_.verify(user->password_hash, password);
}

http::Response LoginHandler::blocked_page(const std::string& ip) {
  log_event(log_, LogLevel::warn, "login blocked", {{"type", kEventBruteForce}, {"ip", ip}});
  const auto block = std::chrono::duration_cast<std::chrono::seconds>(kBruteForceBlockDuration);
  auto page = detail::page_response(
      429, ui::render_blocked(renderer_, ui::BlockedView{kBruteForceBlockDuration.count()}));
  // RFC 6585 §4: a 429 MAY say how long to wait; the block lasts at most this long.
  page.set_header("Retry-After", std::to_string(block.count()));
  return page;
}

http::Response LoginHandler::attempt_login(const http::Request& request,
                                           const store::AuthorizationTransaction& transaction,
                                           const Attempt& attempt) {
  const std::string& ip = request.remote_address;
  auto blocked = brute_force_.is_blocked(attempt.email, ip);
  if (!blocked) return detail::unavailable_page(renderer_);
  if (*blocked) return blocked_page(ip);
  auto found = users_.find_by_email(attempt.email);
  if (!found && found.error() == store::StoreError::unavailable) {
    return detail::unavailable_page(renderer_);
  }
  std::optional<model::User> user;
  if (found) user = std::move(found).value();
  const bool password_ok = check_password(user, attempt.password);
  if (!user) return reject(request, transaction, attempt, kEventUnknownEmail);
  if (!password_ok) return reject(request, transaction, attempt, kEventWrongPassword);
  if (user->blocked) return reject(request, transaction, attempt, kEventBlockedUser);
  (void)brute_force_.clear(attempt.email, ip);
  log_event(log_, LogLevel::info, "login",
            {{"type", kEventSuccess}, {"user_id", user->user_id}, {"ip", ip}});
  return detail::complete_login({users_, sessions_, transactions_, renderer_}, request, *user,
                                transaction.id, clock_.now());
}

http::Response LoginHandler::reject(const http::Request& request,
                                    const store::AuthorizationTransaction& transaction,
                                    const Attempt& attempt, std::string_view event) {
  const std::string& ip = request.remote_address;
  if (!brute_force_.record_failure(attempt.email, ip)) return detail::unavailable_page(renderer_);
  log_event(log_, LogLevel::info, "login failed", {{"type", event}, {"ip", ip}});
  return show_form(request, transaction, attempt.email, kWrongCredentialsMessage, 400);
}

}  // namespace latchkey::login
