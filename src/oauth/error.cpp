#include "oauth/error.hpp"

#include "ui/html.hpp"

namespace latchkey::oauth {
namespace {

http::Response no_store(http::Response response) {
  response.set_header("Cache-Control", "no-store").set_header("Pragma", "no-cache");
  return response;
}

std::string form_post_page(const std::string& action, const http::Params& params) {
  std::string inputs;
  for (const auto& [name, value] : params.items()) {
    inputs += "<input type=\"hidden\" name=\"" + ui::escape_html(name) + "\" value=\"" +
              ui::escape_html(value) + "\">";
  }
  return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Submitting"
         "</title></head><body onload=\"document.forms[0].submit()\"><form method=\"post\" "
         "action=\"" +
         ui::escape_html(action) + "\">" + inputs +
         "<p>If you are not sent back to the application, press Continue.</p>"
         "<button type=\"submit\">Continue</button></form></body></html>";
}

}  // namespace

OAuthError OAuthError::make(std::string_view code, std::string description, int status) {
  return OAuthError{std::string(code), std::move(description), status, {}, false};
}

OAuthError OAuthError::redirectable() const {
  OAuthError copy = *this;
  copy.may_redirect = true;
  return copy;
}

OAuthError invalid_request(std::string description) {
  return OAuthError::make(errors::kInvalidRequest, std::move(description));
}

OAuthError invalid_grant(std::string description, std::string debug) {
  OAuthError error = OAuthError::make(errors::kInvalidGrant, std::move(description));
  error.debug = std::move(debug);
  return error;
}

http::Response render_json(const OAuthError& error) {
  nlohmann::json body = {{"error", error.code}};
  if (!error.description.empty()) body["error_description"] = error.description;
  return no_store(http::Response::json(error.status, body));
}

std::string append_query(std::string_view uri, const http::Params& params) {
  std::string out(uri);
  const auto fragment = out.find('#');
  if (fragment != std::string::npos) out.resize(fragment);  // RFC 6749 §3.1.2: no fragment
  if (params.empty()) return out;
  if (out.find('?') == std::string::npos) {
    out += '?';
  } else if (!out.ends_with('?') && !out.ends_with('&')) {
    out += '&';
  }
  return out + params.encode();
}

http::Response authorization_response(const RedirectTarget& target, http::Params params) {
  if (!target.state.empty()) params.add("state", target.state);
  params.add("iss", target.issuer);  // RFC 9207 §2
  if (target.mode == ResponseMode::form_post) {
    return no_store(http::Response::html(200, form_post_page(target.redirect_uri, params)));
  }
  return no_store(http::Response::redirect(append_query(target.redirect_uri, params), 302));
}

http::Response render_redirect(const OAuthError& error, const RedirectTarget& target) {
  if (!error.may_redirect) return render_page(error);
  http::Params params{{"error", error.code}};
  if (!error.description.empty()) params.add("error_description", error.description);
  return authorization_response(target, std::move(params));
}

http::Response render_page(const OAuthError& error) {
  const std::string body =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\"><title>Something went wrong</title>"
      "</head><body><main><h1>Something went wrong</h1><p><strong>" +
      ui::escape_html(error.code) + "</strong>: " + ui::escape_html(error.description) +
      "</p></main></body></html>";
  return no_store(http::Response::html(error.status, body));
}

}  // namespace latchkey::oauth
