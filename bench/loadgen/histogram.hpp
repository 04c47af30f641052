#pragma once
// A latency histogram with fixed memory and a bounded relative error (log-linear buckets, as
// HdrHistogram lays them out): exact below 128 µs, within 1/64 (1.6 %) above. Histograms of
// different connections merge by adding counts.

#include <chrono>
#include <cstdint>
#include <vector>

namespace latchkey::loadgen {

class Histogram {
 public:
  Histogram();

  /// Records one latency (negative values count as 0; values beyond ~12 days are clamped).
  void record(std::chrono::nanoseconds latency);
  void merge(const Histogram& other);

  [[nodiscard]] std::uint64_t count() const { return count_; }
  /// The smallest recorded value v such that at least `percent` % of the samples are <= v,
  /// within the bucket error; 0 when empty. `percent` is clamped to [0, 100].
  [[nodiscard]] std::chrono::microseconds percentile(double percent) const;
  [[nodiscard]] std::chrono::microseconds max() const {
    return std::chrono::microseconds(static_cast<std::int64_t>(max_));
  }
  [[nodiscard]] std::chrono::microseconds min() const;
  [[nodiscard]] double mean_us() const;

  /// The bucket index of a value in µs, and the highest value that bucket holds (for tests).
  [[nodiscard]] static std::size_t bucket_of(std::uint64_t micros);
  [[nodiscard]] static std::uint64_t highest_in(std::size_t bucket);

 private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  long double sum_ = 0;
};

}  // namespace latchkey::loadgen
