#pragma once
// The Promise job queue of one JSContext. Ours rather than SpiderMonkey's internal one so that a
// run can stop draining at its deadline and throw away whatever an aborted run left behind.

#include <js/Promise.h>
#include <js/RootingAPI.h>

#include <deque>
#include <functional>

namespace latchkey::rules::detail {

/// FIFO of Promise reaction jobs, installed with JS::SetJobQueue. Single-threaded.
class JobQueue final : public JS::JobQueue {
 public:
  explicit JobQueue(JSContext* cx);
  ~JobQueue() override;
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;
  JobQueue(JobQueue&&) = delete;
  JobQueue& operator=(JobQueue&&) = delete;

  JSObject* getIncumbentGlobal(JSContext* cx) override;
  bool enqueuePromiseJob(JSContext* cx, JS::HandleObject promise, JS::HandleObject job,
                         JS::HandleObject allocation_site,
                         JS::HandleObject incumbent_global) override;
  /// Runs jobs in order, including ones they enqueue, until the queue is empty.
  void runJobs(JSContext* cx) override;
  [[nodiscard]] bool empty() const override;

  /// Runs jobs until the queue is empty or `keep_going` says stop (checked before each job).
  /// Returns false when a job failed without a catchable exception (an interrupt or OOM).
  bool drain(JSContext* cx, const std::function<bool()>& keep_going);
  /// Drops every queued job.
  void clear();

 private:
  js::UniquePtr<SavedJobQueue> saveJobQueue(JSContext* cx) override;

  JSContext* cx_;
  std::deque<JS::PersistentRooted<JSObject*>> jobs_;
  bool draining_ = false;
};

}  // namespace latchkey::rules::detail
