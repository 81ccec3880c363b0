// FlowEngine: one step against hand-computed formulas (Euler, Heun, displacement cap), flow
// time, reproducibility, live parameter changes, edits, rollback, MMD^2 dissipation
// (THEORY.md §13 item 13) and the Gaussian population flow (THEORY.md §13 item 18, §4.5).
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <numbers>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/field/velocity.hpp"

using namespace driftlab;

namespace {

// a small, fast run: Gaussian kernel with a fixed bandwidth
FlowParams smallParams(Divergence d = Divergence::ForwardKL, int n = 120, int m = 150) {
  FlowParams p;
  p.dataset = "eight_gaussians";
  p.samples = m;
  p.data_seed = 11;
  p.init = "gaussian";
  p.particles = n;
  p.init_seed = 12;
  p.kernel.kind = KernelKind::Gaussian;
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.3;
  p.weights = DivergenceWeights::single(d);
  p.step = 0.01;
  p.displacement_cap = 0.5;
  p.cap_mode = CapMode::Global;  // most tests check THEORY.md §6.3's global cap; per-particle has its own test
  return p;
}

double maxColNorm(const Points& v) { return v.colwise().norm().maxCoeff(); }

bool bitIdentical(const Points& a, const Points& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

// MMD^2 with the flow's own (unnormalized) kernel k: (1/N^2) sum k(x,x') - 2/(NM) sum k(x,y) + (1/M^2) sum k(y,y')
double flowKernelMmd2(const Points& x, const Points& y, const KernelSpec& spec) {
  const KernelEvaluator k(spec, static_cast<int>(x.rows()));
  auto mean_k = [&](const Points& a, const Points& b) {
    double s = 0.0;
    for (Eigen::Index i = 0; i < a.cols(); ++i) {
      for (Eigen::Index j = 0; j < b.cols(); ++j) s += k.value((a.col(i) - b.col(j)).squaredNorm());
    }
    return s / (static_cast<double>(a.cols()) * static_cast<double>(b.cols()));
  };
  return mean_k(x, x) - 2.0 * mean_k(x, y) + mean_k(y, y);
}

// samples of N(mu, s^2 I) in 2-D from a deterministic generator (no dependency on the engine)
Points gaussianCloud(int n, double mx, double my, double s, std::uint64_t seed) {
  std::uint64_t state = seed * 0x9E3779B97F4A7C15ULL + 1;
  auto uniform = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (static_cast<double>(state >> 11) + 0.5) / 9007199254740992.0;
  };
  Points out(2, n);
  for (int i = 0; i < n; ++i) {
    const double r = std::sqrt(-2.0 * std::log(uniform())), a = 2.0 * std::numbers::pi * uniform();
    out(0, i) = mx + s * r * std::cos(a);
    out(1, i) = my + s * r * std::sin(a);
  }
  return out;
}

}  // namespace

