#include "core/commit_deferral.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace latchkey {
namespace {

class CountingCommit final : public PendingCommit {
 public:
  explicit CountingCommit(bool outcome) : outcome_(outcome) {}
  bool settle() override {
    ++settled;
    return outcome_;
  }
  int settled = 0;

 private:
  bool outcome_;
};

TEST(CommitDeferral, CollectsOnlyWhileOpenAndOnlyInTheInnermost) {
  EXPECT_FALSE(CommitDeferral::active());
  auto early = std::make_shared<CountingCommit>(true);
  CommitDeferral::hand_over(early);  // nobody collects: ignored
  CommitDeferral outer;
  EXPECT_TRUE(CommitDeferral::active());
  auto inner_write = std::make_shared<CountingCommit>(true);
  {
    CommitDeferral inner;
    CommitDeferral::hand_over(inner_write);
    EXPECT_TRUE(inner.pending());
    EXPECT_FALSE(outer.pending());
  }
  EXPECT_EQ(inner_write->settled, 1);  // the inner one settled it as it ended
  EXPECT_TRUE(CommitDeferral::active());
  outer.close();
  EXPECT_FALSE(CommitDeferral::active());
  CommitDeferral::hand_over(std::make_shared<CountingCommit>(true));
  EXPECT_FALSE(outer.pending());
  EXPECT_EQ(early->settled, 0);
}

TEST(CommitDeferral, SettlesEachCommitOnceAndFailsIfAnyFailed) {
  auto first = std::make_shared<CountingCommit>(true);
  auto second = std::make_shared<CountingCommit>(false);
  CommitDeferral deferral;
  CommitDeferral::hand_over(first);
  CommitDeferral::hand_over(first);  // two writes of one group
  CommitDeferral::hand_over(second);
  deferral.close();
  EXPECT_FALSE(deferral.settle_all());
  EXPECT_EQ(first->settled, 1);
  EXPECT_EQ(second->settled, 1);
  EXPECT_FALSE(deferral.pending());
  EXPECT_TRUE(deferral.settle_all());  // nothing left
}

TEST(CommitDeferral, WhatIsNeverSettledIsSettledWhenItEnds) {
  auto write = std::make_shared<CountingCommit>(true);
  {
    CommitDeferral deferral;
    CommitDeferral::hand_over(write);
  }
  EXPECT_EQ(write->settled, 1);
  EXPECT_FALSE(CommitDeferral::active());
}

}  // namespace
}  // namespace latchkey
