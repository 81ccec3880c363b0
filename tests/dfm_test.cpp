// Diffusion Flow Matching (THEORY.md §12.2): the oracle drift against a double loop, its values at
// t = 0 and at a checked point, the sampler's exact path for one data point, memorization with
// sigma = 0, determinism and the end of the time grid.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>

#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/memorization.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "error_of.hpp"
#include "test_files.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

Points randomPoints(long d, long n, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, sd);
  Points p(d, n);
  for (long j = 0; j < n; ++j)
    for (long a = 0; a < d; ++a) p(a, j) = z(rng);
  return p;
}

// b(t, x) by the formula, term by term, without the row maximum (moderate values only)
Eigen::VectorXd bruteDrift(const Eigen::VectorXd& x, const Points& y, double s0, double sigma, double t) {
  const double v = (1 - t) * (1 - t) * s0 * s0 + sigma * sigma * t * (1 - t);
  double total = 0.0;
  Eigen::VectorXd mean = Eigen::VectorXd::Zero(x.size());
  for (long j = 0; j < y.cols(); ++j) {
    const double w = std::exp(-(x - t * y.col(j)).squaredNorm() / (2 * v));
    total += w;
    mean += w * y.col(j);
  }
  return (mean / total - x) / (1 - t);
}

FlowParams dfmParams(const std::string& dataset, int samples, int particles, double sigma, int steps) {
  FlowParams p;
  p.mode = FlowMode::Dfm;
  p.dataset = dataset;
  p.samples = samples;
  p.particles = particles;
  p.dfm_sigma = sigma;
  p.dfm_steps = steps;
  return p;
}

}  // namespace

TEST_CASE("dfm: the oracle drift equals the double loop to 1e-12 in 3-D, and y_bar - x at t = 0") {
  const Points y = randomPoints(3, 40, 1.5, 1);
  const Points x = randomPoints(3, 25, 1.0, 2);
  const DfmBridge bridge{0.8, 0.6};
  for (const double t : {0.0, 0.37, 0.9}) {
    CAPTURE(t);
    const Points b = dfmOracleDrift(x, y, bridge, t);
    for (long e = 0; e < x.cols(); ++e) {
      const Eigen::VectorXd ref = bruteDrift(x.col(e), y, 0.8, 0.6, t);
      CHECK((b.col(e) - ref).norm() <= 1e-12 * (1.0 + ref.norm()));
    }
  }
  // t = 0: every weight is equal (x - 0 y_j is the same for all j), b = y_bar - x
  const Points b0 = dfmOracleDrift(x, y, bridge, 0.0);
  const Eigen::VectorXd y_bar = y.rowwise().mean();
  for (long e = 0; e < x.cols(); ++e) CHECK((b0.col(e) - (y_bar - x.col(e))).norm() < 1e-12);
}

TEST_CASE("dfm: the checked value b = 1.99433 at y = {-2, 0.5, 3}, s0 = 1, sigma = 0.8, t = 0.6, x = 1.1") {
  Points y(1, 3);
  y << -2.0, 0.5, 3.0;
  Points x(1, 1);
  x << 1.1;
  CHECK(dfmOracleDrift(x, y, {1.0, 0.8}, 0.6)(0, 0) == doctest::Approx(1.99433).epsilon(3e-6));
  CHECK(bridgeVariance({1.0, 0.8}, 0.6) == doctest::Approx(0.16 + 0.64 * 0.24));
  // far from every scaled data point the weights are still exact (row maximum subtracted)
  Points far(1, 1);
  far << 400.0;
  CHECK(dfmOracleDrift(far, y, {1.0, 0.8}, 0.6)(0, 0) == doctest::Approx((3.0 - 400.0) / 0.4));
  CHECK(errorOf([&] { dfmOracleDrift(x, y, {1.0, 0.8}, 1.0); }).find("t must be in [0, 1)") != std::string::npos);
}

TEST_CASE("dfm: one data point and sigma = 0 give exactly the straight path (1 - t) x0 + t y") {
  // b = (y - x) / (1 - t) keeps x on the segment: each Euler step moves dt (y - x0) (THEORY.md §12.2)
  const std::string dir = testing::processTmpDir("dfm_test");
  {
    std::ofstream out(dir + "/one.csv");
    out << "x,y\n1.5,-0.5\n";
  }
  FlowParams p = dfmParams("csv", 1, 50, 0.0, 40);
  p.data_csv = dir + "/one.csv";
  FlowEngine e(p);
  const Points x0 = e.particles();
  Eigen::Vector2d y(1.5, -0.5);
  for (int k = 0; k < 40; ++k) REQUIRE(e.step().ok);
  const double t = e.dfmTime();
  CHECK(t == doctest::Approx(1.0 - p.dfm_epsilon));
  CHECK(e.dfmFinished());
  double worst = 0.0;
  for (long i = 0; i < x0.cols(); ++i)
    worst = std::max(worst, (e.particles().col(i) - ((1 - t) * x0.col(i) + t * y)).norm());
  CHECK(worst < 1e-12);
  // past the end nothing moves
  const Points at_end = e.particles();
  const StepReport r = e.step();
  CHECK(r.ok);
  CHECK(r.eta_used == 0.0);
  CHECK(e.particles() == at_end);
}

TEST_CASE("dfm: with sigma = 0 and fine steps the oracle sampler lands on training points (memorization)") {
  FlowParams p = dfmParams("eight_gaussians", 256, 500, 0.0, 400);
  FlowEngine e(p);
  CHECK(fractionNearData(e.particles(), e.data(), 1e-2) < 0.05);
  for (int k = 0; k < p.dfm_steps; ++k) REQUIRE(e.step().ok);
  const double near = fractionNearData(e.particles(), e.data(), 1e-2);
  CAPTURE(near);
  CHECK(near >= 0.9);
}

TEST_CASE("dfm: the same seeds give the same samples bit for bit; reset starts again from the source") {
  const FlowParams p = dfmParams("eight_gaussians", 128, 200, 0.5, 20);
  FlowEngine a(p), b(p);
  const Points source = a.particles();
  // the source is N(0, s0^2 I): sample standard deviation near s0 = 1
  CHECK(std::sqrt(source.squaredNorm() / double(source.size())) == doctest::Approx(1.0).epsilon(0.1));
  for (int k = 0; k < 20; ++k) {
    a.step();
    b.step();
  }
  CHECK(a.particles() == b.particles());
  a.reset();
  CHECK(a.particles() == source);
  CHECK(a.dfmTime() == 0.0);
}

TEST_CASE("dfm: settings") {
  Scenario s = defaultScenario();
  applySetting(s, "mode=dfm");
  applySetting(s, "dfm.sigma=0.2");
  applySetting(s, "dfm.steps=300");
  applySetting(s, "dfm.source_std=2");
  applySetting(s, "dfm.epsilon=0.01");
  CHECK(s.params.mode == FlowMode::Dfm);
  CHECK(s.params.dfm_steps == 300);
  CHECK(scenarioFromJson(scenarioToJson(s), "round trip") == s);
  CHECK(errorOf([&] { applySetting(s, "dfm.epsilon=1"); }).find("dfm.epsilon: must be < 1") != std::string::npos);
  CHECK(errorOf([&] { applySetting(s, "dfm.sigma=-1"); }).find("dfm.sigma") != std::string::npos);
  CHECK(errorOf([&] { applySetting(s, "geometry=sphere"); }).find("mode: dfm runs in the plane only") != std::string::npos);
}
