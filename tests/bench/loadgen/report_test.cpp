#include "loadgen/report.hpp"

#include <gtest/gtest.h>

namespace latchkey::loadgen {
namespace {

RunResult code_run() {
  RunResult r;
  r.scenario = "code";
  r.concurrency = 16;
  r.elapsed = std::chrono::seconds(2);
  r.ok = 1000;
  r.errors = {{"token: oauth invalid_grant", 3}, {"timeout", 1}};
  for (int i = 1; i <= 1000; ++i) r.latency.record(std::chrono::microseconds(i * 10));
  r.steps["authorize"].record(std::chrono::milliseconds(2));
  r.steps["token"].record(std::chrono::milliseconds(3));
  r.server = ServerUsage{0.5, 10240, 20480, 15360};
  return r;
}

TEST(Report, JsonCarriesTheDocumentedFields) {
  const auto json = to_json(code_run());
  EXPECT_EQ(json["scenario"], "code");
  EXPECT_EQ(json["concurrency"], 16);
  EXPECT_DOUBLE_EQ(json["duration_s"].get<double>(), 2.0);
  EXPECT_EQ(json["ok"], 1000);
  EXPECT_EQ(json["errors_total"], 4);
  EXPECT_EQ(json["errors"]["token: oauth invalid_grant"], 3);
  EXPECT_DOUBLE_EQ(json["ops_per_s"].get<double>(), 500.0);
  EXPECT_NEAR(json["latency_ms"]["p50"].get<double>(), 5.0, 0.1);
  EXPECT_NEAR(json["latency_ms"]["p99"].get<double>(), 9.9, 0.2);
  EXPECT_DOUBLE_EQ(json["latency_ms"]["max"].get<double>(), 10.0);
  EXPECT_DOUBLE_EQ(json["steps"]["authorize"]["p50"].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(json["steps"]["token"]["max"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(json["server"]["cpu_s"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(json["server"]["cpu_ms_per_op"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(json["server"]["ops_per_cpu_s"].get<double>(), 2000.0);
  EXPECT_EQ(json["server"]["rss_kib"]["before"], 10240);
  EXPECT_EQ(json["server"]["rss_kib"]["peak"], 20480);
  EXPECT_EQ(json["server"]["rss_kib"]["after"], 15360);
}

TEST(Report, BackgroundLoadIsReportedBesideTheRunOrNull) {
  EXPECT_TRUE(to_json(code_run())["background"].is_null());
  auto run = code_run();
  run.background = BackgroundLoad{"login", 8, 120, {{"timeout", 2}}};
  const auto json = to_json(run);
  EXPECT_EQ(json["background"]["scenario"], "login");
  EXPECT_EQ(json["background"]["concurrency"], 8);
  EXPECT_EQ(json["background"]["ok"], 120);
  EXPECT_EQ(json["background"]["errors"]["timeout"], 2);
  EXPECT_EQ(json["ok"], 1000) << "background operations are not the run's";
  const auto table = format_table({run});
  EXPECT_NE(table.find("background login x8: 120 ok"), std::string::npos) << table;
  EXPECT_NE(table.find("background error 2 x timeout"), std::string::npos) << table;
}

TEST(Report, PerOperationFiguresAreNullWithoutSuccessesOrCpu) {
  RunResult r;
  r.scenario = "cc";
  r.errors = {{"oauth unsupported_grant_type", 5}};
  r.server = ServerUsage{};
  const auto json = to_json(r);
  EXPECT_TRUE(json["server"]["cpu_ms_per_op"].is_null());
  EXPECT_TRUE(json["server"]["ops_per_cpu_s"].is_null());
  EXPECT_EQ(json["ops_per_s"], 0.0);
  EXPECT_TRUE(json["steps"].empty());
  RunResult no_server;
  EXPECT_TRUE(to_json(no_server)["server"].is_null());
}

TEST(Report, TheWholeReportEchoesTheSettings) {
  RunSettings settings{"http://127.0.0.1:1/", 1, 1.0, 0.5, 0, 2000, 77, "2026-11-24T09:00:00Z"};
  const auto json = to_json(settings, {code_run(), code_run()});
  EXPECT_EQ(json["tool"], "latchkey-loadgen");
  EXPECT_EQ(json["issuer"], "http://127.0.0.1:1/");
  EXPECT_EQ(json["server_pid"], 77);
  EXPECT_EQ(json["results"].size(), 2U);
}

TEST(Report, TheTableShowsEachRunItsStepsAndItsErrorsByKind) {
  const auto table = format_table({code_run()});
  EXPECT_NE(table.find("ops/s"), std::string::npos);
  EXPECT_NE(table.find("cpu ms/op"), std::string::npos);
  EXPECT_NE(table.find("code"), std::string::npos);
  EXPECT_NE(table.find("500.0"), std::string::npos);
  EXPECT_NE(table.find("step authorize"), std::string::npos);
  EXPECT_NE(table.find("3 x token: oauth invalid_grant"), std::string::npos);
  EXPECT_NE(table.find("10.0/20.0/15.0"), std::string::npos);
}

}  // namespace
}  // namespace latchkey::loadgen
