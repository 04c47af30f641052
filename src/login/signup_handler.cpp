#include "login/signup_handler.hpp"

#include <variant>

#include "login/completion.hpp"
#include "login/page_support.hpp"
#include "model/validation.hpp"
#include "ui/pages.hpp"

namespace latchkey::login {
namespace {

constexpr std::string_view kEventSignup = "ss";
constexpr std::string_view kEventSignupFailed = "fs";
constexpr std::string_view kUserIdPrefix = "auth0|";

}  // namespace

SignupHandler::SignupHandler(store::UserStore& users, store::ClientStore& clients,
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
      random_(random),
      hasher_(hasher),
      log_(log),
      options_(options),
      csrf_(random, options.secure_cookies) {}

http::Response SignupHandler::disabled() const {
  return detail::error_page(renderer_, 404, "Not found", "Sign-up is not available.");
}

http::Response SignupHandler::show_form(const http::Request& request,
                                        const store::AuthorizationTransaction& transaction,
                                        const Entry& entry, std::string_view error, int status) {
  const CsrfToken csrf = csrf_.issue(request);
  ui::SignupView view;
  view.action = detail::with_state(detail::kSignupPath, transaction.id);
  view.state = transaction.id;
  view.csrf = csrf.value;
  view.email = entry.email;
  view.name = entry.name;
  view.error = std::string(error);
  view.login_url = detail::with_state(detail::kLoginPath, transaction.id);
  if (auto client = clients_.find(transaction.client_id)) view.client_name = client->name;
  auto response = detail::page_response(status, ui::render_signup(renderer_, view));
  if (csrf.set_cookie) response.add_header("Set-Cookie", *csrf.set_cookie);
  return response;
}

http::Response SignupHandler::handle_get(const http::Request& request) {
  if (!options_.signup_enabled) return disabled();
  auto loaded = detail::load_transaction(transactions_, clock_, renderer_,
                                         detail::single(request.query, "state"));
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  const auto hint = detail::single(detail::transaction_params(transaction), "login_hint");
  return show_form(request, transaction, Entry{hint.value_or(std::string()), {}, {}}, {}, 200);
}

http::Response SignupHandler::handle_post(const http::Request& request) {
  if (!options_.signup_enabled) return disabled();
  auto form = request.form();
  if (!form) return detail::error_page(renderer_, 400, "Invalid request", "The form is malformed.");
  if (!csrf_.verify(request, *form)) return detail::forbidden_page(renderer_);
  auto state = detail::single(*form, "state");
  if (!state) state = detail::single(request.query, "state");
  auto loaded = detail::load_transaction(transactions_, clock_, renderer_, state);
  if (auto* page = std::get_if<http::Response>(&loaded)) return std::move(*page);
  const auto& transaction = std::get<store::AuthorizationTransaction>(loaded);
  Entry entry{model::normalize_email(detail::single(*form, "email").value_or(std::string())),
              detail::single(*form, "password").value_or(std::string()),
              detail::single(*form, "name").value_or(std::string())};
  if (auto bad = model::check_email(entry.email); !bad) {
    return show_form(request, transaction, entry, "Enter a valid email address.", 400);
  }
  if (auto bad = model::check_password(entry.password); !bad) {
    return show_form(request, transaction, entry, "The password must have at least 8 characters.",
                     400);
  }
  if (!entry.name.empty() && !model::check_name(entry.name)) {
    return show_form(request, transaction, entry, "The name is not valid.", 400);
  }
  return create_user(request, transaction, entry);
}

http::Response SignupHandler::create_user(const http::Request& request,
                                          const store::AuthorizationTransaction& transaction,
                                          const Entry& entry) {
  auto hash = hasher_.hash(entry.password);
  if (!hash) return detail::unavailable_page(renderer_);
  const TimePoint now = clock_.now();
  model::User user;
  user.user_id = std::string(kUserIdPrefix) + crypto::random_hex(random_, kUserIdBytes);
  user.email = entry.email;
  user.name = entry.name.empty() ? entry.email : entry.name;
  user.nickname = entry.email.substr(0, entry.email.find('@'));
  user.password_hash = std::move(*hash);
  user.created_at = now;
  user.updated_at = now;
  if (auto created = users_.create(user); !created) {
    if (created.error() == store::StoreError::unavailable)
      return detail::unavailable_page(renderer_);
    log_event(log_, LogLevel::info, "signup failed",
              {{"type", kEventSignupFailed}, {"ip", request.remote_address}});
    Entry shown = entry;
    shown.password.clear();
    return show_form(request, transaction, shown, kSignupFailedMessage, 400);
  }
  log_event(log_, LogLevel::info, "signup",
            {{"type", kEventSignup}, {"user_id", user.user_id}, {"ip", request.remote_address}});
  return detail::complete_login({users_, sessions_, transactions_, renderer_}, request, user,
                                transaction.id, now);
}

}  // namespace latchkey::login
