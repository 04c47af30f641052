#pragma once
// The hosted pages as typed views, so handlers never build template data by hand and every value
// reaches the page through an escaping `{{x}}` tag. Empty strings leave their block out.

#include <string>
#include <vector>

#include "ui/renderer.hpp"

namespace latchkey::ui {

/// Page names, as the templates are called.
inline constexpr std::string_view kLoginPage = "login";
inline constexpr std::string_view kSignupPage = "signup";
inline constexpr std::string_view kConsentPage = "consent";
inline constexpr std::string_view kErrorPage = "error";
inline constexpr std::string_view kBlockedPage = "blocked";

struct LoginView {
  std::string action;       ///< where the form posts (with ?state=)
  std::string state;        ///< the transaction id
  std::string csrf;         ///< the double-submit token for the hidden field
  std::string email;        ///< prefill (login_hint or the email just tried)
  std::string error;        ///< shown in role="alert" when not empty
  std::string client_name;  ///< "to continue to …" when not empty
  std::string signup_url;   ///< the "Sign up" link; empty when sign-up is disabled
};

struct SignupView {
  std::string action;
  std::string state;
  std::string csrf;
  std::string email;
  std::string name;
  std::string error;
  std::string client_name;
  std::string login_url;
};

struct ScopeView {
  std::string value;
  std::string description;
};

struct ConsentView {
  std::string action;
  std::string state;
  std::string csrf;
  std::string client_name;
  std::string user_email;
  std::vector<ScopeView> scopes;
};

struct ErrorView {
  std::string heading;
  std::string message;
};

struct BlockedView {
  long minutes = 15;
};

[[nodiscard]] std::string render_login(const Renderer& renderer, const LoginView& view);
[[nodiscard]] std::string render_signup(const Renderer& renderer, const SignupView& view);
[[nodiscard]] std::string render_consent(const Renderer& renderer, const ConsentView& view);
[[nodiscard]] std::string render_error(const Renderer& renderer, const ErrorView& view);
[[nodiscard]] std::string render_blocked(const Renderer& renderer, const BlockedView& view);

}  // namespace latchkey::ui
