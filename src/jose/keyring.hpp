#pragma once
// latchkey's signing keys and their lifecycle, as Auth0 runs it: each algorithm has a `next` key
// (published in the JWKS before it signs anything), a `current` key (signs) and a `previous`
// key (still published and trusted after a rotation). Older and revoked keys are neither served
// nor trusted. Private keys are stored sealed with AES-256-GCM under the key-encryption key.
//
// A Keyring reads the store, so a rotation made by `latchkey keys rotate` in another process
// reaches a running server at its next reload() (the server reloads every few seconds).

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "jose/algorithm.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"
#include "model/model.hpp"
#include "store/store.hpp"

namespace latchkey::jose {

/// The 32-byte key that seals signing keys at rest.
class KeyEncryptionKey {
 public:
  explicit KeyEncryptionKey(const std::array<std::uint8_t, 32>& bytes) : bytes_(bytes) {}
  /// From exactly 32 bytes; anything else fails with a message.
  [[nodiscard]] static Result<KeyEncryptionKey, std::string> from_bytes(
      std::span<const std::uint8_t> bytes);
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return bytes_; }

 private:
  std::array<std::uint8_t, 32> bytes_;
};

/// The keys in force at one moment. Immutable: readers keep it as long as they need it.
struct KeyringSnapshot {
  std::map<Algorithm, SigningKey> current;  ///< the key that signs, per algorithm
  KeySet trusted;                           ///< next, current and previous keys
  nlohmann::json jwks;                      ///< trusted.to_jwks(), built once
  std::string fingerprint;                  ///< kid:state of every stored key, to spot changes

  /// The key that signs `alg` now, or null when there is none.
  [[nodiscard]] const SigningKey* signer(Algorithm alg) const;
};

/// What a rotation did.
struct Rotation {
  std::string current_kid;   ///< the former next key, now signing
  std::string next_kid;      ///< a fresh key, published but not yet signing
  std::string previous_kid;  ///< the former current key (empty if there was none)
};

class Keyring {
 public:
  Keyring(store::SigningKeyStore& store, KeyEncryptionKey kek, crypto::RandomSource& random,
          const Clock& clock);

  /// Makes sure each algorithm has a current and a next key, creating the missing ones.
  [[nodiscard]] Result<void, std::string> ensure(std::span<const Algorithm> algorithms);

  /// Re-reads the store and publishes a new snapshot when anything changed. Keys already known
  /// are not unsealed again. Fails (keeping the old snapshot) when the store is unavailable or a
  /// key cannot be unsealed with this KEK.
  [[nodiscard]] Result<bool, std::string> reload();

  /// The keys in force; never null (empty before the first reload).
  [[nodiscard]] std::shared_ptr<const KeyringSnapshot> snapshot() const;

  /// next -> current, current -> previous, previous -> revoked, and a fresh next.
  [[nodiscard]] Result<Rotation, std::string> rotate(Algorithm alg);

  /// Removes a next or previous key from service: no longer published, no longer trusted. The
  /// current key cannot be revoked: rotate first.
  [[nodiscard]] Result<void, std::string> revoke(std::string_view kid);

 private:
  Result<model::SigningKey, std::string> create_key(Algorithm alg, model::KeyState state);
  Result<SigningKey, std::string> unseal(const model::SigningKey& stored);

  store::SigningKeyStore& store_;
  KeyEncryptionKey kek_;
  crypto::RandomSource& random_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::shared_ptr<const KeyringSnapshot> snapshot_;
  std::map<std::string, SigningKey, std::less<>> unsealed_;  // by kid; guarded by mutex_
};

}  // namespace latchkey::jose
