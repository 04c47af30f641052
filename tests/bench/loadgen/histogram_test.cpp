#include "loadgen/histogram.hpp"

#include <gtest/gtest.h>

namespace latchkey::loadgen {
namespace {

using std::chrono::microseconds;

TEST(Histogram, PercentilesOfUniformSamplesAreWithinTheBucketError) {
  Histogram h;
  for (int us = 1; us <= 100000; ++us) h.record(microseconds(us));
  EXPECT_EQ(h.count(), 100000U);
  for (const auto& [percent, exact] :
       {std::pair{50.0, 50000.0}, std::pair{90.0, 90000.0}, std::pair{99.0, 99000.0}}) {
    const auto value = static_cast<double>(h.percentile(percent).count());
    EXPECT_GE(value, exact) << percent;
    EXPECT_LE(value, exact * (1 + 1.0 / 64)) << percent;
  }
  EXPECT_EQ(h.max(), microseconds(100000));
  EXPECT_EQ(h.min(), microseconds(1));
  EXPECT_EQ(h.percentile(100), microseconds(100000));
  EXPECT_NEAR(h.mean_us(), 50000.5, 0.01);
}

TEST(Histogram, IsExactBelow128Microseconds) {
  Histogram h;
  for (int us = 0; us < 100; ++us) h.record(microseconds(us));
  EXPECT_EQ(h.percentile(50), microseconds(49));
  EXPECT_EQ(h.percentile(0), microseconds(0));
  EXPECT_EQ(h.percentile(99), microseconds(98));
}

TEST(Histogram, MergingAddsTheSamplesOfAnother) {
  Histogram fast;
  Histogram slow;
  for (int i = 0; i < 90; ++i) fast.record(microseconds(100));
  for (int i = 0; i < 10; ++i) slow.record(std::chrono::milliseconds(500));
  fast.merge(slow);
  EXPECT_EQ(fast.count(), 100U);
  EXPECT_EQ(fast.percentile(90), microseconds(100));
  EXPECT_EQ(fast.percentile(91), microseconds(500000));
  EXPECT_EQ(fast.max(), microseconds(500000));
}

TEST(Histogram, AnEmptyHistogramReportsZeroAndNegativeLatencyCountsAsZero) {
  Histogram h;
  EXPECT_EQ(h.percentile(99), microseconds(0));
  EXPECT_EQ(h.min(), microseconds(0));
  EXPECT_EQ(h.mean_us(), 0.0);
  h.record(std::chrono::nanoseconds(-5));
  EXPECT_EQ(h.max(), microseconds(0));
  h.record(std::chrono::hours(24 * 365));  // clamped, not out of range
  EXPECT_EQ(h.count(), 2U);
}

TEST(Histogram, BucketsCoverEveryValueWithoutGapsOrOverlap) {
  std::uint64_t previous_high = 0;
  for (std::size_t bucket = 1; bucket < 2000; ++bucket) {
    const auto high = Histogram::highest_in(bucket);
    EXPECT_EQ(Histogram::bucket_of(high), bucket);
    EXPECT_EQ(Histogram::bucket_of(previous_high + 1), bucket);
    EXPECT_LE(static_cast<double>(high - previous_high), 1.0 + static_cast<double>(high) / 64);
    previous_high = high;
  }
}

}  // namespace
}  // namespace latchkey::loadgen
