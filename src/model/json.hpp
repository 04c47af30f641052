#pragma once
// The JSON shapes operators see (CLI --json, later the Management API), in Auth0's field names.
// Secrets and their digests never appear here.

#include <nlohmann/json.hpp>

#include "model/model.hpp"

namespace latchkey::model {

[[nodiscard]] nlohmann::json to_json(const Client& client);
[[nodiscard]] nlohmann::json to_json(const ResourceServer& api);
[[nodiscard]] nlohmann::json to_json(const User& user);
/// Auth0's shape: id, client_id, audience, scope (an array).
[[nodiscard]] nlohmann::json to_json(const ClientGrant& grant);

}  // namespace latchkey::model
