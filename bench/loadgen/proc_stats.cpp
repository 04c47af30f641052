#include "proc_stats.hpp"

#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace latchkey::loadgen {
namespace {

// Fields 14 (utime) and 15 (stime) of proc(5), counted after "pid (comm)" as 3, 4, ...
constexpr int kUtimeField = 14;
constexpr int kFirstFieldAfterComm = 3;

std::optional<std::uint64_t> to_u64(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string_view next_field(std::string_view& text) {
  const auto start = text.find_first_not_of(' ');
  if (start == std::string_view::npos) {
    text = {};
    return {};
  }
  text.remove_prefix(start);
  const auto end = text.find_first_of(" \n");
  const auto field = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view{} : text.substr(end);
  return field;
}

}  // namespace

Result<std::uint64_t, std::string> parse_stat_cpu_ticks(std::string_view stat) {
  const auto close = stat.rfind(')');
  if (close == std::string_view::npos) return fail(std::string("no command name in stat"));
  std::string_view rest = stat.substr(close + 1);
  for (int field = kFirstFieldAfterComm; field < kUtimeField; ++field) {
    if (next_field(rest).empty()) return fail(std::string("stat line too short"));
  }
  const auto utime = to_u64(next_field(rest));
  const auto stime = to_u64(next_field(rest));
  if (!utime || !stime) return fail(std::string("stat utime/stime not numeric"));
  return *utime + *stime;
}

Result<std::uint64_t, std::string> parse_status_rss_kib(std::string_view status) {
  constexpr std::string_view kKey = "VmRSS:";
  std::size_t at = status.starts_with(kKey) ? 0 : status.find(std::string("\n") + "VmRSS:");
  if (at == std::string_view::npos) return fail(std::string("no VmRSS line"));
  if (at != 0) ++at;
  std::string_view line = status.substr(at + kKey.size());
  line = line.substr(0, line.find('\n'));
  const auto start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) return fail(std::string("empty VmRSS line"));
  line.remove_prefix(start);
  const auto space = line.find_first_of(" \t");
  const auto unit = space == std::string_view::npos ? "" : line.substr(space + 1);
  const auto value = to_u64(line.substr(0, space));
  if (!value || unit.find("kB") == std::string_view::npos) {
    return fail(std::string("malformed VmRSS line"));
  }
  return *value;
}

ProcessProbe::ProcessProbe(int pid)
    : pid_(pid), ticks_per_second_(static_cast<double>(::sysconf(_SC_CLK_TCK))) {}

Result<double, std::string> ProcessProbe::cpu_seconds() const {
  const auto text = read_file("/proc/" + std::to_string(pid_) + "/stat");
  if (!text) return fail("cannot read /proc/" + std::to_string(pid_) + "/stat");
  const auto ticks = parse_stat_cpu_ticks(*text);
  if (!ticks) return fail(ticks.error());
  return static_cast<double>(*ticks) / ticks_per_second_;
}

Result<std::uint64_t, std::string> ProcessProbe::rss_kib() const {
  const auto text = read_file("/proc/" + std::to_string(pid_) + "/status");
  if (!text) return fail("cannot read /proc/" + std::to_string(pid_) + "/status");
  return parse_status_rss_kib(*text);
}

PeakRssSampler::PeakRssSampler(const ProcessProbe& probe, std::chrono::milliseconds interval)
    : probe_(probe), interval_(interval), thread_([this] { run(); }) {}

PeakRssSampler::~PeakRssSampler() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

std::uint64_t PeakRssSampler::peak_kib() const {
  const std::lock_guard lock(mutex_);
  return peak_kib_;
}

void PeakRssSampler::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const auto rss = probe_.rss_kib();
    lock.lock();
    if (rss && *rss > peak_kib_) peak_kib_ = *rss;
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace latchkey::loadgen
