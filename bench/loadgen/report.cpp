#include "report.hpp"

#include <cstdio>

namespace latchkey::loadgen {
namespace {

double ms(std::chrono::microseconds value) { return static_cast<double>(value.count()) / 1000.0; }

double seconds(std::chrono::nanoseconds value) {
  return std::chrono::duration<double>(value).count();
}

nlohmann::json latency_json(const Histogram& histogram) {
  return {{"count", histogram.count()},          {"p50", ms(histogram.percentile(50))},
          {"p90", ms(histogram.percentile(90))}, {"p99", ms(histogram.percentile(99))},
          {"max", ms(histogram.max())},          {"mean", histogram.mean_us() / 1000.0}};
}

nlohmann::json server_json(const ServerUsage& server, std::uint64_t ok) {
  nlohmann::json json = {
      {"cpu_s", server.cpu_seconds},
      {"cpu_ms_per_op", nullptr},
      {"ops_per_cpu_s", nullptr},
      {"rss_kib",
       {{"before", server.rss_before_kib},
        {"peak", server.rss_peak_kib},
        {"after", server.rss_after_kib}}},
  };
  if (ok > 0) json["cpu_ms_per_op"] = server.cpu_seconds * 1000.0 / static_cast<double>(ok);
  if (server.cpu_seconds > 0) json["ops_per_cpu_s"] = static_cast<double>(ok) / server.cpu_seconds;
  return json;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string mib(std::uint64_t kib) { return format("%.1f", static_cast<double>(kib) / 1024.0); }

std::string server_columns(const RunResult& r) {
  if (!r.server) return "";
  const auto& s = *r.server;
  std::string text = r.ok > 0 ? format("%9.3f", s.cpu_seconds * 1000.0 / static_cast<double>(r.ok))
                              : std::string("        -");
  text += s.cpu_seconds > 0 ? format("%10.0f", static_cast<double>(r.ok) / s.cpu_seconds)
                            : std::string("         -");
  return text + "  " + mib(s.rss_before_kib) + "/" + mib(s.rss_peak_kib) + "/" +
         mib(s.rss_after_kib);
}

std::string latency_columns(const Histogram& h) {
  return format("%9.2f", ms(h.percentile(50))) + format("%9.2f", ms(h.percentile(90))) +
         format("%9.2f", ms(h.percentile(99))) + format("%9.2f", ms(h.max()));
}

std::string result_lines(const RunResult& r) {
  char head[96];
  std::snprintf(head, sizeof head, "%-10s %5d %10.1f %9llu %7llu", r.scenario.c_str(),
                r.concurrency, r.ops_per_second(), static_cast<unsigned long long>(r.ok),
                static_cast<unsigned long long>(r.error_count()));
  std::string text = head + latency_columns(r.latency) + server_columns(r) + "\n";
  for (const auto& [step, histogram] : r.steps) {
    char line[64];
    std::snprintf(line, sizeof line, "  step %-10s %34s", step.c_str(), "");
    text += line + latency_columns(histogram) + "\n";
  }
  for (const auto& [kind, count] : r.errors) {
    text += "  error " + std::to_string(count) + " x " + kind + "\n";
  }
  if (r.background) {
    const auto& b = *r.background;
    text += "  background " + b.scenario + " x" + std::to_string(b.concurrency) + ": " +
            std::to_string(b.ok) + " ok\n";
    for (const auto& [kind, count] : b.errors) {
      text += "  background error " + std::to_string(count) + " x " + kind + "\n";
    }
  }
  return text;
}

}  // namespace

std::uint64_t RunResult::error_count() const {
  std::uint64_t total = 0;
  for (const auto& [kind, count] : errors) total += count;
  return total;
}

double RunResult::ops_per_second() const {
  const double s = seconds(elapsed);
  return s > 0 ? static_cast<double>(ok) / s : 0.0;
}

nlohmann::json to_json(const RunResult& r) {
  nlohmann::json json = {
      {"scenario", r.scenario},
      {"concurrency", r.concurrency},
      {"duration_s", seconds(r.elapsed)},
      {"ok", r.ok},
      {"errors_total", r.error_count()},
      {"errors", r.errors},
      {"ops_per_s", r.ops_per_second()},
      {"latency_ms", latency_json(r.latency)},
      {"steps", nlohmann::json::object()},
      {"server", nullptr},
      {"background", nullptr},
  };
  for (const auto& [step, histogram] : r.steps) json["steps"][step] = latency_json(histogram);
  if (r.server) json["server"] = server_json(*r.server, r.ok);
  if (r.background) {
    const auto& b = *r.background;
    json["background"] = {{"scenario", b.scenario},
                          {"concurrency", b.concurrency},
                          {"ok", b.ok},
                          {"errors", b.errors}};
  }
  return json;
}

nlohmann::json to_json(const RunSettings& settings, const std::vector<RunResult>& results) {
  nlohmann::json json = {
      {"tool", "latchkey-loadgen"},         {"format", 1},
      {"issuer", settings.issuer},          {"started_at", settings.started_at},
      {"threads", settings.threads},        {"duration_s", settings.duration_s},
      {"warmup_s", settings.warmup_s},      {"max_ops", settings.max_ops},
      {"timeout_ms", settings.timeout_ms},  {"server_pid", nullptr},
      {"results", nlohmann::json::array()},
  };
  if (settings.server_pid) json["server_pid"] = *settings.server_pid;
  for (const auto& result : results) json["results"].push_back(to_json(result));
  return json;
}

std::string format_table(const std::vector<RunResult>& results) {
  const bool server = std::any_of(results.begin(), results.end(),
                                  [](const RunResult& r) { return r.server.has_value(); });
  std::string text =
      "scenario    conc      ops/s        ok    errs  p50(ms)  p90(ms)  p99(ms)  max(ms)";
  if (server) text += " cpu ms/op ops/cpu-s  rss MiB before/peak/after";
  text += "\n";
  for (const auto& result : results) text += result_lines(result);
  return text;
}

}  // namespace latchkey::loadgen