TEST_CASE("engine: Euler step equals x + eta_eff v computed from particleVelocity") {
  for (const double cap : {0.0, 0.5}) {
    CAPTURE(cap);
    FlowParams p = smallParams(Divergence::ReverseKL);
    p.step = cap > 0.0 ? 1.0 : 0.01;  // with the cap on, a large step so that the cap binds
    p.displacement_cap = cap;
    FlowEngine e(p);
    const Points x0 = e.particles();
    const VelocityOptions opt = e.velocityOptions();
    const Points v = particleVelocity(x0, e.data(), opt);
    const double vmax = maxColNorm(v);
    const double eta_eff = cap > 0.0 ? std::min(p.step, cap * opt.kernel.h / vmax) : p.step;
    if (cap > 0.0) REQUIRE(eta_eff < p.step);

    const StepReport r = e.step();
    REQUIRE(r.ok);
    CHECK(r.eta_used == doctest::Approx(eta_eff).epsilon(1e-14));
    CHECK(r.max_speed == doctest::Approx(vmax).epsilon(1e-14));
    CHECK(r.bandwidth == doctest::Approx(0.3).epsilon(1e-15));
    const Points expected = x0 + eta_eff * v;
    CHECK((e.particles() - expected).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK((e.velocities() - v).cwiseAbs().maxCoeff() <= 1e-12);
    CHECK(e.stepIndex() == 1);
  }
}

TEST_CASE("engine: Heun step equals x + eta/2 (v(x) + v(x + eta v(x)))") {
  FlowParams p = smallParams(Divergence::ForwardKL);
  p.integrator = Integrator::Heun;
  p.displacement_cap = 0.0;
  p.step = 0.004;
  FlowEngine e(p);
  const Points x0 = e.particles();
  const Points& y = e.data();
  const Points v1 = particleVelocity(x0, y, p.velocityOptions(x0, y, 0.0));
  const Points x_pred = x0 + p.step * v1;
  const Points v2 = particleVelocity(x_pred, y, p.velocityOptions(x_pred, y, p.step));
  const Points expected = x0 + (p.step / 2) * (v1 + v2);
  // Heun differs from Euler by O(eta^2): make sure the test can tell them apart
  REQUIRE((expected - (x0 + p.step * v1)).cwiseAbs().maxCoeff() > 1e-7);

  const StepReport r = e.step();
  REQUIRE(r.ok);
  CHECK(r.eta_used == doctest::Approx(p.step).epsilon(1e-15));
  CHECK((e.particles() - expected).cwiseAbs().maxCoeff() <= 1e-12);
  CHECK((e.velocities() - v1).cwiseAbs().maxCoeff() <= 1e-12);
}

TEST_CASE("engine: displacement cap holds exactly for Euler and Heun") {
  for (const Integrator integ : {Integrator::Euler, Integrator::Heun}) {
    CAPTURE(integratorName(integ));
    FlowParams p = smallParams(Divergence::Chi2);
    p.weights = DivergenceWeights::mixedDefault();  // the chi2 weight explodes for particles far from data
    p.init = "far";
    p.bandwidth.h = 0.1;
    p.step = 5.0;
    p.displacement_cap = 0.5;
    FlowEngine e(p);
    const double limit = p.displacement_cap * 0.1;
    for (int s = 0; s < 5; ++s) {
      const Points before = e.particles();
      const StepReport r = e.step();
      REQUIRE(r.ok);
      const double moved = maxColNorm(e.particles() - before);
      CHECK(moved <= limit + 1e-12);
      CHECK(r.eta_used < p.step);
      // the cap binds, so the fastest particle moves exactly cap * h (Euler) or at most that (Heun)
      if (integ == Integrator::Euler) CHECK(moved == doctest::Approx(limit).epsilon(1e-9));
    }
  }
}

TEST_CASE("engine: per-particle cap clips only the fast particles and keeps the full step") {
  FlowParams p = smallParams(Divergence::ReverseKL);
  p.weights = DivergenceWeights::mixedDefault();
  p.cap_mode = CapMode::PerParticle;
  p.bandwidth.h = 0.1;
  p.displacement_cap = 0.5;
  FlowEngine e(p);
  const Points x0 = e.particles();
  const VelocityOptions opt = e.velocityOptions();
  const Points v = particleVelocity(x0, e.data(), opt);
  const double limit = p.displacement_cap * opt.kernel.h;
  // choose the step so that the median-speed particle moves exactly `limit`: about half are clipped
  std::vector<double> speeds(v.cols());
  for (Eigen::Index i = 0; i < v.cols(); ++i) speeds[i] = v.col(i).norm();
  std::nth_element(speeds.begin(), speeds.begin() + speeds.size() / 2, speeds.end());
  p.step = limit / speeds[speeds.size() / 2];
  e.setParams(p);
  // expected: each column of eta v, shortened to `limit` when longer
  Points expected = x0;
  int clipped = 0;
  for (Eigen::Index i = 0; i < v.cols(); ++i) {
    const double len = p.step * v.col(i).norm();
    const double scale = len > limit ? limit / len : 1.0;
    if (len > limit) ++clipped;
    expected.col(i) += scale * p.step * v.col(i);
  }
  const StepReport r = e.step();
  REQUIRE(r.ok);
  CHECK(r.eta_used == doctest::Approx(p.step).epsilon(1e-15));
  CHECK(e.time() == doctest::Approx(p.step).epsilon(1e-15));
  CHECK((e.particles() - expected).cwiseAbs().maxCoeff() <= 1e-12);
  CHECK(maxColNorm(e.particles() - x0) <= limit + 1e-12);
  CHECK(clipped > 0);         // the cap binds for the fast particles ...
  CHECK(clipped < v.cols());  // ... but not for all of them, so the test tells the modes apart
}

TEST_CASE("engine: flow time is the sum of the effective steps") {
  FlowParams p = smallParams(Divergence::ReverseKL);
  p.step = 0.2;  // large enough that the cap binds on some steps
  FlowEngine e(p);
  double sum = 0.0;
  bool capped = false;
  for (int s = 0; s < 12; ++s) {
    const StepReport r = e.step();
    REQUIRE(r.ok);
    sum += r.eta_used;
    capped = capped || r.eta_used < p.step;
  }
  CHECK(capped);
  CHECK(e.stepIndex() == 12);
  CHECK(e.time() == doctest::Approx(sum).epsilon(1e-14));
  CHECK(e.time() < 12 * p.step);
}

TEST_CASE("engine: reset and identical engines reproduce bit-identical trajectories") {
  FlowParams p = smallParams(Divergence::ReverseKL);
  p.weights = DivergenceWeights::mixedDefault();
  p.integrator = Integrator::Heun;
  FlowEngine a(p), b(p);
  const Points x_init = a.particles();
  for (int s = 0; s < 6; ++s) {
    a.step();
    b.step();
  }
  a.addParticlesFromKde(5);
  b.addParticlesFromKde(5);
  a.step();
  b.step();
  CHECK(bitIdentical(a.particles(), b.particles()));
  const Points x_after = a.particles();

  a.reset();
  CHECK(a.time() == 0.0);
  CHECK(a.stepIndex() == 0);
  CHECK(bitIdentical(a.particles(), x_init));
  for (int s = 0; s < 6; ++s) a.step();
  a.addParticlesFromKde(5);
  a.step();
  CHECK(bitIdentical(a.particles(), x_after));

  // a new seed gives a different run; reseeding back gives the first one again
  a.reseed(p.data_seed, p.init_seed + 100);
  CHECK_FALSE(bitIdentical(a.particles(), x_init));
  CHECK(a.params().init_seed == p.init_seed + 100);
  a.reseed(p.data_seed, p.init_seed);
  CHECK(bitIdentical(a.particles(), x_init));
}

TEST_CASE("engine: live kernel and weight changes do not touch positions, data or time") {
  FlowEngine e(smallParams(Divergence::ForwardKL));
  for (int s = 0; s < 3; ++s) e.step();
  const Points x = e.particles(), y = e.data();
  const double t = e.time();

  FlowParams p = e.params();
  p.kernel.kind = KernelKind::Laplacian;
  p.weights = DivergenceWeights::mixedDefault();
  p.bandwidth.h = 0.25;
  p.integrator = Integrator::Heun;
  e.setParams(p);
  CHECK(bitIdentical(e.particles(), x));
  CHECK(bitIdentical(e.data(), y));
  CHECK(e.time() == t);
  CHECK(e.stepIndex() == 3);
  CHECK(e.currentBandwidth() == doctest::Approx(0.25).epsilon(1e-15));
  CHECK(e.velocityOptions().kernel.kind == KernelKind::Laplacian);

  // the next step uses the new field
  FlowParams euler = p;
  euler.integrator = Integrator::Euler;
  euler.displacement_cap = 0.0;
  e.setParams(euler);
  const Points v = particleVelocity(x, y, e.velocityOptions());
  e.step();
  CHECK((e.particles() - (x + euler.step * v)).cwiseAbs().maxCoeff() <= 1e-12);

  // a new data seed regenerates the data but keeps the particles
  const Points x2 = e.particles();
  FlowParams q = e.params();
  q.data_seed += 1;
  e.setParams(q);
  CHECK(bitIdentical(e.particles(), x2));
  CHECK_FALSE(bitIdentical(e.data(), y));
}

TEST_CASE("engine: particle count up and down keeps the existing particles") {
  FlowParams p = smallParams(Divergence::ForwardKL, 100);
  FlowEngine e(p);
  e.step();
  const Points x = e.particles();

  p.particles = 137;
  e.setParams(p);
  REQUIRE(e.particles().cols() == 137);
  CHECK(bitIdentical(e.particles().leftCols(100), x));
  CHECK(e.particles().allFinite());
  CHECK(e.velocities().cols() == 137);
  // added particles come from q_hat: each lies within a few bandwidths of some existing particle
  for (Eigen::Index i = 100; i < 137; ++i) {
    const double nearest = (x.colwise() - e.particles().col(i)).colwise().norm().minCoeff();
    CHECK(nearest < 6.0 * 0.3);
  }

  p.particles = 80;
  e.setParams(p);
  REQUIRE(e.particles().cols() == 80);
  CHECK(bitIdentical(e.particles(), x.leftCols(80)));
  CHECK(e.velocities().cols() == 80);
  e.step();  // still steps with the new count
  CHECK(e.particles().allFinite());
}

TEST_CASE("engine: a non-finite step is rolled back, the step halved and a warning given") {
  FlowParams p = smallParams(Divergence::ForwardKL);
  p.displacement_cap = 0.0;
  p.step = 1e308;  // x + eta v overflows to infinity
  FlowEngine e(p);
  const Points x = e.particles();
  const StepReport r = e.step();
  CHECK_FALSE(r.ok);
  CHECK(bitIdentical(e.particles(), x));
  CHECK(e.time() == 0.0);
  CHECK(e.stepIndex() == 0);
  CHECK(e.currentStep() == doctest::Approx(0.5e308).epsilon(1e-15));
  CHECK(r.warning.find("non-finite") != std::string::npos);
  CHECK(r.warning.find("halved to 5e+307") != std::string::npos);

  // a second failure halves again; changing the step size restores it
  CHECK_FALSE(e.step().ok);
  CHECK(e.currentStep() == doctest::Approx(0.25e308).epsilon(1e-15));
  p.step = 0.01;
  e.setParams(p);
  CHECK(e.currentStep() == 0.01);
  CHECK(e.step().ok);
}

TEST_CASE("engine: edits validate their input and keep at least one point") {
  FlowEngine e(smallParams(Divergence::ForwardKL, 50, 60));
  const Points x = e.particles();

  // bad input throws and leaves the state as it was
  Eigen::VectorXd nan_pos(2);
  nan_pos << std::nan(""), 0.0;
  CHECK_THROWS_AS(e.setParticle(0, nan_pos), InvalidArgument);
  CHECK_THROWS_AS(e.setParticle(50, Eigen::Vector2d(0, 0)), InvalidArgument);
  CHECK_THROWS_AS(e.setParticle(0, Eigen::Vector3d(0, 0, 0)), InvalidArgument);
  CHECK_THROWS_AS(e.addParticles(Points::Zero(3, 2)), InvalidArgument);
  CHECK_THROWS_AS(e.removeParticles(-1), InvalidArgument);
  CHECK_THROWS_AS(e.eraseData(Eigen::Vector2d(0, 0), -1.0), InvalidArgument);
  CHECK_THROWS_AS(e.setData(Points(2, 0)), InvalidArgument);
  CHECK(bitIdentical(e.particles(), x));

  // particles
  e.setParticle(3, Eigen::Vector2d(0.25, -0.5));
  CHECK(e.particles()(0, 3) == 0.25);
  CHECK(e.particles()(1, 3) == -0.5);
  e.addParticles(Points::Constant(2, 4, 0.1));
  CHECK(e.particles().cols() == 54);
  CHECK(e.velocities().cols() == 54);
  e.removeParticles(1000);
  CHECK(e.particles().cols() == 1);
  CHECK(e.particles()(0, 0) == x(0, 0));

  // data
  REQUIRE(e.modeCentres().cols() == 8);  // eight_gaussians is a mixture
  e.addData(Points::Constant(2, 3, 0.0));
  CHECK(e.data().cols() == 63);
  e.eraseData(Eigen::Vector2d(0, 0), 1e-9);  // removes exactly the three added points
  CHECK(e.data().cols() == 60);
  e.eraseData(Eigen::Vector2d(0, 0), 1e9);
  CHECK(e.data().cols() == 1);
  e.setData(Points::Constant(2, 5, 1.0));
  CHECK(e.data().cols() == 5);
  CHECK(e.modeCentres().cols() == 0);
  CHECK(e.step().ok);
}

TEST_CASE("engine: invalid parameters are rejected and the run is untouched") {
  FlowEngine e(smallParams(Divergence::ForwardKL));
  e.step();
  const Points x = e.particles();
  const FlowParams before = e.params();
  FlowParams bad = before;
  bad.step = -1.0;
  bad.particles = 500;
  CHECK_THROWS_AS(e.setParams(bad), InvalidArgument);
  bad = before;
  bad.dataset = "no_such_dataset";
  CHECK_THROWS_AS(e.setParams(bad), InvalidArgument);
  CHECK(e.params() == before);
  CHECK(bitIdentical(e.particles(), x));
  CHECK(e.stepIndex() == 1);

  FlowParams ctor_bad = before;
  ctor_bad.bandwidth.h = 0.0;
  CHECK_THROWS_AS(FlowEngine{ctor_bad}, InvalidArgument);
}

TEST_CASE("engine: metrics use the reference bandwidth and report step and time") {
  FlowParams p = smallParams(Divergence::ForwardKL);
  p.metrics_h = 0.2;
  FlowEngine e(p);
  e.step();
  e.step();
  const Metrics m = e.metrics();
  CHECK(m.step == 2);
  CHECK(m.time == doctest::Approx(e.time()).epsilon(1e-15));
  MetricsOptions o;
  o.reference_h = 0.2;
  const Metrics direct = computeMetrics(e.particles(), e.data(), e.modeCentres(), e.modeWeights(),
                                        e.velocityOptions(), o);
  CHECK(m.mmd2 == doctest::Approx(direct.mmd2).epsilon(1e-12));
  CHECK(m.mmd2 == doctest::Approx(mmd2Biased(e.particles(), e.data(), 0.2)).epsilon(1e-9));
  CHECK(m.modes_total == 8);
}

// THEORY.md §13 item 13: F(X + eta V) - F(X) = -(2 eta / N) sum |V_i|^2 + O(eta^2), F = MMD^2 with the flow kernel
TEST_CASE("engine: a small MMD step decreases the flow-kernel MMD^2 as predicted") {
  FlowParams p = smallParams(Divergence::MMD, 100, 100);
  p.leave_one_out = false;  // the exact particle gradient of MMD^2 includes the (zero-gradient) self term
  p.displacement_cap = 0.0;
  p.step = 1e-3;
  FlowEngine e(p);
  const KernelSpec k = e.velocityOptions().kernel;
  const double f0 = flowKernelMmd2(e.particles(), e.data(), k);
  const StepReport r = e.step();
  REQUIRE(r.ok);
  const double f1 = flowKernelMmd2(e.particles(), e.data(), k);
  const double n = static_cast<double>(e.particles().cols());
  const double predicted = -(2.0 * r.eta_used / n) * e.velocities().colwise().squaredNorm().sum();
  const double actual = f1 - f0;
  REQUIRE(predicted < 0.0);
  CHECK(actual < 0.0);
  CHECK(std::abs(actual - predicted) <= 0.005 * std::abs(predicted));  // reference: 5e-4 relative
}

// THEORY.md §4.5 / §13 item 18: p = N(mu_p, s^2 I), q = N(0, s^2 I) (the 'gaussian' layout, s = 0.5),
// Gaussian kernel h. The population forward-KL velocity is (mu_p - x)/(s^2+h^2) + x/(s^2+h^2)
// = mu_p/(s^2+h^2) for every x, and the particle mean follows mu' = (mu_p - mu)/(s^2+h^2).
TEST_CASE("engine: Gaussian population flow moves the particle mean at h^2 (mu_p - mu_q)/(s^2 + h^2)") {
  const double s = 0.5, h = 0.3, mpx = 0.5, mpy = -0.25;
  const double a = 1.0 / (s * s + h * h);
  constexpr int kN = 2000;
  FlowParams p = smallParams(Divergence::ForwardKL, kN, 100);
  p.bandwidth.h = h;
  p.displacement_cap = 0.0;
  p.step = 0.02;
  FlowEngine e(p);
  e.setData(gaussianCloud(kN, mpx, mpy, s, 7));
  const Eigen::Vector2d mu0 = e.particles().rowwise().mean();

  // mean velocity at t = 0 (Monte-Carlo: KDE noise of N = M = 2000 samples, a few percent)
  const Points v = particleVelocity(e.particles(), e.data(), e.velocityOptions());
  const Eigen::Vector2d v_mean = v.rowwise().mean();
  const Eigen::Vector2d v_pop(a * (mpx - mu0(0)), a * (mpy - mu0(1)));
  CHECK((v_mean - v_pop).norm() <= 0.06 * v_pop.norm());

  // DM units: the Gaussian mean-shift field is h^2 times the forward-KL field
  FlowParams drift = e.params();
  drift.weights = DivergenceWeights::single(Divergence::Drift);
  e.setParams(drift);
  const Eigen::Vector2d vd_mean = particleVelocity(e.particles(), e.data(), e.velocityOptions()).rowwise().mean();
  CHECK((vd_mean - h * h * v_pop).norm() <= 0.06 * h * h * v_pop.norm());
  e.setParams(p);

  // ten Euler steps: mu_k - mu_p = (1 - eta a)^k (mu_0 - mu_p)
  for (int k = 0; k < 10; ++k) REQUIRE(e.step().ok);
  const Eigen::Vector2d mu_p(mpx, mpy);
  const Eigen::Vector2d predicted = mu_p + std::pow(1.0 - p.step * a, 10) * (mu0 - mu_p);
  const Eigen::Vector2d mu10 = e.particles().rowwise().mean();
  CHECK((mu10 - predicted).norm() <= 0.05 * (predicted - mu0).norm());
  // the spread stays s when s_q = s_p (ds/dt = 0)
  const double spread = std::sqrt((e.particles().colwise() - mu10).squaredNorm() / (2.0 * kN));
  CHECK(spread == doctest::Approx(s).epsilon(0.03));
}
