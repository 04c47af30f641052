#include "core/result.hpp"

#include <gtest/gtest.h>

#include <string>

namespace latchkey {
namespace {

enum class Oops { bad };

Result<int, Oops> half(int n) {
  if (n % 2 != 0) return fail(Oops::bad);
  return n / 2;
}

TEST(Result, CarriesTheValueOnSuccess) {
  const auto r = half(8);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, 4);
}

TEST(Result, CarriesTheErrorOnFailure) {
  const auto r = half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), Oops::bad);
}

TEST(Result, WorksWhenValueAndErrorHaveTheSameType) {
  Result<std::string, std::string> good = std::string("v");
  Result<std::string, std::string> bad = fail(std::string("e"));
  EXPECT_EQ(good.value(), "v");
  EXPECT_EQ(bad.error(), "e");
}

TEST(Result, VoidResultIsOkByDefault) {
  Result<void, Oops> r;
  EXPECT_TRUE(r.ok());
  Result<void, Oops> f = fail(Oops::bad);
  EXPECT_FALSE(f.ok());
  EXPECT_EQ(f.error(), Oops::bad);
}

}  // namespace
}  // namespace latchkey
