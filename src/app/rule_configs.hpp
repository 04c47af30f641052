#pragma once
// Rules-configs and Actions' secrets at rest: each value sealed with AES-256-GCM under the
// key-encryption key, bound to its key (and action) as associated data, so the store and its
// backups hold only ciphertext and a box cannot be moved to another key or action.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/random.hpp"
#include "jose/keyring.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// Seals `value` for `key`; fails with a one-line message.
[[nodiscard]] Result<model::RuleConfig, std::string> seal_rule_config(
    const jose::KeyEncryptionKey& kek, std::string_view key, std::string_view value, TimePoint at,
    crypto::RandomSource& random);

/// Every rules-config opened, as the rules' `configuration` object {key: value}. Fails with a
/// message naming the key (never the value) when a box does not open under `kek`.
[[nodiscard]] Result<nlohmann::json, std::string> open_rule_configs(
    store::RuleConfigStore& configs, const jose::KeyEncryptionKey& kek);

/// Seals `value` as the secret `key` of the action with id `action_id`.
[[nodiscard]] Result<model::ActionSecret, std::string> seal_action_secret(
    const jose::KeyEncryptionKey& kek, std::string_view action_id, std::string_view key,
    std::string_view value, TimePoint at, crypto::RandomSource& random);

/// The action's secrets opened, as its `event.secrets` object {key: value}. Fails with a message
/// naming the key (never the value) when a box does not open under `kek`.
[[nodiscard]] Result<nlohmann::json, std::string> open_action_secrets(
    store::ActionSecretStore& secrets, const jose::KeyEncryptionKey& kek,
    std::string_view action_id);

}  // namespace latchkey::app
