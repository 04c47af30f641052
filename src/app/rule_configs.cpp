#include "app/rule_configs.hpp"

#include <optional>
#include <utility>
#include <vector>

#include "crypto/aead.hpp"

namespace latchkey::app {
namespace {

// Binds a sealed value to its key, so a box cannot be moved to another key.
std::string associated_data(std::string_view key) { return "rules-config:" + std::string(key); }

// Action ids have no ':' (act_ and base64url), so the action and key cannot be confused.
std::string secret_associated_data(std::string_view action_id, std::string_view key) {
  return "action-secret:" + std::string(action_id) + ":" + std::string(key);
}

Result<std::vector<std::uint8_t>, std::string> seal_box(const jose::KeyEncryptionKey& kek,
                                                        std::string_view value,
                                                        const std::string& associated,
                                                        crypto::RandomSource& random) {
  auto sealed =
      crypto::aead_seal(kek.bytes(), crypto::as_bytes(value), crypto::as_bytes(associated), random);
  if (!sealed) {
    return fail("cannot seal the value: " + std::string(crypto::to_string(sealed.error())));
  }
  return std::move(*sealed);
}

std::optional<std::string> open_box(const jose::KeyEncryptionKey& kek,
                                    const std::vector<std::uint8_t>& box,
                                    const std::string& associated) {
  auto opened = crypto::aead_open(kek.bytes(), box, crypto::as_bytes(associated));
  if (!opened) return std::nullopt;
  return std::string(opened->begin(), opened->end());
}

}  // namespace

Result<model::RuleConfig, std::string> seal_rule_config(const jose::KeyEncryptionKey& kek,
                                                        std::string_view key,
                                                        std::string_view value, TimePoint at,
                                                        crypto::RandomSource& random) {
  auto sealed = seal_box(kek, value, associated_data(key), random);
  if (!sealed) return fail(std::move(sealed).error());
  return model::RuleConfig{std::string(key), std::move(*sealed), at};
}

Result<nlohmann::json, std::string> open_rule_configs(store::RuleConfigStore& configs,
                                                      const jose::KeyEncryptionKey& kek) {
  auto all = configs.list();
  if (!all) return fail(std::string("the store is unavailable (rules-configs)"));
  nlohmann::json configuration = nlohmann::json::object();
  for (const auto& config : *all) {
    auto opened = open_box(kek, config.sealed_value, associated_data(config.key));
    if (!opened) return fail("rules-config " + config.key + " cannot be opened with this key");
    configuration[config.key] = std::move(*opened);
  }
  return configuration;
}

Result<model::ActionSecret, std::string> seal_action_secret(const jose::KeyEncryptionKey& kek,
                                                            std::string_view action_id,
                                                            std::string_view key,
                                                            std::string_view value, TimePoint at,
                                                            crypto::RandomSource& random) {
  auto sealed = seal_box(kek, value, secret_associated_data(action_id, key), random);
  if (!sealed) return fail(std::move(sealed).error());
  return model::ActionSecret{std::string(action_id), std::string(key), std::move(*sealed), at};
}

Result<nlohmann::json, std::string> open_action_secrets(store::ActionSecretStore& secrets,
                                                        const jose::KeyEncryptionKey& kek,
                                                        std::string_view action_id) {
  auto all = secrets.list(action_id);
  if (!all) return fail(std::string("the store is unavailable (action secrets)"));
  nlohmann::json opened_secrets = nlohmann::json::object();
  for (const auto& secret : *all) {
    auto opened = open_box(kek, secret.sealed_value, secret_associated_data(action_id, secret.key));
    if (!opened) {
      return fail("secret " + secret.key + " of action " + std::string(action_id) +
                  " cannot be opened with this key");
    }
    opened_secrets[secret.key] = std::move(*opened);
  }
  return opened_secrets;
}

}  // namespace latchkey::app
