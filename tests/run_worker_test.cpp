// The run loop (run_worker.hpp) driven by a minimal Run: what any mode gets from the loop — single
// steps while paused, the metric cadence, change markers and history restarts, warnings for
// rolled-back steps, rejected commands in Snapshot::error, a failing step pausing the run — without
// an engine behind it. A new mode (sphere, JKO, DFM) is one more Run like CountingRun.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "driftlab/base/error.hpp"
#include "driftlab/run/run_worker.hpp"
#include "worker_wait.hpp"

using namespace driftlab;
using driftlab::testing::waitFor;

namespace {

// Steps a counter. Step k (1-based) rolls back when it is in `rollback_at`, throws when it equals
// `throw_at`. cmd::Reset restarts the counter; cmd::SetParam "fail" is rejected.
struct CountingRun final : Run {
  long step_index = 0;
  long rollback_at = -1;
  long throw_at = -1;
  std::atomic<int>* metric_rows = nullptr;  // counted for the cadence test (worker thread writes)

  std::string errorPrefix() const override { return "counting"; }
  long stepIndex() const override { return step_index; }
  double time() const override { return 0.5 * static_cast<double>(step_index); }

  StepOutcome step() override {
    if (step_index + 1 == throw_at) throw std::runtime_error("boom");
    if (step_index + 1 == rollback_at) {
      rollback_at = -1;  // the retry goes through
      return StepOutcome{false, "rolled back at step " + std::to_string(step_index + 1)};
    }
    ++step_index;
    return StepOutcome{true, {}};
  }

  Metrics metricsRow() override {
    if (metric_rows) ++*metric_rows;
    Metrics m;
    m.step = step_index;
    m.time = time();
    m.objective = 100.0 - static_cast<double>(step_index);
    return m;
  }

  void apply(const Command& c, RunContext& ctx) override {
    if (std::holds_alternative<cmd::Reset>(c)) {
      step_index = 0;
      ctx.restartHistory("reset");
      ctx.publishSoon();
      return;
    }
    if (const auto* set = std::get_if<cmd::SetParam>(&c)) {
      if (set->key_equals_value == "fail") throw InvalidArgument("fail: not a setting");
      ctx.paramsChanged();
      ctx.addMarker(set->key_equals_value);
      return;
    }
    throw InvalidArgument("counting run: command not supported");
  }

  bool refreshDisplay(bool) override { return false; }
  std::optional<Clock::time_point> displayDueAt() const override { return std::nullopt; }
  void fillSnapshot(Snapshot& s, bool) override { s.step_size = 0.5; }

  // the whole state is the counter
  struct Checkpoint final : RunCheckpoint {
    explicit Checkpoint(long s) : at(s) {}
    long at;
    long step() const override { return at; }
    std::size_t bytes() const override { return sizeof(*this); }
    std::uint64_t digest() const override { return static_cast<std::uint64_t>(at); }
    std::unique_ptr<Run> makeRun() const override {
      auto r = std::make_unique<CountingRun>();
      r->step_index = at;
      return r;
    }
  };
  std::shared_ptr<const RunCheckpoint> capture() const override { return std::make_shared<const Checkpoint>(step_index); }
  void restore(const RunCheckpoint& c) override { step_index = c.step(); }
};

bool hasMarker(const Snapshot& s, const std::string& label) {
  const auto& m = s.history->markers;
  return std::any_of(m.begin(), m.end(), [&](const ChangeMarker& x) { return x.label == label; });
}

}  // namespace

TEST_CASE("run loop: paused start publishes step 0, StepOnce takes exactly one step each") {
  RunWorker w(std::make_unique<CountingRun>(), 1, /*start_paused=*/true);
  auto s0 = waitFor(w, [](const Snapshot& s) { return s.history->rows.size() == 1; });
  REQUIRE(s0);
  CHECK(s0->step == 0);
  CHECK(s0->paused);
  CHECK(s0->step_size == 0.5);  // the Run's part of the snapshot
  CHECK(s0->history->rows[0].objective == 100.0);
  for (int i = 0; i < 3; ++i) w.send(cmd::StepOnce{});
  auto s3 = waitFor(w, [](const Snapshot& s) { return s.step == 3 && s.history->rows.size() == 4; });
  REQUIRE(s3);
  CHECK(s3->time == 1.5);
  CHECK(w.stepsDone() == 3);
  CHECK(s3->history->rows.back().objective == 97.0);
}

