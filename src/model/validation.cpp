#include "model/validation.hpp"

#include <algorithm>
#include <boost/url/parse.hpp>

namespace latchkey::model {
namespace {

bool is_control(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

}  // namespace

Check check_redirect_uri(std::string_view uri) {
  const auto url = boost::urls::parse_absolute_uri(uri);
  if (!url) return fail("not an absolute URL: '" + std::string(uri) + "'");
  if (url->has_fragment())
    return fail("a callback URL must not have a fragment: '" + std::string(uri) + "'");
  const auto scheme = url->scheme();
  if ((scheme == "http" || scheme == "https") && url->host().empty()) {
    return fail("a callback URL must name a host: '" + std::string(uri) + "'");
  }
  if (uri.size() > 2000) return fail(std::string("a callback URL is limited to 2000 characters"));
  return {};
}

Check check_api_identifier(std::string_view identifier) {
  if (identifier.empty() || identifier.size() > 600) {
    return fail(std::string("an API identifier must have 1 to 600 characters"));
  }
  const bool visible = std::all_of(identifier.begin(), identifier.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
  if (!visible)
    return fail("an API identifier must be visible ASCII without spaces: '" +
                std::string(identifier) + "'");
  return {};
}

Check check_scope_token(std::string_view scope) {
  const bool valid = !scope.empty() && std::all_of(scope.begin(), scope.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u == 0x21 || (u >= 0x23 && u <= 0x5b) || (u >= 0x5d && u <= 0x7e);
  });
  if (!valid) return fail("not a valid scope value: '" + std::string(scope) + "'");
  return {};
}

Check check_email(std::string_view email) {
  const auto at = email.find('@');
  const bool shaped = at != std::string_view::npos && at > 0 &&
                      email.find('@', at + 1) == std::string_view::npos &&
                      email.find('.', at + 2) != std::string_view::npos && !email.ends_with('.');
  const bool clean =
      std::none_of(email.begin(), email.end(), [](char c) { return c == ' ' || is_control(c); });
  if (!shaped || !clean || email.size() > 320) {
    return fail("not a valid email address: '" + std::string(email) + "'");
  }
  return {};
}

Check check_password(std::string_view password) {
  if (password.size() < 8) return fail(std::string("a password needs at least 8 characters"));
  if (password.size() > 256) return fail(std::string("a password is limited to 256 characters"));
  return {};
}

Check check_name(std::string_view name) {
  if (name.empty() || name.size() > 300)
    return fail(std::string("a name must have 1 to 300 characters"));
  if (std::any_of(name.begin(), name.end(), is_control)) {
    return fail(std::string("a name must not contain control characters"));
  }
  return {};
}

std::string normalize_email(std::string_view email) {
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  return out;
}

}  // namespace latchkey::model
