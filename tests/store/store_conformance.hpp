#pragma once
// The store conformance suite: behaviour every back end must show, written only against
// store::Store so that each back end runs it unchanged. A back end instantiates both suites:
//   INSTANTIATE_TEST_SUITE_P(Name, StoreConformance, ::testing::Values(StoreBackend{...}),
//                            backend_name);
//   INSTANTIATE_TEST_SUITE_P(Name, GrantFlowConformance, <the same values>, backend_name);
// and compiles store_conformance.cpp and grant_flow_conformance.cpp into its test binary.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace latchkey::store_test {

/// How the suite gets a store to test.
struct StoreBackend {
  std::string name;
  /// A fresh, empty, migrated store; each test gets its own.
  std::function<std::unique_ptr<store::Store>()> make_empty_store;
  /// What schema_version() must report.
  int latest_schema_version = 0;
};

/// The instant `ms` milliseconds after the epoch, for rows' timestamps.
inline TimePoint at_ms(std::int64_t ms) { return TimePoint(std::chrono::milliseconds(ms)); }

/// The error of a result, or nullopt on success (so a wrong success fails the test, not asserts).
template <class T>
std::optional<store::StoreError> error_of(const store::StoreResult<T>& result) {
  if (result.ok()) return std::nullopt;
  return result.error();
}

inline void PrintTo(const StoreBackend& backend, std::ostream* out) { *out << backend.name; }

/// Names instantiated tests after the back end.
inline std::string backend_name(const ::testing::TestParamInfo<StoreBackend>& info) {
  return info.param.name;
}

class StoreConformance : public ::testing::TestWithParam<StoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().make_empty_store();
    ASSERT_NE(store_, nullptr) << "the back end could not make a store";
  }

  store::Store& store() { return *store_; }

 private:
  std::unique_ptr<store::Store> store_;
};

/// The Authorization Code Grant aggregates (grant_flow_conformance.cpp). Each test starts with
/// users "auth0|alice" and "auth0|bob" and clients "app1" and "app2" for rows to belong to.
class GrantFlowConformance : public StoreConformance {
 protected:
  void SetUp() override;
};

}  // namespace latchkey::store_test
