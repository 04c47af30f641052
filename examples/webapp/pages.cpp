#include "pages.hpp"

#include "ui/html.hpp"

namespace latchkey::examples::webapp {
namespace {

using ui::escape_html;

std::string layout(const std::string& title, const std::string& body) {
  return "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
         "<title>" +
         escape_html(title) +
         " · Example web app</title>"
         "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
         "padding:0 1rem;line-height:1.5}button{font:inherit}</style></head>\n<body>\n" +
         body + "\n</body>\n</html>\n";
}

constexpr char kLogoutForm[] =
    "<form method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button></form>";

}  // namespace

std::string home_page(const std::optional<UserView>& user) {
  if (!user) {
    return layout("Home",
                  "<h1>Example web app</h1>\n<p>You are not signed in.</p>\n"
                  "<p><a href=\"/login\">Log in</a></p>");
  }
  return layout("Home", "<h1>Hello, " + escape_html(user->name) +
                            "</h1>\n<p><a href=\"/profile\">Your profile</a></p>\n" + kLogoutForm);
}

std::string profile_page(const UserView& user, const ApiView& api) {
  std::string body = "<h1>" + escape_html(user.name) + "</h1>\n<dl><dt>Name</dt><dd id=\"name\">" +
                     escape_html(user.name) + "</dd><dt>Email</dt><dd id=\"email\">" +
                     escape_html(user.email) + "</dd></dl>\n<h2>Your messages, from the API</h2>\n";
  if (api.messages) {
    body += "<ul id=\"messages\">";
    for (const auto& message : *api.messages) body += "<li>" + escape_html(message) + "</li>";
    body += "</ul>\n";
  } else {
    body += "<p id=\"api-error\" role=\"alert\">" + escape_html(api.error) + "</p>\n";
  }
  return layout("Profile", body + "<p><a href=\"/\">Home</a></p>\n" + kLogoutForm);
}

std::string error_page(const std::string& title, const std::string& detail) {
  return layout("Error", "<h1>Sign-in failed</h1>\n<p role=\"alert\"><strong id=\"error\">" +
                             escape_html(title) + "</strong></p>\n<p id=\"error-description\">" +
                             escape_html(detail) + "</p>\n<p><a href=\"/\">Home</a></p>");
}

}  // namespace latchkey::examples::webapp
