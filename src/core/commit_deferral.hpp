#pragma once
// Group commit across requests. A store that runs a write while a CommitDeferral is open on its
// thread may leave the write in an open transaction shared with other requests' writes, and hand
// over a PendingCommit instead of committing. Whoever opened the deferral holds back the answer
// that depends on the write until PendingCommit::settle() says it is committed, so nothing is
// answered before it is durable; meanwhile other requests' writes join the same transaction and
// one commit (its locks, its WAL frames) serves them all.

#include <memory>
#include <vector>

namespace latchkey {

/// A set of writes that commit together. Thread-safe.
class PendingCommit {
 public:
  PendingCommit() = default;
  PendingCommit(const PendingCommit&) = delete;
  PendingCommit& operator=(const PendingCommit&) = delete;
  virtual ~PendingCommit() = default;

  /// Commits the writes now unless that has happened already; true once they are committed,
  /// false when the commit (or the transaction it belonged to) failed. Blocks at most as long as
  /// a write would.
  [[nodiscard]] virtual bool settle() = 0;
};

/// Opened on a thread around work whose answer can wait for settle_all(), and closed before the
/// thread turns to other work (a coroutine closes it before it suspends). Deferrals nest; the
/// innermost open one collects.
class CommitDeferral {
 public:
  /// Opens on the calling thread.
  CommitDeferral();
  /// Closes if open, and settles whatever is still pending, so no write stays uncommitted.
  ~CommitDeferral();
  CommitDeferral(const CommitDeferral&) = delete;
  CommitDeferral& operator=(const CommitDeferral&) = delete;

  /// Whether the calling thread has a CommitDeferral open.
  [[nodiscard]] static bool active();
  /// Called by a store on the deferral's thread: the answer must wait for `pending`. Ignored when
  /// no deferral is open.
  static void hand_over(std::shared_ptr<PendingCommit> pending);

  /// Stops collecting, on the thread that opened it; what was handed over stays pending.
  void close();
  /// Whether anything was handed over since the last settle_all().
  [[nodiscard]] bool pending() const { return !pending_.empty(); }
  /// Settles everything handed over; true when all of it committed.
  [[nodiscard]] bool settle_all();

 private:
  CommitDeferral* outer_;
  bool open_ = true;
  std::vector<std::shared_ptr<PendingCommit>> pending_;
};

}  // namespace latchkey
