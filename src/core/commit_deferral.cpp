#include "core/commit_deferral.hpp"

#include <algorithm>
#include <utility>

namespace latchkey {
namespace {

thread_local CommitDeferral* current_deferral = nullptr;

}  // namespace

CommitDeferral::CommitDeferral() : outer_(current_deferral) { current_deferral = this; }

CommitDeferral::~CommitDeferral() {
  close();
  (void)settle_all();
}

void CommitDeferral::close() {
  if (!open_) return;
  open_ = false;
  current_deferral = outer_;
}

bool CommitDeferral::active() { return current_deferral != nullptr; }

void CommitDeferral::hand_over(std::shared_ptr<PendingCommit> pending) {
  CommitDeferral* deferral = current_deferral;
  if (deferral == nullptr || pending == nullptr) return;
  auto& list = deferral->pending_;
  if (std::find(list.begin(), list.end(), pending) == list.end()) {
    list.push_back(std::move(pending));
  }
}

bool CommitDeferral::settle_all() {
  bool committed = true;
  for (const auto& pending : pending_) committed = pending->settle() && committed;
  pending_.clear();
  return committed;
}

}  // namespace latchkey
