#include "ui/pages.hpp"

namespace latchkey::ui {
namespace {

/// Sets `key` only when `value` is not empty: kainjow treats an empty string as true, and the
/// templates use `{{#key}}` to leave optional blocks out.
void set_if(TemplateData& data, const std::string& key, const std::string& value) {
  if (!value.empty()) data.set(key, value);
}

TemplateData form_data(std::string_view title, const std::string& action, const std::string& state,
                       const std::string& csrf) {
  TemplateData data;
  data.set("title", std::string(title));
  data.set("action", action);
  data.set("state", state);
  data.set("csrf", csrf);
  return data;
}

}  // namespace

std::string render_login(const Renderer& renderer, const LoginView& view) {
  TemplateData data = form_data("Log in", view.action, view.state, view.csrf);
  set_if(data, "email", view.email);
  set_if(data, "error", view.error);
  set_if(data, "client_name", view.client_name);
  set_if(data, "signup_url", view.signup_url);
  return renderer.render(kLoginPage, data);
}

std::string render_signup(const Renderer& renderer, const SignupView& view) {
  TemplateData data = form_data("Sign up", view.action, view.state, view.csrf);
  set_if(data, "email", view.email);
  set_if(data, "name", view.name);
  set_if(data, "error", view.error);
  set_if(data, "client_name", view.client_name);
  set_if(data, "login_url", view.login_url);
  return renderer.render(kSignupPage, data);
}

std::string render_consent(const Renderer& renderer, const ConsentView& view) {
  TemplateData data = form_data("Authorize application", view.action, view.state, view.csrf);
  data.set("client_name", view.client_name);
  data.set("user_email", view.user_email);
  TemplateData scopes{TemplateData::type::list};
  for (const auto& scope : view.scopes) {
    TemplateData item;
    item.set("value", scope.value);
    item.set("description", scope.description.empty() ? scope.value : scope.description);
    scopes.push_back(item);
  }
  data.set("has_scopes",
           view.scopes.empty() ? TemplateData::type::bool_false : TemplateData::type::bool_true);
  data.set("scopes", scopes);
  return renderer.render(kConsentPage, data);
}

std::string render_error(const Renderer& renderer, const ErrorView& view) {
  TemplateData data;
  data.set("title", view.heading);
  data.set("heading", view.heading);
  data.set("message", view.message);
  return renderer.render(kErrorPage, data);
}

std::string render_blocked(const Renderer& renderer, const BlockedView& view) {
  TemplateData data;
  data.set("title", std::string("Too many attempts"));
  data.set("minutes", std::to_string(view.minutes));
  return renderer.render(kBlockedPage, data);
}

}  // namespace latchkey::ui
