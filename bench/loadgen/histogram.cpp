#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace latchkey::loadgen {
namespace {

constexpr std::uint64_t kExact = 128;      // values below this have a bucket each
constexpr std::uint64_t kSubBuckets = 64;  // buckets per power of two above kExact
constexpr std::uint64_t kLargest = (std::uint64_t{1} << 40) - 1;  // µs, about 12.7 days
constexpr unsigned kLargestShift = 40 - 7;

}  // namespace

Histogram::Histogram() : buckets_(kExact + kLargestShift * kSubBuckets, 0) {}

std::size_t Histogram::bucket_of(std::uint64_t micros) {
  micros = std::min(micros, kLargest);
  if (micros < kExact) return static_cast<std::size_t>(micros);
  const auto shift = static_cast<unsigned>(std::bit_width(micros)) - 7;  // >= 1
  const std::uint64_t sub = micros >> shift;                             // 64..127
  return static_cast<std::size_t>(kExact + (shift - 1) * kSubBuckets + (sub - kSubBuckets));
}

std::uint64_t Histogram::highest_in(std::size_t bucket) {
  if (bucket < kExact) return bucket;
  const std::uint64_t k = bucket - kExact;
  const std::uint64_t shift = k / kSubBuckets + 1;
  const std::uint64_t sub = k % kSubBuckets + kSubBuckets;
  return ((sub + 1) << shift) - 1;
}

void Histogram::record(std::chrono::nanoseconds latency) {
  const auto nanos = std::max<std::int64_t>(latency.count(), 0);
  const auto micros = std::min(static_cast<std::uint64_t>(nanos) / 1000, kLargest);
  ++buckets_[bucket_of(micros)];
  ++count_;
  max_ = std::max(max_, micros);
  min_ = std::min(min_, micros);
  sum_ += static_cast<long double>(micros);
}

void Histogram::merge(const Histogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
  min_ = std::min(min_, other.min_);
  sum_ += other.sum_;
}

std::chrono::microseconds Histogram::percentile(double percent) const {
  if (count_ == 0) return std::chrono::microseconds(0);
  percent = std::clamp(percent, 0.0, 100.0);
  const auto wanted =
      static_cast<std::uint64_t>(std::ceil(percent / 100.0 * static_cast<double>(count_)));
  const std::uint64_t rank = std::max<std::uint64_t>(wanted, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const auto value = std::clamp(highest_in(i), min_, max_);
      return std::chrono::microseconds(static_cast<std::int64_t>(value));
    }
  }
  return max();
}

std::chrono::microseconds Histogram::min() const {
  return std::chrono::microseconds(count_ == 0 ? 0 : static_cast<std::int64_t>(min_));
}

double Histogram::mean_us() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

}  // namespace latchkey::loadgen
