// Fork and rewind, engine side: FlowEngine::capture / restore continue a run bit for bit
// (THEORY.md §6.6), forks from one state, a change made at a fork equals the same change
// made in a fresh run, and KeyframeHistory (budget, thinning, seek by replay).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/keyframe_history.hpp"

using namespace driftlab;

namespace {

bool bitIdentical(const Points& a, const Points& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

// every part of the state the next steps and the view depend on
bool sameState(const FlowEngine& a, const FlowEngine& b) {
  return bitIdentical(a.particles(), b.particles()) && bitIdentical(a.data(), b.data()) &&
         bitIdentical(a.velocities(), b.velocities()) && a.time() == b.time() && a.stepIndex() == b.stepIndex() &&
         a.currentStep() == b.currentStep() && a.params() == b.params();
}

bool sameState(const FlowState& a, const FlowEngine& b) {
  const FlowEngine e(a);
  return sameState(e, b);
}

// the default parameters (path auto, per-particle cap, mixed divergence) at a test's size
FlowParams defaultAt(int n, int m) {
  FlowParams p;
  p.particles = n;
  p.samples = m;
  return p;
}

void stepN(FlowEngine& e, int n) {
  for (int k = 0; k < n; ++k) e.step();
}

}  // namespace

TEST_CASE("fork: a restored engine continues bit for bit (Euler, Heun, JKO, DFM, sphere, grid path)") {
  std::vector<std::pair<std::string, FlowParams>> cases;
  cases.emplace_back("default", defaultAt(600, 500));
  FlowParams heun = defaultAt(300, 300);
  heun.integrator = Integrator::Heun;
  heun.bandwidth.rule = BandwidthRule::Silverman;
  cases.emplace_back("heun silverman", heun);
  FlowParams jko = defaultAt(100, 100);
  jko.integrator = Integrator::Jko;
  jko.jko_inner_steps = 5;
  cases.emplace_back("jko", jko);
  FlowParams dfm = defaultAt(300, 300);
  dfm.mode = FlowMode::Dfm;
  dfm.dfm_steps = 40;
  cases.emplace_back("dfm", dfm);
  FlowParams sphere = defaultAt(300, 300);
  sphere.dataset = "sphere_vmf_caps";
  sphere.geometry = GeometryKind::Sphere;
  cases.emplace_back("sphere", sphere);
  FlowParams grid = defaultAt(800, 800);
  grid.path = ComputePath::Grid;
  cases.emplace_back("grid", grid);

  for (const auto& [name, p] : cases) {
    CAPTURE(name);
    FlowEngine a(p);
    stepN(a, 7);
    const FlowState at7 = a.capture();
    FlowEngine b(at7);
    CHECK(sameState(a, b));
    stepN(a, 12);
    stepN(b, 12);
    CHECK(sameState(a, b));
    // restore into an engine that has run elsewhere
    FlowEngine c(p);
    stepN(c, 3);
    c.restore(at7);
    stepN(c, 12);
    CHECK(sameState(a, c));
  }
}

TEST_CASE("fork: rollback halvings, edits and the KDE edit counter travel with the state") {
  FlowParams p = defaultAt(200, 200);
  FlowEngine a(p);
  stepN(a, 3);
  a.addParticlesFromKde(7);  // draws from init_seed and the edit counter
  a.eraseData(Eigen::Vector2d(0.0, 0.0), 0.5);
  FlowParams q = a.params();
  q.step = 0.02;
  a.setParams(q);
  FlowState s = a.capture();
  s.step_size = 0.005;  // as if two rollbacks had halved it
  a.restore(s);
  FlowEngine b(s);
  CHECK(b.currentStep() == 0.005);
  stepN(a, 5);
  stepN(b, 5);
  a.addParticlesFromKde(3);
  b.addParticlesFromKde(3);
  stepN(a, 2);
  stepN(b, 2);
  CHECK(sameState(a, b));
}

TEST_CASE("fork: a step size halved by real rollbacks is restored with the state") {
  FlowParams p = defaultAt(100, 100);
  p.displacement_cap = 0.0;
  p.step = 1e308;  // x + eta v overflows: every step is rolled back and eta halved
  FlowEngine a(p);
  CHECK_FALSE(a.step().ok);
  CHECK_FALSE(a.step().ok);
  FlowEngine b(a.capture());
  CHECK(b.currentStep() == a.currentStep());
  CHECK(b.currentStep() < 0.3e308);
  CHECK(a.step().warning == b.step().warning);  // "... step size halved to 1.25e+307"
  CHECK(sameState(a, b));
}

TEST_CASE("fork: a state that does not fit is refused and the engine is untouched") {
  FlowEngine a(defaultAt(100, 100));
  stepN(a, 2);
  const FlowState good = a.capture();
  FlowState bad = good;
  bad.velocities = Points::Zero(2, 3);
  CHECK_THROWS_AS(a.restore(bad), InvalidArgument);
  bad = good;
  bad.data = Points::Zero(3, 10);
  CHECK_THROWS_AS(a.restore(bad), InvalidArgument);
  bad = good;
  bad.params.step = -1.0;
  CHECK_THROWS_AS(a.restore(bad), InvalidArgument);
  CHECK(sameState(good, a));
}

TEST_CASE("fork: A and B from one state stay bit-identical for 200 steps") {
  FlowEngine origin(defaultAt(400, 400));
  stepN(origin, 10);
  const FlowState s = origin.capture();
  FlowEngine a(s), b(s);
  for (int k = 0; k < 200; ++k) {
    a.step();
    b.step();
  }
  CHECK(a.stepIndex() == 210);
  CHECK(sameState(a, b));
}

TEST_CASE("fork: a kernel change at the fork equals a fresh run that made it at that step") {
  const FlowParams p = defaultAt(400, 400);
  FlowParams changed = p;
  changed.kernel.kind = KernelKind::Laplacian;
  changed.weights = DivergenceWeights::single(Divergence::Chi2);
  const int k = 25, n = 80;

  FlowEngine fresh(p);  // one run: k steps, the change, n - k more
  stepN(fresh, k);
  fresh.setParams(changed);
  stepN(fresh, n - k);

  FlowEngine a(p);  // the A run records its state at k and goes on unchanged
  stepN(a, k);
  const FlowState at_k = a.capture();
  stepN(a, n - k);
  FlowEngine b(at_k);  // B: from A's state at k with the change
  b.setParams(changed);
  stepN(b, n - k);

  CHECK(sameState(fresh, b));
  CHECK_FALSE(bitIdentical(a.particles(), b.particles()));
}

TEST_CASE("history: seek restores the nearest keyframe and replays to the recorded state bit for bit") {
  FlowParams p = defaultAt(300, 300);
  FlowEngine e(p);
  std::vector<FlowState> truth;
  // about 6 keyframes fit: the history thins several times over 120 steps
  const std::size_t one = e.capture().bytes();
  KeyframeHistory h(6 * one + one / 2, 1);
  truth.push_back(e.capture());
  h.record(e);
  for (int k = 1; k <= 120; ++k) {
    e.step();
    truth.push_back(e.capture());
    h.record(e);
    REQUIRE(h.bytes() <= h.budget());
  }
  CHECK(h.interval() > 1);
  CHECK(h.size() <= 6);
  CHECK(h.steps().front() == 0);
  FlowEngine other(p);
  for (long s : {0L, 1L, 17L, 64L, 99L, 120L}) {
    CAPTURE(s);
    REQUIRE(h.seek(other, s));
    CHECK(sameState(truth[std::size_t(s)], other));
  }
}

TEST_CASE("history: a change keeps its keyframe, and a seek across it replays the change") {
  const FlowParams p = defaultAt(300, 300);
  FlowParams q = p;
  q.kernel.kind = KernelKind::StudentT;
  FlowEngine e(p);
  const std::size_t one = e.capture().bytes();
  KeyframeHistory h(5 * one, 4);
  std::vector<FlowState> truth;
  truth.push_back(e.capture());
  h.record(e);
  for (int k = 1; k <= 60; ++k) {
    if (k == 31) {
      e.setParams(q);
      h.recordChange(e);
      truth.back() = e.capture();  // the state at step 30 is the one the run went on from
    }
    e.step();
    truth.push_back(e.capture());
    h.record(e);
    REQUIRE(h.bytes() <= h.budget());
  }
  const std::vector<long> steps = h.steps();
  CHECK(std::find(steps.begin(), steps.end(), 30L) != steps.end());  // the change's keyframe
  FlowEngine other(p);
  for (long s : {5L, 29L, 30L, 31L, 47L, 60L}) {
    CAPTURE(s);
    REQUIRE(h.seek(other, s));
    CHECK(sameState(truth[std::size_t(s)], other));
  }
  // a change re-branches: the keyframes after it are gone
  h.seek(other, 10);
  h.recordChange(other);
  CHECK(h.steps().back() == 10);
  CHECK_FALSE(h.seek(other, -1));
}

TEST_CASE("history: at N = M = 20000 a tiny budget is never exceeded") {
  FlowEngine e(defaultAt(20000, 20000));
  const std::size_t one = e.capture().bytes();
  KeyframeHistory h(3 * one + one / 3, 1);
  h.record(e);
  for (int k = 1; k <= 24; ++k) {
    e.step();
    h.record(e);
    REQUIRE(h.bytes() <= h.budget());
  }
  // K went 1 -> 16; step 24 was off the new grid when the last thinning made room
  CHECK(h.steps() == std::vector<long>{0, 16});
  CHECK(h.interval() == 16);
  KeyframeHistory tiny(one / 2, 1);  // under one keyframe: nothing is held, nothing exceeds
  CHECK_FALSE(tiny.record(e));
  CHECK(tiny.bytes() == 0);
}

TEST_CASE("history: at N = M = 1e5 (grid path) a small budget holds and every step is reached by replay"
          * doctest::test_suite("slow")) {
  FlowParams p = defaultAt(100000, 100000);
  p.path = ComputePath::Grid;  // the path a run of this size takes (exact sums: 1e10 pairs a step)
  FlowEngine e(p);
  std::vector<FlowState> truth{e.capture()};
  const std::size_t one = truth.front().bytes();
  KeyframeHistory h(3 * one + one / 3, 1);  // three states of about 6.4 MB each
  h.record(e);
  for (int k = 1; k <= 12; ++k) {
    e.step();
    truth.push_back(e.capture());
    h.record(e);
    REQUIRE(h.bytes() <= h.budget());
  }
  CHECK(h.interval() > 1);
  FlowEngine other(p);
  for (long s : {3L, 7L, 12L}) {
    CAPTURE(s);
    REQUIRE(h.seek(other, s));
    CHECK(sameState(truth[std::size_t(s)], other));
  }
}

// The exact paths sum each particle's row on one thread, in a fixed order, so the thread count
// does not matter; the grid path deposits the sources on per-thread grids and adds them up, so its
// last bits depend on how many threads there are (THEORY.md §6.6)
TEST_CASE("fork: exact paths do not depend on the thread count; the grid path only in the last bits") {
  for (ComputePath path : {ComputePath::Exact64, ComputePath::Exact32, ComputePath::Grid}) {
    CAPTURE(computePathName(path));
    FlowParams p = defaultAt(2000, 2000);
    p.path = path;
    std::vector<Points> xs;
    for (int threads : {1, 2, 5}) {
      ThreadPool pool(threads);
      ThreadPoolScope scope(pool);
      FlowEngine e(p);
      stepN(e, 10);
      xs.push_back(e.particles());
    }
    if (path == ComputePath::Grid) {
      CHECK((xs[0] - xs[2]).cwiseAbs().maxCoeff() < 1e-12);  // measured 3.5e-18 after 10 steps
    } else {
      CHECK(bitIdentical(xs[0], xs[1]));
      CHECK(bitIdentical(xs[0], xs[2]));
    }
  }
}
