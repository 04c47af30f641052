#pragma once
// Rules-configs at rest: each value sealed with AES-256-GCM under the key-encryption key, bound
// to its key (associated data), so the store and its backups hold only ciphertext.

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

}  // namespace latchkey::app
