#include "core/buffered_sink.hpp"

#include <gtest/gtest.h>
#include <spdlog/pattern_formatter.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "core/log.hpp"

namespace latchkey {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// A logger whose lines go through a BufferedFileSink into a file the test reads back.
class BufferedSinkTest : public ::testing::Test {
 protected:
  BufferedSinkTest()
      : path_(std::filesystem::temp_directory_path() /
              ("latchkey-buffered-sink-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())),
        file_(std::fopen(path_.c_str(), "w")) {}
  ~BufferedSinkTest() override {
    logger_.reset();
    if (file_ != nullptr) std::fclose(file_);
    std::filesystem::remove(path_);
  }

  void start(BufferedFileSink::Options options) {
    ASSERT_NE(file_, nullptr);
    logger_ = std::make_shared<Logger>("t", std::make_shared<BufferedFileSink>(file_, options));
    logger_->set_formatter(std::make_unique<spdlog::pattern_formatter>("%v"));
    logger_->set_level(LogLevel::trace);
  }

  [[nodiscard]] std::string written() const {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  // Polls the file until it holds `expected` or `limit` passes.
  [[nodiscard]] bool shows(const std::string& expected, std::chrono::milliseconds limit) const {
    const auto give_up = SteadyClock::now() + limit;
    while (written() != expected) {
      if (SteadyClock::now() > give_up) return false;
      std::this_thread::sleep_for(5ms);
    }
    return true;
  }

  std::filesystem::path path_;
  std::FILE* file_;
  std::shared_ptr<Logger> logger_;
};

TEST_F(BufferedSinkTest, AnInfoLineWaitsThenAppearsWithinTheDelayWithoutFurtherLogging) {
  start({.capacity = 1 << 20, .delay = 400ms, .write_at = LogLevel::warn});
  const auto logged = SteadyClock::now();
  logger_->info("one");
  logger_->info("two");
  EXPECT_EQ(written(), "") << "written before the delay";
  ASSERT_TRUE(shows("one\ntwo\n", 5s)) << written();
  EXPECT_GE(SteadyClock::now() - logged, 400ms);
  // The writer goes back to waiting, and the delay holds again for the next line.
  logger_->info("three");
  EXPECT_TRUE(shows("one\ntwo\nthree\n", 5s)) << written();
}

TEST_F(BufferedSinkTest, AWarningIsWrittenAtOnceAfterTheLinesBeforeIt) {
  start({.capacity = 1 << 20, .delay = 1h, .write_at = LogLevel::warn});
  logger_->info("first");
  EXPECT_EQ(written(), "");
  logger_->warn("second");
  EXPECT_EQ(written(), "first\nsecond\n");
  logger_->error("third");
  EXPECT_EQ(written(), "first\nsecond\nthird\n");
}

TEST_F(BufferedSinkTest, DestructionWritesEveryPendingLine) {
  start({.capacity = 1 << 20, .delay = 1h, .write_at = LogLevel::warn});
  for (int i = 0; i < 100; ++i) logger_->info("line {}", i);
  EXPECT_EQ(written(), "");
  logger_.reset();
  std::string expected;
  for (int i = 0; i < 100; ++i) expected += "line " + std::to_string(i) + "\n";
  EXPECT_EQ(written(), expected);
}

TEST_F(BufferedSinkTest, AFullBufferIsWrittenAtOnceAndFlushWritesTheRest) {
  start({.capacity = 10, .delay = 1h, .write_at = LogLevel::warn});
  logger_->info("12345");
  EXPECT_EQ(written(), "");
  logger_->info("67890");  // 12 bytes pending: more than the capacity
  EXPECT_EQ(written(), "12345\n67890\n");
  logger_->info("x");
  EXPECT_EQ(written(), "12345\n67890\n");
  logger_->flush();
  EXPECT_EQ(written(), "12345\n67890\nx\n");
}

TEST_F(BufferedSinkTest, LinesFromManyThreadsAreAllWrittenWhole) {
  start({.capacity = 256, .delay = 20ms, .write_at = LogLevel::warn});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < 500; ++i) logger_->info("thread {} line {:03}", t, i);
    });
  }
  for (auto& thread : threads) thread.join();
  logger_.reset();
  const std::string text = written();
  std::size_t lines = 0;
  for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 2000U);
  EXPECT_EQ(text.size(), 2000U * std::string("thread 0 line 000\n").size());
}

TEST(StderrLogger, MakesJsonLinesThroughABufferedSink) {
  const auto logger = make_stderr_logger("t", LogLevel::info);
  ASSERT_EQ(logger->sinks().size(), 1U);
  EXPECT_NE(dynamic_cast<BufferedFileSink*>(logger->sinks().front().get()), nullptr);
  EXPECT_EQ(logger->level(), LogLevel::info);
}

}  // namespace
}  // namespace latchkey
