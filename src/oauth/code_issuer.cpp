#include "oauth/code_issuer.hpp"

#include "crypto/digest.hpp"
#include "jose/base64url.hpp"

namespace latchkey::oauth {

CodeIssuer::CodeIssuer(store::AuthorizationCodeStore& codes, const Clock& clock,
                       crypto::RandomSource& random, std::chrono::seconds lifetime)
    : codes_(codes), clock_(clock), random_(random), lifetime_(lifetime) {}

store::StoreResult<std::string> CodeIssuer::issue(model::AuthorizationCode binding) const {
  const auto bytes = crypto::random_bytes(random_, kCodeBytes);
  std::string code = jose::base64url_encode(bytes);
  binding.code_digest = crypto::sha256_hex(code);  // only the digest is kept at rest
  binding.created_at = clock_.now();
  binding.expires_at = binding.created_at + lifetime_;
  binding.redeemed_at.reset();
  binding.issued_access_jti.clear();
  binding.issued_refresh_digest.clear();
  auto stored = codes_.create(binding);
  if (!stored) return fail(stored.error());
  return code;
}

}  // namespace latchkey::oauth
