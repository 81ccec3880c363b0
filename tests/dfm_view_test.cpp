// What mode dfm shows (THEORY.md §12.2, §12.4): bridge sample paths with the bridge's law, the
// bridge's marginal density p_t, the drift over the view, and a learned drift trained once and
// carried by captured states.
#include <doctest/doctest.h>

#include <cmath>

#include "driftlab/field/bridge_paths.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "run/field_grids.hpp"
#include "worker_wait.hpp"

using namespace driftlab;

TEST_CASE("bridge paths: pinned at a source draw and a data point, Brownian bridge spread in between") {
  Points data(2, 3);
  data << 1.0, -1.0, 0.5, 0.0, 0.5, -2.0;
  const DfmBridge bridge{1.0, 0.5};
  const int paths = 4000, knots = 8;
  const Points p = sampleBridgePaths(data, bridge, paths, knots, 11);
  REQUIRE(p.rows() == 2);
  REQUIRE(p.cols() == paths * (knots + 1));
  // every path ends exactly on a data point
  int on_data = 0;
  for (int k = 0; k < paths; ++k) {
    const Eigen::Vector2d end = p.col(k * (knots + 1) + knots);
    for (int j = 0; j < 3; ++j) on_data += (end - data.col(j)).norm() == 0.0;
  }
  CHECK(on_data == paths);
  // at t = 1/2 the deviation from the straight line between its ends is sigma B_{1/2}:
  // mean 0, variance sigma^2 t (1 - t) = 0.0625 per coordinate
  double mean = 0.0, second = 0.0;
  for (int k = 0; k < paths; ++k) {
    const Eigen::Vector2d x0 = p.col(k * (knots + 1)), x1 = p.col(k * (knots + 1) + knots);
    const Eigen::Vector2d mid = p.col(k * (knots + 1) + knots / 2);
    const Eigen::Vector2d dev = mid - 0.5 * (x0 + x1);
    mean += dev.sum() / (2.0 * paths);
    second += dev.squaredNorm() / (2.0 * paths);
  }
  CAPTURE(mean);
  CAPTURE(second);
  CHECK(std::abs(mean) < 4.0 * std::sqrt(0.0625 / (2.0 * paths)));
  CHECK(second == doctest::Approx(0.0625).epsilon(0.05));  // 8000 draws: 1.6 % standard error
  // the sources are N(0, s0^2 I)
  double source_second = 0.0;
  for (int k = 0; k < paths; ++k) source_second += p.col(k * (knots + 1)).squaredNorm() / (2.0 * paths);
  CHECK(source_second == doctest::Approx(1.0).epsilon(0.05));
  CHECK_THROWS(sampleBridgePaths(Points(2, 0), bridge, 3, 4, 1));
  CHECK_THROWS(sampleBridgePaths(data, bridge, 0, 4, 1));
}

TEST_CASE("bridge marginal density: the mixture of N(t y_j, v_t I), normalized") {
  const Points data = sampleDataset("eight_gaussians", 64, 2).points;
  const DfmBridge bridge{1.0, 0.5};
  for (const double t : {0.0, 0.4, 0.9}) {
    CAPTURE(t);
    const double v = bridgeVariance(bridge, t);
    Points x(2, 2);
    x << 0.3, -0.7, 0.1, 0.4;
    const Vec got = bridgeMarginalLogDensity(x, data, bridge, t);
    for (int e = 0; e < 2; ++e) {
      double sum = 0.0;
      for (int j = 0; j < data.cols(); ++j)
        sum += std::exp(-(x.col(e) - t * data.col(j)).squaredNorm() / (2 * v)) / (2 * M_PI * v);
      CHECK(got[e] == doctest::Approx(std::log(sum / double(data.cols()))).epsilon(1e-12));
    }
    // integral over a box of +-6 around the origin by the midpoint rule
    detail::GridView view;
    view.x0 = view.y0 = -6.0f;
    view.x1 = view.y1 = 6.0f;
    const int n = 240;
    const Vec grid = bridgeMarginalLogDensity(detail::gridNodes(view, n, n), data, bridge, t);
    CHECK(grid.array().exp().sum() * (12.0 / n) * (12.0 / n) == doctest::Approx(1.0).epsilon(1e-3));
  }
}

