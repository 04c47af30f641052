#include "app/rule_configs.hpp"

#include "crypto/aead.hpp"

namespace latchkey::app {
namespace {

// Binds a sealed value to its key, so a box cannot be moved to another key.
std::string associated_data(std::string_view key) { return "rules-config:" + std::string(key); }

}  // namespace

Result<model::RuleConfig, std::string> seal_rule_config(const jose::KeyEncryptionKey& kek,
                                                        std::string_view key,
                                                        std::string_view value, TimePoint at,
                                                        crypto::RandomSource& random) {
  auto sealed = crypto::aead_seal(kek.bytes(), crypto::as_bytes(value),
                                  crypto::as_bytes(associated_data(key)), random);
  if (!sealed) {
    return fail("cannot seal the value: " + std::string(crypto::to_string(sealed.error())));
  }
  return model::RuleConfig{std::string(key), std::move(*sealed), at};
}

Result<nlohmann::json, std::string> open_rule_configs(store::RuleConfigStore& configs,
                                                      const jose::KeyEncryptionKey& kek) {
  auto all = configs.list();
  if (!all) return fail(std::string("the store is unavailable (rules-configs)"));
  nlohmann::json configuration = nlohmann::json::object();
  for (const auto& config : *all) {
    auto opened = crypto::aead_open(kek.bytes(), config.sealed_value,
                                    crypto::as_bytes(associated_data(config.key)));
    if (!opened) return fail("rules-config " + config.key + " cannot be opened with this key");
    configuration[config.key] = std::string(opened->begin(), opened->end());
  }
  return configuration;
}

}  // namespace latchkey::app
