#pragma once
// Where the key-encryption key comes from, and which signing algorithms are in use.

#include <string>
#include <vector>

#include "config/config.hpp"
#include "core/log.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "jose/keyring.hpp"
#include "store/store.hpp"

namespace latchkey::app {

/// LATCHKEY_KEK (base64 of 32 bytes) when set. Otherwise `<data_dir>/kek.key`, created with mode
/// 0600 on first use; that fallback logs a warning each time, since the key then sits beside
/// what it protects.
[[nodiscard]] Result<jose::KeyEncryptionKey, std::string> load_kek(const config::Config& config,
                                                                   crypto::RandomSource& random,
                                                                   Logger& log);

/// RS256 (the default for APIs and ID tokens) plus every API's signing_alg and every client's
/// id_token_signed_response_alg: each needs a current key before a token is signed with it.
[[nodiscard]] std::vector<jose::Algorithm> algorithms_in_use(store::Store& store);

}  // namespace latchkey::app