TEST_CASE("dfm grid fields: the drift in force over the view, the bridge marginal and the particles' KDE") {
  const Points data = sampleDataset("eight_gaussians", 200, 3).points;
  const Points particles = sampleDataset("two_moons", 150, 4).points;
  const DfmBridge bridge{1.0, 0.5};
  const double t = 0.6;
  detail::GridView view;
  view.quiver_n = 8;
  view.density_n = 16;
  VelocityOptions opt;
  opt.kernel.h = 0.2;
  const auto drift = [&](const Points& x) { return dfmOracleDrift(x, data, bridge, t); };
  const detail::GridFields f = detail::computeDfmGridFields(particles, data, opt, view, drift, bridge, t);
  const Points qnodes = detail::gridNodes(view, 8, 8), dnodes = detail::gridNodes(view, 16, 16);
  const Points b = drift(qnodes);
  REQUIRE(f.velocity.values.size() == 2u * 64u);
  for (int e = 0; e < 64; e += 9) {
    CHECK(f.velocity.values[std::size_t(2 * e)] == doctest::Approx(b(0, e)).epsilon(1e-6));
    CHECK(f.velocity.values[std::size_t(2 * e + 1)] == doctest::Approx(b(1, e)).epsilon(1e-6));
  }
  const Vec lp = bridgeMarginalLogDensity(dnodes, data, bridge, t);
  const Points bd = drift(dnodes);
  REQUIRE(f.log_p.values.size() == 256u);
  for (int e = 0; e < 256; e += 37) {
    CHECK(f.log_p.values[std::size_t(e)] == doctest::Approx(lp[e]).epsilon(1e-6));
    CHECK(f.speed.values[std::size_t(e)] == doctest::Approx(bd.col(e).norm()).epsilon(1e-6));
  }
  CHECK(f.log_q.values.size() == 256u);
  CHECK(f.attraction.empty());
  CHECK(f.per_term.empty());
}

TEST_CASE("dfm learned drift in the engine: trained at the first step, kept by captured states, retrained for new data") {
  Scenario s = presetScenario("default");
  applySettings(s, {"mode=dfm", "dfm.drift=learned", "dfm.train_steps=60", "particles=64", "samples=128", "dfm.steps=20"});
  FlowEngine e(s.params);
  CHECK(e.learnedDfmDrift() == nullptr);
  // before training, the drift in force is the oracle's
  const Points oracle = dfmOracleDrift(e.particles(), e.data(), DfmBridge{1.0, s.params.dfm_sigma}, 0.0);
  CHECK((e.dfmDrift(e.particles()) - oracle).norm() == 0.0);
  // without its network a step is not taken, and says why
  const StepReport refused = e.step();
  CHECK(!refused.ok);
  CHECK(refused.warning.find("dfm.drift learned") != std::string::npos);
  CHECK(e.dfmStepsTaken() == 0);
  trainLearnedDfmDriftIfNeeded(e);
  const DfmDriftModel* trained = e.learnedDfmDrift();
  REQUIRE(trained != nullptr);
  CHECK(trained->losses().size() == 60u);
  CHECK((e.dfmDrift(e.particles()) - trained->drift(e.particles(), e.dfmTime())).norm() == 0.0);
  CHECK(e.step().ok);
  // a state captured before the training does not take the network away (seeking to step 0)
  const FlowState before_training = FlowEngine(s.params).capture();
  CHECK(before_training.dfm_learned == nullptr);
  FlowEngine rewound(e.capture());
  rewound.restore(before_training);
  CHECK(rewound.learnedDfmDrift() == trained);
  // a fork continues with the same network, bit for bit
  FlowEngine fork(e.capture());
  CHECK(fork.learnedDfmDrift() == trained);
  for (int k = 0; k < 5; ++k) {
    e.step();
    fork.step();
  }
  CHECK((e.particles() - fork.particles()).norm() == 0.0);
  // new data: the network no longer fits and the next step trains another
  Points more(2, 1);
  more << 0.0, 0.0;
  e.addData(more);
  CHECK(e.learnedDfmDrift() == nullptr);
  CHECK(e.needsLearnedDfmDrift());
  trainLearnedDfmDriftIfNeeded(e);
  REQUIRE(e.learnedDfmDrift() != nullptr);
  CHECK(e.learnedDfmDrift() != trained);
}

TEST_CASE("dfm worker: its snapshots carry the sampler's time, the drift grid, bridge paths and the copy share") {
  Scenario s = presetScenario("default");
  applySettings(s, {"mode=dfm", "particles=200", "samples=256", "dfm.steps=40"});
  FlowWorker w(s.params);
  auto snap = driftlab::testing::waitFor(
      w, [](const Snapshot& x) { return x.dfm && x.dfm->step >= 40 && !x.velocity.empty() && x.dfm->paths > 0; });
  REQUIRE(snap);
  const DfmView& v = *snap->dfm;
  CHECK(v.t == doctest::Approx(1.0 - s.params.dfm_epsilon));
  CHECK(v.t_end == doctest::Approx(1.0 - s.params.dfm_epsilon));
  CHECK(v.steps == 40);
  CHECK(v.bridge_paths.cols() == v.paths * (v.knots + 1));
  CHECK(v.near_share >= 0.0);
  CHECK(v.near_share <= 1.0);
  CHECK(!v.learned);
  CHECK(v.oracle_velocity.empty());
  CHECK(snap->log_p.nx > 0);
}
