#pragma once
// The keys a verifier trusts, by kid: latchkey's own (current, next and previous signing keys)
// or a third party's JWKS.

#include <cstddef>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "jose/key.hpp"
#include "jose/status.hpp"

namespace latchkey::jose {

/// kid -> public key (each bound to its algorithm). Immutable once built and shared between
/// threads; build a new one to rotate.
class KeySet {
 public:
  /// Adds `key` under its kid. False (and the set unchanged) when that kid is already taken:
  /// two keys must never answer to one kid.
  bool add(PublicKey key);

  /// Adds every usable key of a JWK Set document (RFC 7517 §5): `{"keys":[...]}`. Keys latchkey
  /// cannot use (encryption keys, "oct", other curves, malformed members) are skipped, as
  /// RFC 7517 §5 allows. Returns how many were added; bad_json when the document is not a JWK
  /// Set at all.
  [[nodiscard]] Result<std::size_t, JoseStatus> add_jwks(std::string_view jwks_json);

  /// The key registered under `kid`, or null.
  [[nodiscard]] const PublicKey* find(std::string_view kid) const;

  /// The one key registered for `alg`, when exactly one is; used only when a token carries no
  /// kid and the caller allows that.
  [[nodiscard]] const PublicKey* only_key_for(Algorithm alg) const;

  [[nodiscard]] std::size_t size() const { return keys_.size(); }

  /// The public JWK Set, as served from /.well-known/jwks.json.
  [[nodiscard]] nlohmann::json to_jwks() const;

 private:
  std::map<std::string, PublicKey, std::less<>> keys_;
};

}  // namespace latchkey::jose
