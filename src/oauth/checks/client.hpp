#pragma once
// The client of an authorization request (RFC 6749 §4.1.1, §2.2).

#include <optional>
#include <string>

#include "core/result.hpp"
#include "model/model.hpp"
#include "oauth/error.hpp"
#include "store/store.hpp"

namespace latchkey::oauth::checks {

/// The registered client named by `client_id`. A missing or unknown client_id is
/// invalid_request (never redirectable: RFC 6749 §4.1.2.1 forbids redirecting to an
/// unverified client); a failing store is temporarily_unavailable (503).
[[nodiscard]] Result<model::Client, OAuthError> check_client(
    const std::optional<std::string>& client_id, store::ClientStore& clients);

}  // namespace latchkey::oauth::checks
