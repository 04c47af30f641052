// JWS sign and verify through latchkey's jose layer, beside the bare OpenSSL EVP call on the same
// key and the same signing input, in two forms: the plain call (EVP_Digest*Init_ex, then sign or
// verify) and the prepared call (copy of a context initialised once, as our layer does). The
// difference to the prepared call is what our layer itself costs: header, base64url, JSON, key
// lookup and the R||S conversion. It must stay under 5% of the signature.

#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>

#include "jose/base64url.hpp"
#include "jose/detail/ecdsa_der.hpp"
#include "jose/detail/key_material.hpp"
#include "jose/jws.hpp"

namespace {

using latchkey::jose::Algorithm;
using latchkey::jose::SigningKey;

// A typical access token (RFC 9068 claims, a few scopes).
constexpr std::string_view kClaims =
    R"({"iss":"https://tenant.example.com/","sub":"auth0|5f7c8ec7c33c6c004bbafe82",)"
    R"("aud":["https://api.example.com/","https://tenant.example.com/userinfo"],)"
    R"("iat":1700000000,"exp":1700086400,"azp":"kbyuFDidLLm280LiwVR4eDy1f5dF4sQ4",)"
    R"("scope":"openid profile email read:things write:things","client_id":"kbyuFDidLLm280LiwVR4",)"
    R"("jti":"8f2b1c9e4d5a6b7c8d9e0f1a2b3c4d5e"})";

struct Fixture {
  SigningKey key;
  latchkey::jose::KeySet keys;
  std::string token;
  std::string signing_input;
  std::string evp_signature;  // what EVP_DigestVerify takes (DER for ES256)
};

std::string evp_form(const Fixture& f, Algorithm alg) {
  std::string raw = *latchkey::jose::base64url_decode(f.token.substr(f.token.rfind('.') + 1));
  if (alg != Algorithm::es256) return raw;
  std::array<std::uint8_t, latchkey::jose::detail::kMaxP256DerSize> der{};
  const std::size_t size = latchkey::jose::detail::ecdsa_raw_to_der(
      std::span(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()), der);
  return std::string(reinterpret_cast<const char*>(der.data()), size);
}

const Fixture& fixture(Algorithm alg) {
  static std::array<std::unique_ptr<Fixture>, 4> cache;
  auto& slot = cache[static_cast<std::size_t>(alg)];
  if (!slot) {
    SigningKey key = SigningKey::generate(alg);
    latchkey::jose::KeySet keys;
    keys.add(key.public_key());
    std::string token = latchkey::jose::sign(nullptr, kClaims, key);
    std::string input = token.substr(0, token.rfind('.'));
    slot = std::make_unique<Fixture>(
        Fixture{std::move(key), std::move(keys), std::move(token), std::move(input), {}});
    slot->evp_signature = evp_form(*slot, alg);
  }
  return *slot;
}

/// The same EVP parameters the layer uses (RFC 7518 §3.5 for PS256), so the baseline is fair.
int init_raw(EVP_MD_CTX* ctx, Algorithm alg, EVP_PKEY* pkey, bool sign) {
  std::array<OSSL_PARAM, 4> pss = {
      OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PAD_MODE, const_cast<char*>("pss"), 0),
      OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_PSS_SALTLEN,
                                       const_cast<char*>("digest"), 0),
      OSSL_PARAM_construct_utf8_string(OSSL_SIGNATURE_PARAM_MGF1_DIGEST,
                                       const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_end()};
  const OSSL_PARAM* params = alg == Algorithm::ps256 ? pss.data() : nullptr;
  const char* md = alg == Algorithm::eddsa ? nullptr : "SHA256";
  return sign ? EVP_DigestSignInit_ex(ctx, nullptr, md, nullptr, nullptr, pkey, params)
              : EVP_DigestVerifyInit_ex(ctx, nullptr, md, nullptr, nullptr, pkey, params);
}

void BM_Sign_Latchkey(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  for (auto _ : state) {
    std::string token = latchkey::jose::sign(nullptr, kClaims, f.key);
    benchmark::DoNotOptimize(token);
  }
}

