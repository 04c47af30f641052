#include "jose/key_set.hpp"

#include "jose/strict_json.hpp"

namespace latchkey::jose {

bool KeySet::add(PublicKey key) {
  std::string kid = key.kid();
  return keys_.emplace(std::move(kid), std::move(key)).second;
}

Result<std::size_t, JoseStatus> KeySet::add_jwks(std::string_view jwks_json) {
  auto document = parse_json_object_strict(jwks_json);
  if (!document) return fail(JoseStatus::bad_json);
  const auto keys = document->find("keys");
  if (keys == document->end() || !keys->is_array()) return fail(JoseStatus::bad_json);
  std::size_t added = 0;
  for (const nlohmann::json& jwk : *keys) {
    auto key = PublicKey::from_jwk(jwk);
    if (key && add(std::move(*key))) ++added;
  }
  return added;
}

const PublicKey* KeySet::find(std::string_view kid) const {
  const auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

const PublicKey* KeySet::only_key_for(Algorithm alg) const {
  const PublicKey* found = nullptr;
  for (const auto& [kid, key] : keys_) {
    if (key.alg() != alg) continue;
    if (found != nullptr) return nullptr;
    found = &key;
  }
  return found;
}

nlohmann::json KeySet::to_jwks() const {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [kid, key] : keys_) keys.push_back(key.to_jwk());
  return {{"keys", std::move(keys)}};
}

}  // namespace latchkey::jose
