#pragma once
// Keys shared by the jose tests: generated once per test binary, because RSA generation costs
// a noticeable fraction of a second.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "jose/base64url.hpp"
#include "jose/detail/signature.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"
#include "support/jose_vectors.hpp"

namespace latchkey::jose {
/// Lets GoogleTest print statuses by name in failure messages.
inline void PrintTo(JoseStatus status, std::ostream* out) { *out << to_string(status); }
}  // namespace latchkey::jose

namespace latchkey::jose::testing {

/// The key for `alg`, made on first use. RSA keys are the RFC 7520 §3.4 and RFC 7515 A.2 keys
/// (importing is instant, generating is not, and ctest runs each test in its own process); EC and
/// Ed25519 keys are generated. RSA generation has its own test.
inline const SigningKey& test_key(Algorithm alg) {
  switch (alg) {
    case Algorithm::rs256: {
      // Without its "kid", so that like every latchkey key it is named by its thumbprint.
      static const SigningKey kKey = [] {
        nlohmann::json jwk = nlohmann::json::parse(test::vectors::kRfc7520RsaJwk);
        jwk.erase("kid");
        return *SigningKey::from_private_jwk(jwk, Algorithm::rs256);
      }();
      return kKey;
    }
    case Algorithm::ps256: {
      static const SigningKey kKey = *SigningKey::from_private_jwk(
          nlohmann::json::parse(test::vectors::kRfc7515A2Jwk), Algorithm::ps256);
      return kKey;
    }
    case Algorithm::es256: {
      static const SigningKey kKey = SigningKey::generate(Algorithm::es256);
      return kKey;
    }
    case Algorithm::eddsa:
      break;
  }
  static const SigningKey kKey = SigningKey::generate(Algorithm::eddsa);
  return kKey;
}

/// A second key for `alg`, different from test_key(alg). For RSA it is the other RSA test key
/// re-imported for this algorithm, which saves generating a third and fourth RSA key.
inline const SigningKey& other_test_key(Algorithm alg) {
  switch (alg) {
    case Algorithm::rs256: {
      static const SigningKey kKey =
          *SigningKey::from_pkcs8_pem(test_key(Algorithm::ps256).to_pkcs8_pem(), Algorithm::rs256);
      return kKey;
    }
    case Algorithm::ps256: {
      static const SigningKey kKey =
          *SigningKey::from_pkcs8_pem(test_key(Algorithm::rs256).to_pkcs8_pem(), Algorithm::ps256);
      return kKey;
    }
    case Algorithm::es256: {
      static const SigningKey kKey = SigningKey::generate(Algorithm::es256);
      return kKey;
    }
    case Algorithm::eddsa:
      break;
  }
  static const SigningKey kKey = SigningKey::generate(Algorithm::eddsa);
  return kKey;
}

inline KeySet key_set_of(const SigningKey& key) {
  KeySet keys;
  keys.add(key.public_key());
  return keys;
}

/// Names parameterised tests after the algorithm ("RS256").
inline std::string algorithm_test_name(const ::testing::TestParamInfo<Algorithm>& param_info) {
  return std::string(to_string(param_info.param));
}

/// A compact JWS over any header text at all (duplicates, crit, a lying alg), validly signed by
/// `key`: lets a test prove that the verifier refuses the header itself, not the signature.
inline std::string sign_raw(std::string_view header_json, std::string_view payload,
                            const SigningKey& key) {
  std::string token = base64url_encode(header_json);
  token.push_back('.');
  base64url_append(token, payload);
  detail::SignatureBytes signature;
  if (!detail::sign_input(key.material(), token, signature)) return {};
  token.push_back('.');
  base64url_append(token, signature.view());
  return token;
}

/// `{"alg":"<alg>","kid":"<kid>"` + extra + `}`.
inline std::string header_for(const SigningKey& key, std::string_view extra = {}) {
  std::string header =
      R"({"alg":")" + std::string(to_string(key.alg())) + R"(","kid":")" + key.kid() + "\"";
  header += extra;
  header += "}";
  return header;
}

}  // namespace latchkey::jose::testing
