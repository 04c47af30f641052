#pragma once
// argon2id with a bound on how many hashes run at once (issue 6). Each hash or verification
// holds its memory cost (32 MiB by default) until it ends, so N at once add N x 32 MiB to the
// RSS; and being CPU-bound, more at once than there are cores gains no throughput. The bound is
// derived from a memory budget (config `password_hash_memory_mb`; docs/decisions.md, 22).

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/password.hpp"

namespace latchkey::crypto {

/// How many hashes with `params` fit in `budget_bytes`: at least 1, so hashing never stops.
[[nodiscard]] unsigned hashes_within(std::size_t budget_bytes,
                                     PasswordHashParams params = kDefaultPasswordParams);

/// hash_password and verify_password, at most max_concurrent() at once. A caller beyond the
/// bound blocks its thread until a hash ends: call it from a worker thread, never an I/O thread.
/// Thread-safe.
class PasswordHasher {
 public:
  /// At most `max_concurrent` (0 is taken as 1) hashes or verifications at once; new hashes
  /// use `params`.
  explicit PasswordHasher(unsigned max_concurrent,
                          PasswordHashParams params = kDefaultPasswordParams);
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  /// hash_password with this hasher's parameters, once a slot is free.
  [[nodiscard]] std::optional<std::string> hash(std::string_view password);
  /// verify_password, once a slot is free.
  [[nodiscard]] bool verify(std::string_view encoded, std::string_view password);

  [[nodiscard]] unsigned max_concurrent() const { return max_concurrent_; }
  /// The most hashes and verifications that ran at once so far.
  [[nodiscard]] unsigned peak_concurrent() const;

 private:
  class Slot;

  const unsigned max_concurrent_;
  const PasswordHashParams params_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  unsigned running_ = 0;
  unsigned peak_ = 0;
};

}  // namespace latchkey::crypto
