#pragma once
// RFC 7636 Appendix B: a code_verifier and its S256 code_challenge (the challenge checked with
// `openssl dgst -sha256 -binary | base64url`).

namespace latchkey::test::vectors {

inline constexpr const char* kRfc7636Verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
inline constexpr const char* kRfc7636Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

}  // namespace latchkey::test::vectors
