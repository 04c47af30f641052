#pragma once
// Internal to jose/: JWS carries an ECDSA signature as the fixed-size concatenation R||S
// (RFC 7518 §3.4), OpenSSL as a DER ECDSA-Sig-Value (RFC 3279 §2.2.3). These convert.

#include <cstddef>
#include <cstdint>
#include <span>

namespace latchkey::jose::detail {

/// DER of two INTEGERs of up to 32 bytes: 2 + 2 * (2 + 33).
inline constexpr std::size_t kMaxP256DerSize = 72;

/// Writes R||S (each left-padded to raw.size() / 2 bytes) from a DER signature. False if `der`
/// is not exactly one well-formed SEQUENCE of two non-negative INTEGERs that fit.
[[nodiscard]] bool ecdsa_der_to_raw(std::span<const std::uint8_t> der, std::span<std::uint8_t> raw);

/// Writes the DER form of R||S (`raw` of even size, at most 64 bytes) into `der`, which holds at
/// least kMaxP256DerSize bytes; returns the DER size.
[[nodiscard]] std::size_t ecdsa_raw_to_der(std::span<const std::uint8_t> raw,
                                           std::span<std::uint8_t> der);

}  // namespace latchkey::jose::detail
