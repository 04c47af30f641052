#include "rules/detail/job_queue.hpp"

#include <js/CallAndConstruct.h>
#include <js/Exception.h>
#include <js/GlobalObject.h>
#include <jsapi.h>

namespace latchkey::rules::detail {

JobQueue::JobQueue(JSContext* cx) : cx_(cx) { JS::SetJobQueue(cx, this); }

JobQueue::~JobQueue() { clear(); }

JSObject* JobQueue::getIncumbentGlobal(JSContext* cx) { return JS::CurrentGlobalOrNull(cx); }

bool JobQueue::enqueuePromiseJob(JSContext* /*cx*/, JS::HandleObject /*promise*/,
                                 JS::HandleObject job, JS::HandleObject /*allocation_site*/,
                                 JS::HandleObject /*incumbent_global*/) {
  jobs_.emplace_back(cx_, job);
  return true;
}

void JobQueue::runJobs(JSContext* cx) {
  (void)drain(cx, [] { return true; });
}

bool JobQueue::empty() const { return jobs_.empty(); }

bool JobQueue::drain(JSContext* cx, const std::function<bool()>& keep_going) {
  if (draining_) {
    return true;  // a job drained the queue re-entrantly; the outer loop carries on
  }
  draining_ = true;
  bool clean = true;
  while (!jobs_.empty() && keep_going()) {
    JS::RootedObject job(cx, jobs_.front());
    jobs_.pop_front();
    JS::RootedValue ignored(cx);
    if (!JS::Call(cx, JS::UndefinedHandleValue, job, JS::HandleValueArray::empty(), &ignored)) {
      // A job's own exception ends that job only, as in a browser; an uncatchable failure
      // (interrupt, out of memory) leaves nothing pending and ends the drain.
      if (!JS_IsExceptionPending(cx) || JS_IsThrowingOutOfMemory(cx)) {
        clean = false;
        break;
      }
      JS_ClearPendingException(cx);
    }
  }
  draining_ = false;
  return clean;
}

void JobQueue::clear() { jobs_.clear(); }

js::UniquePtr<JS::JobQueue::SavedJobQueue> JobQueue::saveJobQueue(JSContext* /*cx*/) {
  // Only the debugger saves queues, and no debugger is ever attached to a rules context.
  return nullptr;
}

}  // namespace latchkey::rules::detail
