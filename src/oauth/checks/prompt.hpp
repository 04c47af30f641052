#pragma once
// prompt and max_age (OIDC Core §3.1.2.1).

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "oauth/error.hpp"

namespace latchkey::oauth::checks {

/// What `prompt` asks for. `select_account` is read as `login`: latchkey has one account per
/// session, so choosing another one means logging in again.
struct Prompt {
  bool none = false;     ///< never show a page: answer login_required/consent_required instead
  bool login = false;    ///< authenticate again even with a session
  bool consent = false;  ///< ask for consent even when a grant covers the request
};

/// Parses the space-separated prompt values none, login, consent and select_account. `none`
/// with any other value (OIDC Core §3.1.2.1) or an unknown value is invalid_request.
[[nodiscard]] Result<Prompt, OAuthError> check_prompt(const std::optional<std::string>& prompt);

/// max_age in seconds (OIDC Core §3.1.2.1): a non-negative decimal integer, else
/// invalid_request. Absent gives nullopt.
[[nodiscard]] Result<std::optional<std::int64_t>, OAuthError> check_max_age(
    const std::optional<std::string>& max_age);

}  // namespace latchkey::oauth::checks
