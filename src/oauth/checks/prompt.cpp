#include "oauth/checks/prompt.hpp"

#include <charconv>

#include "oauth/scope.hpp"

namespace latchkey::oauth::checks {

Result<Prompt, OAuthError> check_prompt(const std::optional<std::string>& prompt) {
  Prompt out;
  if (!prompt) return out;
  // The values are a space-delimited set, parsed like a scope (duplicates are harmless).
  const auto values = split_scope(*prompt);
  for (const auto& value : values) {
    if (value == "none") {
      out.none = true;
    } else if (value == "login" || value == "select_account") {
      out.login = true;
    } else if (value == "consent") {
      out.consent = true;
    } else {
      return fail(invalid_request("Unsupported prompt value"));
    }
  }
  // OIDC Core §3.1.2.1: if none is present with any other value, an error is returned.
  if (out.none && values.size() > 1) {
    return fail(invalid_request("prompt=none cannot be combined with other values"));
  }
  return out;
}

Result<std::optional<std::int64_t>, OAuthError> check_max_age(
    const std::optional<std::string>& max_age) {
  if (!max_age) return std::optional<std::int64_t>();
  std::int64_t seconds = 0;
  const char* begin = max_age->data();
  const char* end = begin + max_age->size();
  const auto [next, error] = std::from_chars(begin, end, seconds);
  if (max_age->empty() || (*max_age)[0] == '-' || error != std::errc() || next != end) {
    return fail(invalid_request("max_age must be a non-negative integer"));
  }
  return std::optional<std::int64_t>(seconds);
}

}  // namespace latchkey::oauth::checks
