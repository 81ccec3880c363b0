// The run loop's timeline and fork (run_worker.hpp): Seek back and forth reproduces the recorded
// states bit for bit, resuming replays the recorded future without new rows, a change in the
// past cuts the old future off into a faded branch and equals a fresh run that made the same
// change at that step, the keyframes stay within their budget, and a fork's side B continues A's
// state exactly (particles and generator modes) and can seek into the common past.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/generator_worker.hpp"
#include "worker_wait.hpp"

using namespace driftlab;
using driftlab::testing::waitFor;

namespace {

FlowParams timelineParams(int n = 96, int m = 96) {
  FlowParams p;
  p.dataset = "eight_gaussians";
  p.samples = m;
  p.data_seed = 5;
  p.init = "gaussian";
  p.particles = n;
  p.init_seed = 6;
  p.bandwidth.rule = BandwidthRule::Median;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  p.step = 0.05;
  return p;
}

// steps a paused worker to `target` (StepOnce each) and returns the snapshot there
std::shared_ptr<const Snapshot> stepTo(RunWorker& w, long target) {
  auto now = w.latest();
  for (long k = now ? now->step : 0; k < target; ++k) w.send(cmd::StepOnce{});
  return waitFor(w, [target](const Snapshot& s) { return s.step == target && s.paused; });
}

std::shared_ptr<const Snapshot> seek(RunWorker& w, long step) {
  w.send(cmd::Seek{step});
  return waitFor(w, [step](const Snapshot& s) { return s.step == step && s.paused && s.error.empty(); });
}

std::shared_ptr<const ForkSeed> forkOf(RunWorker& w) {
  auto f = w.requestFork();
  REQUIRE(f.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  return f.get();
}

bool samePoints(const PointsF& a, const PointsF& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && a == b;  // bit for bit (floats of identical doubles)
}

}  // namespace

TEST_CASE("timeline: seek back and forward reproduces the recorded states bit for bit; resuming replays") {
  FlowWorker w(timelineParams(), /*start_paused=*/true);
  std::map<long, PointsF> recorded;
  for (long k : {10L, 25L, 40L}) {
    auto s = stepTo(w, k);
    REQUIRE(s);
    recorded[k] = s->particles;
  }
  const std::size_t rows_at_end = w.latest()->history->rows.size();
  CHECK(w.latest()->timeline.end_step == 40);
  CHECK(w.latest()->timeline.keyframes >= 2);
  CHECK(w.latest()->timeline.bytes <= w.latest()->timeline.budget);

  for (long k : {10L, 40L, 25L}) {  // backwards, forwards, backwards
    auto s = seek(w, k);
    REQUIRE(s);
    CHECK(samePoints(s->particles, recorded[k]));
    CHECK(s->history->rows.size() == rows_at_end);  // a seek keeps the recorded future's rows
  }
  // resuming from 25 without a change replays steps 26..40: same state, no new rows, no branch
  auto s40 = stepTo(w, 40);
  REQUIRE(s40);
  CHECK(samePoints(s40->particles, recorded[40]));
  CHECK(s40->history->rows.size() == rows_at_end);
  CHECK(s40->history->branches.empty());

  // outside the timeline: one clear error, the run stays where it was
  w.send(cmd::Seek{41});
  auto e = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(e);
  CHECK(e->error.find("seek: step 41 is outside the run's timeline (steps 0 to 40)") != std::string::npos);
  CHECK(e->step == 40);
}

TEST_CASE("timeline: a change in the past cuts a faded branch and equals a fresh run changed at that step") {
  FlowWorker w(timelineParams(), true);
  REQUIRE(stepTo(w, 30));
  REQUIRE(seek(w, 12));
  w.send(cmd::SetParam{"kernel=laplacian"});
  auto cut = waitFor(w, [](const Snapshot& s) { return !s.history->branches.empty(); });
  REQUIRE(cut);
  CHECK(cut->step == 12);
  CHECK(cut->timeline.end_step == 12);
  CHECK(cut->history->branches.size() == 1);
  CHECK(cut->history->branches[0].from_step == 12);
  CHECK(cut->history->branches[0].rows.back().step == 30);
  CHECK(cut->history->rows.back().step <= 12);
  CHECK(cut->history->cuts == 1);
  REQUIRE_FALSE(cut->history->markers.empty());
  CHECK(cut->history->markers.back().label == "kernel=laplacian");  // the change that made the branch
  CHECK(cut->history->markers.back().step == 12);
  auto s20 = stepTo(w, 20);
  REQUIRE(s20);

  FlowEngine fresh(timelineParams());
  for (int k = 0; k < 12; ++k) fresh.step();
  Scenario sc;
  sc.params = fresh.params();
  applySetting(sc, "kernel=laplacian");
  fresh.setParams(sc.params);
  for (int k = 12; k < 20; ++k) fresh.step();
  CHECK(samePoints(s20->particles, fresh.particles().cast<float>()));

  // a change at a step before later markers: the later ones go with the branch, the new one stays
  auto s25 = stepTo(w, 25);
  REQUIRE(s25);
  w.send(cmd::SetParam{"kernel=gaussian"});
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.history->markers.back().label == "kernel=gaussian"; }));
  REQUIRE(seek(w, 18));
  w.send(cmd::SetParam{"step=0.04"});
  auto cut2 = waitFor(w, [](const Snapshot& s) { return s.history->branches.size() == 2; });
  REQUIRE(cut2);
  CHECK(cut2->history->markers.back().label == "step=0.04");
  CHECK(cut2->history->markers.back().step == 18);
  CHECK(cut2->history->branches[1].markers.back().label == "kernel=gaussian");

  // the recorded future held a change (at step 12): resuming from before it cuts again
  REQUIRE(seek(w, 5));
  auto s8 = stepTo(w, 8);
  REQUIRE(s8);
  CHECK(s8->history->branches.size() == 3);
  CHECK(s8->history->branches[2].from_step == 5);
  w.send(cmd::DiscardBranches{});
  CHECK(waitFor(w, [](const Snapshot& s) { return s.history->branches.empty(); }));
}

