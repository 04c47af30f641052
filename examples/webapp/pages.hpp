#pragma once
// The web app's pages: small HTML strings in which every value from outside (names, emails,
// messages, error text) goes through escape_html.

#include <optional>
#include <string>
#include <vector>

namespace latchkey::examples::webapp {

/// The signed-in user, as the ID token described them.
struct UserView {
  std::string name;
  std::string email;
};

/// GET /: a "Log in" link when `user` is empty; otherwise a greeting, a link to /profile and a
/// "Log out" button.
[[nodiscard]] std::string home_page(const std::optional<UserView>& user);

/// What the API answered to GET /api/messages: its messages, or a line saying why not.
struct ApiView {
  std::optional<std::vector<std::string>> messages;
  std::string error;
};

/// GET /profile: the user's name and email, and the API's answer.
[[nodiscard]] std::string profile_page(const UserView& user, const ApiView& api);

/// A failed sign-in or a bad request: the title and detail, and a link home.
[[nodiscard]] std::string error_page(const std::string& title, const std::string& detail);

}  // namespace latchkey::examples::webapp
