// A rate-limited display refresh (grid fields, arrows, samples): at most once per `interval`, and
// at most ~1/cost_factor of the worker's time, so that the worker's time belongs to steps. A
// command that changes what is shown brings the next refresh forward to `prompt` after the last
// one, without waiting out the cost-based delay. Worker thread only.
#pragma once

#include <algorithm>
#include <chrono>

namespace driftlab::detail {

class DisplayCadence {
 public:
  using Clock = std::chrono::steady_clock;

  DisplayCadence(Clock::duration interval, int cost_factor, Clock::duration prompt)
      : interval_(interval), prompt_(prompt), cost_factor_(cost_factor) {}

  bool pending() const { return dirty_; }
  Clock::time_point dueAt() const { return next_; }
  bool due(Clock::time_point now) const { return dirty_ && now >= next_; }

  // what is shown is stale (a step was taken): refresh at the normal cadence
  void markStale() { dirty_ = true; }
  // the user changed what is shown: refresh soon (still at most once per `prompt`)
  void wantSoon() {
    dirty_ = true;
    next_ = std::min(next_, last_ + prompt_);
  }
  // a refresh starts now; cleared first, so a refresh that throws is not retried in a tight loop
  void begin(Clock::time_point start) {
    dirty_ = false;
    last_ = start;
    next_ = start + interval_;
  }
  // it cost done - start: the next one waits cost_factor times that, or the interval
  void end(Clock::time_point start, Clock::time_point done) {
    next_ = start + std::max<Clock::duration>(interval_, cost_factor_ * (done - start));
  }

 private:
  Clock::duration interval_, prompt_;
  int cost_factor_;
  bool dirty_ = true;
  Clock::time_point next_{}, last_{};
};

}  // namespace driftlab::detail