TEST_CASE("run loop: metric rows every metrics_every steps, SetMetricsEvery is range-checked") {
  std::atomic<int> rows{0};
  auto run = std::make_unique<CountingRun>();
  run->metric_rows = &rows;
  RunWorker w(std::move(run), 2, true);
  for (int i = 0; i < 6; ++i) w.send(cmd::StepOnce{});
  auto s = waitFor(w, [](const Snapshot& x) { return x.step == 6 && x.history->rows.size() == 4; });
  REQUIRE(s);
  for (std::size_t i = 0; i < 4; ++i) CHECK(s->history->rows[i].step == static_cast<long>(2 * i));  // 0, 2, 4, 6
  CHECK(rows.load() == 4);
  w.send(cmd::SetMetricsEvery{0});
  auto e = waitFor(w, [](const Snapshot& x) { return !x.error.empty(); });
  REQUIRE(e);
  CHECK(e->error == "metrics_every: must be in [1, 1000000] (got 0)");
  CHECK_THROWS_AS(RunWorker(std::make_unique<CountingRun>(), 0, true), InvalidArgument);
}

TEST_CASE("run loop: a rolled-back step warns and is not counted, the retry is") {
  auto run = std::make_unique<CountingRun>();
  run->rollback_at = 2;
  RunWorker w(std::move(run), 1, true);
  for (int i = 0; i < 3; ++i) w.send(cmd::StepOnce{});
  auto s = waitFor(w, [](const Snapshot& x) { return x.step == 2 && !x.warnings.empty(); });
  REQUIRE(s);
  CHECK(s->warnings.back() == "rolled back at step 2");
  CHECK(w.stepsDone() == 2);  // three step attempts, two advanced
}

TEST_CASE("run loop: a rejected command is the snapshot's error until a clean batch, markers and reset") {
  RunWorker w(std::make_unique<CountingRun>(), 1, true);
  w.send(cmd::SetParam{"fail"});
  auto e = waitFor(w, [](const Snapshot& x) { return !x.error.empty(); });
  REQUIRE(e);
  CHECK(e->error == "fail: not a setting");
  CHECK(e->params_version == 0);
  w.send(cmd::SetParam{"h=0.2"});
  auto ok = waitFor(w, [](const Snapshot& x) { return x.error.empty() && x.params_version == 1; });
  REQUIRE(ok);
  CHECK(hasMarker(*ok, "h=0.2"));
  w.send(cmd::AddData{});  // not this mode's: rejected by the Run, the loop keeps going
  auto unsupported = waitFor(w, [](const Snapshot& x) { return !x.error.empty(); });
  REQUIRE(unsupported);
  CHECK(unsupported->error == "counting run: command not supported");

  for (int i = 0; i < 4; ++i) w.send(cmd::StepOnce{});
  REQUIRE(waitFor(w, [](const Snapshot& x) { return x.step == 4; }));
  w.send(cmd::Reset{});
  auto r = waitFor(w, [](const Snapshot& x) { return x.step == 0 && hasMarker(x, "reset"); });
  REQUIRE(r);
  CHECK_FALSE(hasMarker(*r, "h=0.2"));  // the old run's markers are gone with its step numbers
  auto row0 = waitFor(w, [](const Snapshot& x) { return x.step == 0 && x.history->rows.size() == 1; });
  REQUIRE(row0);
  CHECK(row0->history->rows[0].step == 0);
}

TEST_CASE("run loop: a step that throws pauses the run with one error line, the worker stays alive") {
  auto run = std::make_unique<CountingRun>();
  run->throw_at = 3;
  RunWorker w(std::move(run), 1, /*start_paused=*/false);
  auto f = waitFor(w, [](const Snapshot& x) { return x.paused && !x.error.empty(); });
  REQUIRE(f);
  CHECK(f->error == "counting error at step 2: boom (run paused)");
  CHECK(f->step == 2);
  CHECK(w.stepsDone() == 2);
  w.send(cmd::SetParam{"still=alive"});  // commands are still served
  REQUIRE(waitFor(w, [](const Snapshot& x) { return x.params_version == 1; }));
}

TEST_CASE("run loop: SetStepRate caps the running speed, StepOnce stays immediate, bad rates are rejected") {
  RunWorker w(std::make_unique<CountingRun>(), 1, /*start_paused=*/true);
  w.send(cmd::SetStepRate{20});  // 50 ms per step
  w.send(cmd::Resume{});
  const auto start = std::chrono::steady_clock::now();
  auto s = waitFor(w, [](const Snapshot& x) { return x.step >= 5; });
  REQUIRE(s);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(secs >= 0.18);  // steps 2..5 each waited 50 ms (the first is due at once)
  CHECK(s->step_rate_limit == 20.0);
  w.send(cmd::Pause{});
  auto p = waitFor(w, [](const Snapshot& x) { return x.paused; });
  REQUIRE(p);
  const long at = p->step;
  for (int i = 0; i < 10; ++i) w.send(cmd::StepOnce{});
  auto q = waitFor(w, [at](const Snapshot& x) { return x.step == at + 10; }, 0.4);  // 10 steps, far under 0.5 s
  CHECK(q);
  w.send(cmd::SetStepRate{-1});
  auto e = waitFor(w, [](const Snapshot& x) { return !x.error.empty(); });
  REQUIRE(e);
  CHECK(e->error.find("speed") != std::string::npos);
  CHECK(e->step_rate_limit == 20.0);
}