TEST_CASE("timeline: the keyframes never exceed a small budget, and every step stays reachable") {
  FlowWorker w(timelineParams(3000, 3000), true);
  w.send(cmd::SetHistoryBudget{std::size_t{1} << 20});  // 1 MiB: about five states of this size
  std::map<long, PointsF> recorded;
  for (long k = 1; k <= 36; ++k) {
    auto s = stepTo(w, k);
    REQUIRE(s);
    recorded[k] = s->particles;
    CHECK(s->timeline.bytes <= s->timeline.budget);
    CHECK(s->timeline.budget == (std::size_t{1} << 20));
  }
  CHECK(w.latest()->timeline.interval > 1);  // thinned
  for (long k : {3L, 17L, 29L, 1L}) {
    auto s = seek(w, k);
    REQUIRE(s);
    CHECK(samePoints(s->particles, recorded[k]));
  }
  w.send(cmd::SetHistoryBudget{1000});
  auto e = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(e);
  CHECK(e->error.find("history budget: must be at least 1 MiB") != std::string::npos);
}

TEST_CASE("fork: side B continues A bit for bit, diverges after its own change, seeks into the common past") {
  FlowWorker a(timelineParams(), true);
  auto s10 = stepTo(a, 10);
  REQUIRE(s10);
  REQUIRE(stepTo(a, 25));
  auto seed = forkOf(a);
  REQUIRE(seed);
  CHECK(seed->state->step() == 25);
  RunWorker b(*seed, true);
  auto b25 = waitFor(b, [](const Snapshot& s) { return s.step == 25; });
  REQUIRE(b25);
  CHECK(b25->history->markers.back().label == "fork");
  CHECK(b25->history->rows.back().step == 25);  // A's rows up to the fork, no duplicate first row

  auto a60 = stepTo(a, 60);
  auto b60 = stepTo(b, 60);
  REQUIRE(a60);
  REQUIRE(b60);
  CHECK(samePoints(a60->particles, b60->particles));
  CHECK(forkOf(a)->state->digest() == forkOf(b)->state->digest());

  b.send(cmd::SetParam{"divergence=chi2"});
  auto b70 = stepTo(b, 70);
  auto a70 = stepTo(a, 70);
  REQUIRE(b70);
  REQUIRE(a70);
  CHECK_FALSE(samePoints(a70->particles, b70->particles));

  auto b10 = seek(b, 10);  // before the fork: A's keyframes came with the seed
  REQUIRE(b10);
  CHECK(samePoints(b10->particles, s10->particles));
}

