#include "jose/keyring.hpp"

#include <openssl/crypto.h>

#include <algorithm>

#include "crypto/aead.hpp"

namespace latchkey::jose {
namespace {

using model::KeyState;

/// Wipes a secret held in a string before it is freed.
class SecretText {
 public:
  explicit SecretText(std::string text) : text_(std::move(text)) {}
  ~SecretText() { OPENSSL_cleanse(text_.data(), text_.size()); }
  SecretText(const SecretText&) = delete;
  SecretText& operator=(const SecretText&) = delete;
  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  std::string text_;
};

bool is_published(KeyState state) {
  return state == KeyState::next || state == KeyState::current || state == KeyState::previous;
}

std::string fingerprint_of(const std::vector<model::SigningKey>& keys) {
  std::string fingerprint;
  for (const auto& key : keys) {
    fingerprint += key.kid;
    fingerprint += ':';
    fingerprint += model::to_string(key.state);
    fingerprint += ';';
  }
  return fingerprint;
}

/// The newest key of `alg` in `state` (by activation, then creation), or null.
const model::SigningKey* newest(const std::vector<model::SigningKey>& keys, std::string_view alg,
                                KeyState state) {
  const model::SigningKey* best = nullptr;
  for (const auto& key : keys) {
    if (key.alg != alg || key.state != state) continue;
    const auto when = key.activated_at.value_or(key.created_at);
    if (best == nullptr || when > best->activated_at.value_or(best->created_at)) best = &key;
  }
  return best;
}

std::string store_failure(store::StoreError error) {
  return "the key store is " + std::string(store::to_string(error));
}

}  // namespace

Result<KeyEncryptionKey, std::string> KeyEncryptionKey::from_bytes(
    std::span<const std::uint8_t> bytes) {
  if (bytes.size() != 32) {
    return fail("the key-encryption key must be 32 bytes, got " + std::to_string(bytes.size()));
  }
  std::array<std::uint8_t, 32> copy{};
  std::copy(bytes.begin(), bytes.end(), copy.begin());
  return KeyEncryptionKey(copy);
}

const SigningKey* KeyringSnapshot::signer(Algorithm alg) const {
  const auto it = current.find(alg);
  return it == current.end() ? nullptr : &it->second;
}

Keyring::Keyring(store::SigningKeyStore& store, KeyEncryptionKey kek, crypto::RandomSource& random,
                 const Clock& clock)
    : store_(store),
      kek_(kek),
      random_(random),
      clock_(clock),
      snapshot_(std::make_shared<KeyringSnapshot>()) {}

std::shared_ptr<const KeyringSnapshot> Keyring::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

Result<model::SigningKey, std::string> Keyring::create_key(Algorithm alg, KeyState state) {
  SigningKey key = SigningKey::generate(alg);
  const SecretText pem(key.to_pkcs8_pem());
  auto sealed = crypto::aead_seal(kek_.bytes(), crypto::as_bytes(pem.text()),
                                  crypto::as_bytes(key.kid()), random_);
  if (!sealed)
    return fail("cannot seal a new key: " + std::string(crypto::to_string(sealed.error())));
  model::SigningKey stored;
  stored.kid = key.kid();
  stored.alg = std::string(to_string(alg));
  stored.state = state;
  stored.sealed_private_key = std::move(*sealed);
  stored.public_jwk = key.public_key().to_jwk().dump();
  stored.created_at = clock_.now();
  if (state == KeyState::current) stored.activated_at = stored.created_at;
  if (auto r = store_.create(stored); !r) return fail(store_failure(r.error()));
  std::lock_guard lock(mutex_);
  unsealed_.emplace(stored.kid, std::move(key));
  return stored;
}

Result<SigningKey, std::string> Keyring::unseal(const model::SigningKey& stored) {
  {
    std::lock_guard lock(mutex_);
    if (const auto it = unsealed_.find(stored.kid); it != unsealed_.end()) return it->second;
  }
  const auto alg = algorithm_from_string(stored.alg);
  if (!alg) return fail("key " + stored.kid + " has an unknown algorithm " + stored.alg);
  auto opened =
      crypto::aead_open(kek_.bytes(), stored.sealed_private_key, crypto::as_bytes(stored.kid));
  if (!opened) {
    return fail("cannot unseal key " + stored.kid +
                " (is this the key-encryption key it was sealed with?)");
  }
  const SecretText pem(std::string(opened->begin(), opened->end()));
  OPENSSL_cleanse(opened->data(), opened->size());
  auto key = SigningKey::from_pkcs8_pem(pem.text(), *alg);
  if (!key || key->kid() != stored.kid) return fail("key " + stored.kid + " is damaged");
  std::lock_guard lock(mutex_);
  unsealed_.emplace(stored.kid, *key);
  return *key;
}

Result<void, std::string> Keyring::ensure(std::span<const Algorithm> algorithms) {
  auto keys = store_.list();
  if (!keys) return fail(store_failure(keys.error()));
  for (const Algorithm alg : algorithms) {
    const std::string name(to_string(alg));
    for (const KeyState state : {KeyState::current, KeyState::next}) {
      if (newest(*keys, name, state) != nullptr) continue;
      if (auto created = create_key(alg, state); !created) return fail(created.error());
    }
  }
  return {};
}

Result<bool, std::string> Keyring::reload() {
  auto keys = store_.list();
  if (!keys) return fail(store_failure(keys.error()));
  std::string fingerprint = fingerprint_of(*keys);
  if (snapshot()->fingerprint == fingerprint) return false;

  auto next = std::make_shared<KeyringSnapshot>();
  next->fingerprint = std::move(fingerprint);
  for (const auto& stored : *keys) {
    if (!is_published(stored.state)) continue;
    const auto alg = algorithm_from_string(stored.alg);
    auto key = PublicKey::from_jwk_text(stored.public_jwk, alg);
    if (!alg || !key) return fail("key " + stored.kid + " has a damaged public key");
    next->trusted.add(std::move(*key));
    if (stored.state != KeyState::current || next->current.contains(*alg)) continue;
    const model::SigningKey* signer = newest(*keys, stored.alg, KeyState::current);
    auto unsealed = unseal(*signer);
    if (!unsealed) return fail(unsealed.error());
    next->current.emplace(*alg, std::move(*unsealed));
  }
  next->jwks = next->trusted.to_jwks();
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
  return true;
}

Result<Rotation, std::string> Keyring::rotate(Algorithm alg) {
  if (auto r = ensure(std::array{alg}); !r) return fail(r.error());
  auto keys = store_.list();
  if (!keys) return fail(store_failure(keys.error()));
  const std::string name(to_string(alg));
  const model::SigningKey* next = newest(*keys, name, KeyState::next);
  const model::SigningKey* current = newest(*keys, name, KeyState::current);
  Rotation rotation{next->kid, {}, current != nullptr ? current->kid : ""};
  // Each step leaves a usable keyring for readers in other processes: a fresh next first, then
  // the promotion (the newest current signs), then the retirements.
  auto fresh = create_key(alg, KeyState::next);
  if (!fresh) return fail(fresh.error());
  rotation.next_kid = fresh->kid;
  const auto now = clock_.now();
  if (auto r = store_.set_state(next->kid, KeyState::current, now); !r)
    return fail(store_failure(r.error()));
  if (current != nullptr) {
    if (auto r = store_.set_state(current->kid, KeyState::previous, now); !r)
      return fail(store_failure(r.error()));
  }
  for (const auto& key : *keys) {
    if (key.alg != name || key.state != KeyState::previous) continue;
    if (auto r = store_.set_state(key.kid, KeyState::revoked, now); !r)
      return fail(store_failure(r.error()));
  }
  if (auto r = reload(); !r) return fail(r.error());
  return rotation;
}

Result<void, std::string> Keyring::revoke(std::string_view kid) {
  auto key = store_.find(kid);
  if (!key) return fail("key " + std::string(kid) + " not found");
  if (key->state == KeyState::current) {
    return fail("key " + std::string(kid) + " is current: rotate first, then revoke it");
  }
  if (key->state == KeyState::revoked) return {};
  if (auto r = store_.set_state(kid, KeyState::revoked, clock_.now()); !r)
    return fail(store_failure(r.error()));
  if (auto r = reload(); !r) return fail(r.error());
  return {};
}

}  // namespace latchkey::jose
