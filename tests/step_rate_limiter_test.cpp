// The speed cap's schedule (step_rate_limiter.hpp), driven by hand-made time points: no sleeping.
#include <doctest/doctest.h>

#include <chrono>

#include "driftlab/run/step_rate_limiter.hpp"

using driftlab::StepRateLimiter;
using namespace std::chrono_literals;

namespace {
const StepRateLimiter::Clock::time_point t0{std::chrono::seconds(1000)};
}

TEST_CASE("step rate: unlimited by default and for a rate of 0, every step due at once") {
  StepRateLimiter r;
  CHECK_FALSE(r.limited());
  CHECK(r.stepsDue(t0) == StepRateLimiter::kMaxBacklog);
  r.setRate(10, t0);
  r.setRate(0, t0);
  CHECK_FALSE(r.limited());
  CHECK(r.rate() == 0.0);
  CHECK(r.stepsDue(t0) > 0);
}

TEST_CASE("step rate: 2 steps/s makes one step due every 500 ms") {
  StepRateLimiter r;
  r.setRate(2, t0);
  r.restart(t0, /*hold_current=*/false);
  CHECK(r.stepsDue(t0) == 1);  // play answers at once
  r.stepTaken(t0);
  CHECK(r.stepsDue(t0 + 499ms) == 0);
  CHECK(r.nextDueAt() == t0 + 500ms);
  CHECK(r.stepsDue(t0 + 500ms) == 1);
  r.stepTaken(t0 + 500ms);
  CHECK(r.stepsDue(t0 + 999ms) == 0);
  CHECK(r.stepsDue(t0 + 1000ms) == 1);
  // a step taken a little late does not delay the schedule
  r.stepTaken(t0 + 1100ms);
  CHECK(r.nextDueAt() == t0 + 1500ms);
}

TEST_CASE("step rate: a reset holds the start state for one interval") {
  StepRateLimiter r;
  r.setRate(4, t0);
  r.restart(t0, /*hold_current=*/true);
  CHECK(r.stepsDue(t0) == 0);
  CHECK(r.stepsDue(t0 + 249ms) == 0);
  CHECK(r.stepsDue(t0 + 250ms) == 1);
}

TEST_CASE("step rate: a late worker gets a bounded backlog, never a race to catch up") {
  StepRateLimiter r;
  r.setRate(100, t0);  // 10 ms per step
  r.restart(t0, false);
  CHECK(r.stepsDue(t0 + 25ms) == 3);
  CHECK(r.stepsDue(t0 + 10s) == StepRateLimiter::kMaxBacklog);
  r.stepTaken(t0 + 10s);  // ten seconds behind: the debt is forgotten
  CHECK(r.nextDueAt() == t0 + 10s);
  r.stepTaken(t0 + 10s);
  CHECK(r.stepsDue(t0 + 10s) == 0);
  CHECK(r.stepsDue(t0 + 10s + 10ms) == 1);
}

TEST_CASE("step rate: changing the rate keeps the spacing from the previous step (slider drags)") {
  StepRateLimiter r;
  r.setRate(1, t0);
  r.restart(t0, false);
  r.stepTaken(t0);  // next due at t0 + 1 s
  r.setRate(2, t0 + 100ms);
  CHECK(r.nextDueAt() == t0 + 500ms);
  r.setRate(1, t0 + 200ms);
  CHECK(r.nextDueAt() == t0 + 1s);
  CHECK(r.stepsDue(t0 + 200ms) == 0);  // no step triggered by the change itself
  // from unlimited the first limited step is one interval after the change
  StepRateLimiter u;
  u.setRate(5, t0);
  CHECK(u.nextDueAt() == t0 + 200ms);
  // non-finite or negative rates mean unlimited (the worker rejects them before this)
  u.setRate(-1, t0);
  CHECK_FALSE(u.limited());
}