TEST_CASE("fork: generator mode, side B trains bit for bit like A") {
  GeneratorScenario sc = generatorPreset("gen_checkerboard");
  for (const char* kv : {"latent=2", "widths=16,16", "batch=64", "data_batch=64", "sample_count=96"})
    applyGeneratorSetting(sc, kv);
  sc.metrics_every = 5;
  GeneratorWorker a(sc, true);
  REQUIRE(stepTo(a, 8));
  auto seed = forkOf(a);
  RunWorker b(*seed, true);
  REQUIRE(stepTo(a, 20));
  REQUIRE(stepTo(b, 20));
  auto ga = forkOf(a), gb = forkOf(b);
  CHECK(ga->state->step() == 20);
  CHECK(gb->state->step() == 20);
  CHECK(ga->state->digest() == gb->state->digest());  // the same weights bit for bit
  CHECK(ga->state->digest() != seed->state->digest());  // ... and they did train
  // B changes its learning rate: its weights part from A's
  b.send(cmd::SetParam{"lr=0.01"});
  REQUIRE(stepTo(b, 24));
  REQUIRE(stepTo(a, 24));
  CHECK(forkOf(a)->state->digest() != forkOf(b)->state->digest());
}

TEST_CASE("timeline: after a seek the grid fields are those of the recorded step") {
  FlowParams p = presetScenario("default").params;  // mixed flow: a far field spanning many orders of magnitude
  FlowWorker w(p, true);
  const cmd::SetView view{-2.5f, -2.0f, 2.5f, 2.0f, 16, 24};
  REQUIRE(stepTo(w, 30));
  w.send(view);
  auto first = waitFor(w, [](const Snapshot& s) { return s.step == 30 && s.velocity.nx == 16 && !s.log_p.empty(); });
  REQUIRE(first);
  REQUIRE(stepTo(w, 45));
  w.send(cmd::Seek{30});
  w.send(cmd::SetView{view.x0, view.y0, std::nextafter(view.x1, 10.f), view.y1, 16, 24});  // a fresh grid
  auto again = waitFor(w, [&](const Snapshot& s) { return s.step == 30 && s.velocity.x1 != view.x1 && !s.log_p.empty(); });
  REQUIRE(again);
  w.send(view);
  again = waitFor(w, [&](const Snapshot& s) { return s.step == 30 && s.velocity.x1 == view.x1 && !s.log_p.empty(); });
  REQUIRE(again);
  CHECK(samePoints(again->particles, first->particles));
  CHECK(again->velocity.values == first->velocity.values);
  CHECK(again->log_p.values == first->log_p.values);
  CHECK(again->log_q.values == first->log_q.values);
}

TEST_CASE("fork clock: SetStepLimit holds a running side at a step until the limit moves") {
  FlowWorker w(timelineParams(), /*start_paused=*/true);
  w.send(cmd::SetStepLimit{12});
  w.send(cmd::Resume{});
  auto held = waitFor(w, [](const Snapshot& s) { return s.step == 12; });
  REQUIRE(held);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // running, unlimited speed: still held
  CHECK(w.latest()->step == 12);
  CHECK_FALSE(w.latest()->paused);
  w.send(cmd::SetStepLimit{20});
  CHECK(waitFor(w, [](const Snapshot& s) { return s.step == 20; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(w.latest()->step == 20);
  w.send(cmd::Pause{});
  w.send(cmd::StepOnce{});  // an explicit step is the user's, never held
  CHECK(waitFor(w, [](const Snapshot& s) { return s.step == 21 && s.paused; }));
  w.send(cmd::SetStepLimit{-1});
  w.send(cmd::Resume{});
  CHECK(waitFor(w, [](const Snapshot& s) { return s.step >= 40; }));
}
