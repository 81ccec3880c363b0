// StepRateLimiter: the schedule that caps a run's speed at a number of steps per second, so a flow
// that converges in twenty steps can be watched instead of being over in a tenth of a second.
// Pure: it reads no clock; the caller passes `now`, so tests decide time. The run loop
// (run_worker.cpp) asks stepsDue() before each step and sleeps until nextDueAt() when none is due.
// Rate 0 means unlimited (every step is due at once). Not thread-safe: one owner thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>

namespace driftlab {

class StepRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  // at most this many steps are reported due at once, and a schedule that falls further behind
  // (a slow step, a stall) forgets its debt: it never races to catch up
  static constexpr long kMaxBacklog = 4;

  // steps_per_second > 0 caps the speed; 0 (or anything not finite and positive) = unlimited.
  // The next step stays one interval of the new rate after the previous one, so dragging a speed
  // slider neither triggers steps nor stalls the run.
  void setRate(double steps_per_second, Clock::time_point now) {
    const bool was_limited = limited();
    const Clock::time_point previous = was_limited ? next_due_ - interval_ : now;
    rate_ = std::isfinite(steps_per_second) && steps_per_second > 0 ? steps_per_second : 0.0;
    if (!limited()) return;
    interval_ = std::max<Clock::duration>(
        Clock::duration(1), std::chrono::ceil<Clock::duration>(std::chrono::duration<double>(1.0 / rate_)));
    next_due_ = previous + interval_;
  }

  double rate() const { return rate_; }  // 0 = unlimited
  bool limited() const { return rate_ > 0; }

  // The schedule starts again at `now` (a resume, a reset). hold_current: the state on screen is
  // kept for one interval before the first step (a reset shows the start); otherwise the first
  // step is due at once (play answers at once).
  void restart(Clock::time_point now, bool hold_current) {
    next_due_ = limited() && hold_current ? now + interval_ : now;
  }

  // steps whose time has come at `now` (0 .. kMaxBacklog); unlimited: always kMaxBacklog
  long stepsDue(Clock::time_point now) const {
    if (!limited()) return kMaxBacklog;
    if (now < next_due_) return 0;
    return std::min<long>(kMaxBacklog, 1 + static_cast<long>((now - next_due_) / interval_));
  }

  // when the next step falls due (now or earlier when one is due already; unlimited: meaningless)
  Clock::time_point nextDueAt() const { return next_due_; }

  // a step was taken at `now`: the next is due one interval after this one's due time
  void stepTaken(Clock::time_point now) {
    if (!limited()) return;
    next_due_ += interval_;
    if (now - next_due_ > kMaxBacklog * interval_) next_due_ = now;  // behind: forget the debt
  }

 private:
  double rate_ = 0.0;
  Clock::duration interval_{1};
  Clock::time_point next_due_{};
};

}  // namespace driftlab