void BM_Sign_RawEvp(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  EVP_PKEY* pkey = f.key.material().pkey.get();
  std::array<unsigned char, 1024> signature{};
  const auto* input = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t length = signature.size();
    if (init_raw(ctx, alg, pkey, true) != 1 ||
        EVP_DigestSign(ctx, signature.data(), &length, input, f.signing_input.size()) != 1) {
      state.SkipWithError("EVP_DigestSign failed");
    }
    EVP_MD_CTX_free(ctx);
    benchmark::DoNotOptimize(signature);
  }
}

/// The stricter baseline: raw EVP with the same prepared-context copy our layer uses, so the
/// difference is only header, base64url, JSON and key lookup.
void BM_Sign_RawEvpPrepared(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  EVP_MD_CTX* prepared = EVP_MD_CTX_new();
  init_raw(prepared, alg, f.key.material().pkey.get(), true);
  std::array<unsigned char, 1024> signature{};
  const auto* input = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    std::size_t length = signature.size();
    if (EVP_MD_CTX_copy_ex(ctx, prepared) != 1 ||
        EVP_DigestSign(ctx, signature.data(), &length, input, f.signing_input.size()) != 1) {
      state.SkipWithError("EVP_DigestSign failed");
    }
    EVP_MD_CTX_free(ctx);
    benchmark::DoNotOptimize(signature);
  }
  EVP_MD_CTX_free(prepared);
}

void BM_Verify_RawEvpPrepared(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  EVP_MD_CTX* prepared = EVP_MD_CTX_new();
  init_raw(prepared, alg, f.key.material().pkey.get(), false);
  const auto* input = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  const auto* signature = reinterpret_cast<const unsigned char*>(f.evp_signature.data());
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (EVP_MD_CTX_copy_ex(ctx, prepared) != 1 ||
        EVP_DigestVerify(ctx, signature, f.evp_signature.size(), input, f.signing_input.size()) !=
            1) {
      state.SkipWithError("EVP_DigestVerify failed");
    }
    EVP_MD_CTX_free(ctx);
  }
  EVP_MD_CTX_free(prepared);
}

void BM_Verify_Latchkey(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  for (auto _ : state) {
    auto verified = latchkey::jose::verify(f.token, f.keys);
    if (!verified) state.SkipWithError("verify failed");
    benchmark::DoNotOptimize(verified);
  }
}

void BM_Verify_RawEvp(benchmark::State& state, Algorithm alg) {
  const Fixture& f = fixture(alg);
  EVP_PKEY* pkey = f.key.material().pkey.get();
  const auto* input = reinterpret_cast<const unsigned char*>(f.signing_input.data());
  const auto* signature = reinterpret_cast<const unsigned char*>(f.evp_signature.data());
  for (auto _ : state) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (init_raw(ctx, alg, pkey, false) != 1 ||
        EVP_DigestVerify(ctx, signature, f.evp_signature.size(), input, f.signing_input.size()) !=
            1) {
      state.SkipWithError("EVP_DigestVerify failed");
    }
    EVP_MD_CTX_free(ctx);
  }
}

// Registered per algorithm: the plain EVP call, the prepared-context EVP call, then ours.
#define LATCHKEY_JOSE_BENCH(alg_enum, name)                               \
  BENCHMARK_CAPTURE(BM_Sign_RawEvp, name, Algorithm::alg_enum);           \
  BENCHMARK_CAPTURE(BM_Sign_RawEvpPrepared, name, Algorithm::alg_enum);   \
  BENCHMARK_CAPTURE(BM_Sign_Latchkey, name, Algorithm::alg_enum);         \
  BENCHMARK_CAPTURE(BM_Verify_RawEvp, name, Algorithm::alg_enum);         \
  BENCHMARK_CAPTURE(BM_Verify_RawEvpPrepared, name, Algorithm::alg_enum); \
  BENCHMARK_CAPTURE(BM_Verify_Latchkey, name, Algorithm::alg_enum)

LATCHKEY_JOSE_BENCH(rs256, RS256);
LATCHKEY_JOSE_BENCH(ps256, PS256);
LATCHKEY_JOSE_BENCH(es256, ES256);
LATCHKEY_JOSE_BENCH(eddsa, EdDSA);

}  // namespace

BENCHMARK_MAIN();
