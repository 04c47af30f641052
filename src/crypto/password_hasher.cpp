#include "crypto/password_hasher.hpp"

#include <algorithm>

namespace latchkey::crypto {

/// Holds one of the hasher's slots for its lifetime, waiting for one to be free first.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher& hasher) : hasher_(hasher) {
    std::unique_lock lock(hasher_.mutex_);
    hasher_.freed_.wait(lock, [this] { return hasher_.running_ < hasher_.max_concurrent_; });
    ++hasher_.running_;
    hasher_.peak_ = std::max(hasher_.peak_, hasher_.running_);
  }
  ~Slot() {
    {
      const std::lock_guard lock(hasher_.mutex_);
      --hasher_.running_;
    }
    hasher_.freed_.notify_one();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;

 private:
  PasswordHasher& hasher_;
};

unsigned hashes_within(std::size_t budget_bytes, PasswordHashParams params) {
  const std::size_t per_hash = std::max<std::size_t>(params.mem_limit, 1);
  const std::size_t fit = std::clamp<std::size_t>(budget_bytes / per_hash, 1, 1024);
  return static_cast<unsigned>(fit);
}

PasswordHasher::PasswordHasher(unsigned max_concurrent, PasswordHashParams params)
    : max_concurrent_(std::max(max_concurrent, 1U)), params_(params) {}

std::optional<std::string> PasswordHasher::hash(std::string_view password) {
  const Slot slot(*this);
  return hash_password(password, params_);
}

bool PasswordHasher::verify(std::string_view encoded, std::string_view password) {
  const Slot slot(*this);
  return verify_password(encoded, password);
}

unsigned PasswordHasher::peak_concurrent() const {
  const std::lock_guard lock(mutex_);
  return peak_;
}

}  // namespace latchkey::crypto
