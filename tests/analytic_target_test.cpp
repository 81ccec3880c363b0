// The analytic target p = N(0, I) (THEORY.md §11.4): its fields against a brute-force double loop,
// and the flow of KL(q || N(0, I)) against the closed forms of the mean: m / (1 + tau)^k per JKO
// step, m (1 - tau)^k per explicit Euler step.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <random>
#include <string>

#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "error_of.hpp"
#include "test_files.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

// N((mean_x, 0), sd^2 I) points in 2-D, written as a CSV with a header
std::string gaussianCsv(const std::string& name, int n, double mean_x, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  const std::string path = testing::processTmpDir("analytic_target_test") + "/" + name;
  std::ofstream out(path);
  out.precision(17);
  out << "x,y\n";
  for (int i = 0; i < n; ++i) out << mean_x + sd * z(rng) << "," << sd * z(rng) << "\n";
  return path;
}

VelocityOptions gaussianTargetOptions(Divergence d, double h) {
  VelocityOptions opt;
  opt.kernel.kind = KernelKind::Gaussian;
  opt.kernel.h = h;
  opt.weights = DivergenceWeights::single(d);
  opt.leave_one_out = true;
  opt.target = TargetKind::StandardGaussian;
  opt.path = ComputePath::Exact64;
  return opt;
}

// forward KL from N((2, 0), 0.3^2 I) particles to p = N(0, I), Gaussian kernel h = 0.5, no cap
FlowParams towardsStandardNormal(Integrator integrator, double tau) {
  FlowParams p;
  p.target = TargetKind::StandardGaussian;
  p.samples = 500;
  p.init = "csv";
  p.init_csv = gaussianCsv("init.csv", 1000, 2.0, 0.3, 12);
  p.kernel.kind = KernelKind::Gaussian;
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.5;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  p.integrator = integrator;
  p.step = tau;
  p.displacement_cap = 0.0;
  p.jko_inner_steps = 30;
  p.jko_tol = 1e-6;
  return p;
}

}  // namespace

TEST_CASE("analytic target: forward and reverse KL fields equal the double loop with p = N(0, I) exact") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> z(0.0, 0.7);
  const long n = 9;
  Points x(2, n);
  for (long i = 0; i < n; ++i) x.col(i) << z(rng), z(rng);
  const Points unused_data = Points::Zero(2, 3);  // p is analytic: the data do not enter
  const double h = 0.4;
  const Points v_fwd = particleVelocity(x, unused_data, gaussianTargetOptions(Divergence::ForwardKL, h));
  const Points v_rev = particleVelocity(x, unused_data, gaussianTargetOptions(Divergence::ReverseKL, h));
  for (long i = 0; i < n; ++i) {
    // leave-one-out KDE of the particles at x_i: density and score (THEORY.md §6.1)
    double sum_k = 0.0;
    Eigen::Vector2d sum_kd = Eigen::Vector2d::Zero();
    for (long j = 0; j < n; ++j) {
      if (j == i) continue;
      const double k = std::exp(-(x.col(j) - x.col(i)).squaredNorm() / (2 * h * h)) / (2 * std::numbers::pi * h * h);
      sum_k += k;
      sum_kd += k * (x.col(j) - x.col(i)) / (h * h);
    }
    const double q_hat = sum_k / double(n - 1);
    const Eigen::Vector2d score_q = sum_kd / sum_k;
    const double p = std::exp(-0.5 * x.col(i).squaredNorm()) / (2 * std::numbers::pi);
    const Eigen::Vector2d diff = -x.col(i) - score_q;  // grad log p - grad log q_hat
    CAPTURE(i);
    CHECK((v_fwd.col(i) - diff).norm() <= 1e-12 * (1.0 + diff.norm()));
    // reverse KL: weight p / q_hat (THEORY.md §5.2)
    const Eigen::Vector2d rev = (p / q_hat) * diff;
    CHECK((v_rev.col(i) - rev).norm() <= 1e-11 * (1.0 + rev.norm()));
  }
}

TEST_CASE("analytic target: the mean of N(2, 0.3^2) particles follows m / (1 + tau)^k by JKO and m (1 - tau)^k by Euler"
          * doctest::test_suite("slow")) {
  // v = -x - grad log q_hat: the particle score averages to ~0 over a Gaussian cloud (THEORY.md
  // §11.4), so the mean obeys m' = -m exactly up to that average, measured below 1e-3 here
  const double tau = 0.7;
  FlowEngine jko(towardsStandardNormal(Integrator::Jko, tau));
  FlowEngine euler(towardsStandardNormal(Integrator::Euler, tau));
  const double m0 = jko.particles().row(0).mean();
  REQUIRE(m0 == doctest::Approx(2.0).epsilon(0.02));
  for (int k = 1; k <= 3; ++k) {
    CAPTURE(k);
    const StepReport rj = jko.step();
    REQUIRE(rj.ok);
    CHECK(rj.inner_iterations >= 1);
    CHECK(std::abs(jko.particles().row(0).mean() - m0 / std::pow(1.0 + tau, k)) < 5e-3);
    REQUIRE(euler.step().ok);
    CHECK(std::abs(euler.particles().row(0).mean() - m0 * std::pow(1.0 - tau, k)) < 5e-3);
  }
}

TEST_CASE("analytic target: settings, and what it refuses") {
  Scenario s = defaultScenario();
  applySetting(s, "target=gaussian");
  applySetting(s, "weights=forward_kl=1");
  CHECK(s.params.target == TargetKind::StandardGaussian);
  CHECK(scenarioFromJson(scenarioToJson(s), "round trip") == s);
  // its data are M draws of N(0, I): mean ~0, variance ~1 (M = 1024: 4 standard errors)
  FlowEngine e(s.params);
  CHECK(std::abs(e.data().row(0).mean()) < 4.0 / std::sqrt(double(e.data().cols())));
  CHECK(e.data().row(0).squaredNorm() / double(e.data().cols()) == doctest::Approx(1.0).epsilon(0.2));
  CHECK(errorOf([&] { applySetting(s, "weights=mmd=1"); }).find("target: gaussian has no samples for the mmd field") != std::string::npos);
  CHECK(errorOf([&] { applySetting(s, "velocity=smoothed"); }).find("target: gaussian needs the plug-in velocity") != std::string::npos);
  CHECK(errorOf([&] { applySetting(s, "target=uniform"); }).find("target") != std::string::npos);
}
