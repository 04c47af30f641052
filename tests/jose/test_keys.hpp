#pragma once
// Keys shared by the jose tests: generated once per test binary, because RSA generation costs
// a noticeable fraction of a second.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "jose/base64url.hpp"
#include "jose/detail/signature.hpp"
#include "jose/key.hpp"
#include "jose/key_set.hpp"

namespace latchkey::jose {
/// Lets GoogleTest print statuses by name in failure messages.
inline void PrintTo(JoseStatus status, std::ostream* out) { *out << to_string(status); }
}  // namespace latchkey::jose

namespace latchkey::jose::testing {

inline const SigningKey& test_key(Algorithm alg) {
  static const SigningKey kRs256 = SigningKey::generate(Algorithm::rs256);
  static const SigningKey kPs256 = SigningKey::generate(Algorithm::ps256);
  static const SigningKey kEs256 = SigningKey::generate(Algorithm::es256);
  static const SigningKey kEdDsa = SigningKey::generate(Algorithm::eddsa);
  switch (alg) {
    case Algorithm::rs256:
      return kRs256;
    case Algorithm::ps256:
      return kPs256;
    case Algorithm::es256:
      return kEs256;
    case Algorithm::eddsa:
      return kEdDsa;
  }
  return kRs256;
}

/// A second key for `alg`, different from test_key(alg). For RSA it is the other RSA test key
/// re-imported for this algorithm, which saves generating a third and fourth RSA key.
inline const SigningKey& other_test_key(Algorithm alg) {
  static const SigningKey kRs256 =
      *SigningKey::from_pkcs8_pem(test_key(Algorithm::ps256).to_pkcs8_pem(), Algorithm::rs256);
  static const SigningKey kPs256 =
      *SigningKey::from_pkcs8_pem(test_key(Algorithm::rs256).to_pkcs8_pem(), Algorithm::ps256);
  static const SigningKey kEs256 = SigningKey::generate(Algorithm::es256);
  static const SigningKey kEdDsa = SigningKey::generate(Algorithm::eddsa);
  switch (alg) {
    case Algorithm::rs256:
      return kRs256;
    case Algorithm::ps256:
      return kPs256;
    case Algorithm::es256:
      return kEs256;
    case Algorithm::eddsa:
      return kEdDsa;
  }
  return kRs256;
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
