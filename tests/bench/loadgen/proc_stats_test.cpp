#include "loadgen/proc_stats.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace latchkey::loadgen {
namespace {

TEST(ProcStats, AddsUtimeAndStimeCountingFieldsAfterTheCommandName) {
  // A command name with spaces and parentheses must not shift the fields (proc(5)).
  const std::string stat =
      "4801 (node (a) b) S 1 4801 4801 0 -1 4194560 12345 0 0 0 250 37 0 0 20 0 11 0 "
      "2400000 1234567 19000 18446744073709551615\n";
  const auto ticks = parse_stat_cpu_ticks(stat);
  ASSERT_TRUE(ticks.ok()) << ticks.error();
  EXPECT_EQ(*ticks, 287U);
}

TEST(ProcStats, RefusesATruncatedOrNonNumericStatLine) {
  EXPECT_FALSE(parse_stat_cpu_ticks("").ok());
  EXPECT_FALSE(parse_stat_cpu_ticks("12 (x) S 1 2 3").ok());
  EXPECT_FALSE(parse_stat_cpu_ticks("12 (x) S 1 2 3 4 5 6 7 8 9 10 x 12 13").ok());
}

TEST(ProcStats, ReadsVmRssInKibibytes) {
  const std::string status =
      "Name:\tlatchkey\nVmPeak:\t  100000 kB\nVmRSS:\t   23456 kB\nRssAnon:\t 1000 kB\n";
  const auto rss = parse_status_rss_kib(status);
  ASSERT_TRUE(rss.ok()) << rss.error();
  EXPECT_EQ(*rss, 23456U);
  EXPECT_EQ(*parse_status_rss_kib("VmRSS: 7 kB"), 7U);
}

TEST(ProcStats, AStatusWithoutVmRssFails) {
  EXPECT_FALSE(parse_status_rss_kib("Name:\tzombie\nState:\tZ\n").ok());
  EXPECT_FALSE(parse_status_rss_kib("VmRSS:\n").ok());
  EXPECT_FALSE(parse_status_rss_kib("VmRSS:\t12 pages\n").ok());
}

TEST(ProcStats, ProbesALiveProcessAndFailsForAMissingOne) {
  const ProcessProbe self(static_cast<int>(::getpid()));
  volatile double sink = 0;
  auto cpu = self.cpu_seconds();
  for (int round = 0; round < 100 && cpu.ok() && *cpu == 0.0; ++round) {
    for (int i = 0; i < 2'000'000; ++i) sink = sink + 1.0;  // CPU time to read back (10 ms ticks)
    cpu = self.cpu_seconds();
  }
  ASSERT_TRUE(cpu.ok()) << cpu.error();
  EXPECT_GT(*cpu, 0.0);
  const auto rss = self.rss_kib();
  ASSERT_TRUE(rss.ok()) << rss.error();
  EXPECT_GT(*rss, 0U);
  EXPECT_FALSE(ProcessProbe(-1).rss_kib().ok());
  const PeakRssSampler sampler(self, std::chrono::milliseconds(10));
  for (int i = 0; i < 100 && sampler.peak_kib() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_GT(sampler.peak_kib(), 0U);
}

}  // namespace
}  // namespace latchkey::loadgen
