// The JKO step (THEORY.md §11.2): on a quadratic potential it is exactly x / (1 + a tau), where
// explicit Euler gives x (1 - a tau); on particles it never raises the objective, for any step,
// and moves the mean of N(m, s^2) towards the target's like m / (1 + tau').
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <string>

#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "error_of.hpp"
#include "flow/jko_step.hpp"
#include "test_files.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

// F(X) = (a / 2N) sum |x_i|^2, v = -N grad F = -a x
detail::JkoField quadratic(double a) {
  return [a](const Points& x, Points& v) {
    v = -a * x;
    return 0.5 * a * x.squaredNorm() / double(x.cols());
  };
}

// N(mean, sd^2 I) points in 2-D, written as a CSV with a header
std::string gaussianCsv(const std::string& name, int n, double mean_x, double sd, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  const std::string path = testing::processTmpDir("jko_test") + "/" + name;
  std::ofstream out(path);
  out.precision(17);
  out << "x,y\n";
  for (int i = 0; i < n; ++i) out << mean_x + sd * z(rng) << "," << sd * z(rng) << "\n";
  return path;
}

// forward KL from N((2, 0), 0.3^2 I) particles to N(0, I) data, Gaussian kernel h = 0.1, no cap
FlowParams gaussianToGaussian(Integrator integrator, double tau, VelocityMode mode = VelocityMode::PlugIn) {
  FlowParams p;
  p.dataset = "csv";
  p.data_csv = gaussianCsv("data.csv", 3000, 0.0, 1.0, 11);
  p.init = "csv";
  p.init_csv = gaussianCsv("init.csv", 2000, 2.0, 0.3, 12);
  p.kernel.kind = KernelKind::Gaussian;
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.1;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  p.integrator = integrator;
  p.step = tau;
  p.displacement_cap = 0.0;
  p.jko_inner_steps = 100;
  p.jko_tol = 1e-6;
  p.velocity_mode = mode;
  p.smoothed_grid = 64;
  return p;
}

double objectiveOf(const FlowEngine& e) { return objectiveValue(e.particles(), e.data(), e.velocityOptions()); }

}  // namespace

TEST_CASE("jko: quadratic potential, one step is x / (1 + a tau) to 1e-8 where explicit Euler gives x (1 - a tau)") {
  Points x0(2, 5);
  x0 << 1.0, -2.0, 0.5, 3.0, -1.5, 0.25, 2.0, -0.75, 1.25, -3.0;
  const double a = 1.0;
  for (const double a_tau : {0.5, 2.0, 3.0, 10.0}) {
    CAPTURE(a_tau);
    const double tau = a_tau / a;
    const detail::JkoResult r = detail::jkoStep(x0, {tau, 200, 1e-12}, quadratic(a));
    REQUIRE(r.finite);
    CHECK(r.converged);
    CHECK((r.x - x0 / (1.0 + a_tau)).cwiseAbs().maxCoeff() < 1e-8);
    CHECK(r.residual <= 1e-12 * tau * std::sqrt(a * a * x0.squaredNorm() / 5.0));
    // explicit Euler from the same point: x + tau v = x (1 - a tau), which grows for a tau > 2
    const Points euler = x0 + tau * (-a * x0);
    CHECK((euler - x0 * (1.0 - a_tau)).cwiseAbs().maxCoeff() < 1e-12);
  }
  // THEORY.md §13: a tau = 3 gives -2x explicitly and x / 4 by JKO
  const detail::JkoResult r3 = detail::jkoStep(x0, {3.0, 200, 1e-12}, quadratic(1.0));
  CHECK(r3.x(0, 0) == doctest::Approx(0.25).epsilon(1e-9));
}

TEST_CASE("jko: a velocity that is not finite is reported, not stepped on") {
  Points x0 = Points::Ones(2, 3);
  const detail::JkoResult r = detail::jkoStep(x0, {0.5, 10, 1e-8}, [](const Points& x, Points& v) {
    v = Points::Constant(x.rows(), x.cols(), std::nan(""));
    return 0.0;
  });
  CHECK_FALSE(r.finite);
}

TEST_CASE("jko: with the exact smoothed velocity the objective never rises, for steps up to 10, while explicit Euler's does"
          * doctest::test_suite("slow")) {
  // the exact smoothed velocity is -N grad of the smoothed functional the objective curve shows,
  // so every JKO step lowers F + W2^2 / (2 tau) below F at its start (THEORY.md §11.2)
  for (const double tau : {0.5, 2.0, 10.0}) {
    CAPTURE(tau);
    FlowParams p = gaussianToGaussian(Integrator::Jko, tau, VelocityMode::ExactSmoothed);
    p.jko_inner_steps = 10;  // the guarantee holds after any number of inner iterations
    FlowEngine jko(p);
    double f = objectiveOf(jko);
    for (int k = 0; k < 2; ++k) {
      const StepReport r = jko.step();
      REQUIRE(r.ok);
      CHECK(r.inner_iterations >= 1);
      const double f_next = objectiveOf(jko);
      CHECK(f_next <= f + 1e-12);
      f = f_next;
    }
  }
  // explicit Euler at tau = 10 overshoots the target by far: the objective rises (or the step
  // rolls back on a non-finite value)
  FlowEngine euler(gaussianToGaussian(Integrator::Euler, 10.0, VelocityMode::ExactSmoothed));
  const double f0 = objectiveOf(euler);
  const StepReport r = euler.step();
  CHECK((!r.ok || !(objectiveOf(euler) <= f0)));
}

TEST_CASE("jko: the mean of N(2, 0.3^2) particles flowing to N(0, I) data follows m / (1 + tau')^k (exact smoothed velocity)"
          * doctest::test_suite("slow")) {
  // with a Gaussian kernel of width h the KDE target is N(0, (1 + h^2) I), whose score is
  // -x / (1 + h^2), and the particle score has mean 0 for a Gaussian cloud: the implicit step
  // gives m_{k+1} = m_k / (1 + tau'), tau' = tau / (1 + h^2) (THEORY.md §11.2)
  const double tau = 0.7, h = 0.1, tau_eff = tau / (1.0 + h * h);
  FlowParams p = gaussianToGaussian(Integrator::Jko, tau, VelocityMode::ExactSmoothed);
  p.jko_inner_steps = 40;
  FlowEngine e(p);
  const double m0 = e.particles().row(0).mean();
  for (int k = 1; k <= 2; ++k) {
    const StepReport rep = e.step();
    REQUIRE(rep.ok);
    const double expected = m0 / std::pow(1.0 + tau_eff, k);
    CAPTURE(k);
    // Monte-Carlo: the data mean of 3000 points is off by ~0.02, which the flow carries over
    CHECK(std::abs(e.particles().row(0).mean() - expected) < 0.03);
  }
}

TEST_CASE("jko: settings and their checks") {
  Scenario s = defaultScenario();
  applySetting(s, "integrator=jko");
  applySetting(s, "jko.inner_steps=80");
  applySetting(s, "jko.tol=1e-8");
  CHECK(s.params.integrator == Integrator::Jko);
  CHECK(s.params.jko_inner_steps == 80);
  CHECK(s.params.jko_tol == 1e-8);
  CHECK(scenarioFromJson(scenarioToJson(s), "round trip") == s);
  CHECK(errorOf([&] { applySetting(s, "jko.inner_steps=0"); }).find("jko.inner_steps") != std::string::npos);
  CHECK(errorOf([&] { applySetting(s, "geometry=sphere"); }).find("jko runs in the plane only") != std::string::npos);
}

TEST_CASE("jko: plug-in fields are solved by Newton-Krylov steps, also where v expands; a field with no solution stalls") {
  Points x0(2, 3);
  x0 << 1.0, -2.0, 0.5, 3.0, -1.5, 0.25;
  // v = a x with a tau = 2: the implicit step x = x^k + tau a x gives x^k / (1 - a tau) = -x^k;
  // the plain residual direction rises here, the Newton direction does not
  const detail::JkoResult r = detail::jkoStep(x0, {2.0, 20, 1e-10, false}, [](const Points& x, Points& v) {
    v = x;
    return std::nan("");
  });
  CHECK_FALSE(r.stalled);
  CHECK(r.converged);
  CHECK((r.x + x0).cwiseAbs().maxCoeff() < 1e-8);
  // the quadratic potential, as a plug-in field: x / (1 + a tau)
  const detail::JkoResult q = detail::jkoStep(x0, {3.0, 20, 1e-10, false}, quadratic(1.0));
  CHECK(q.converged);
  CHECK((q.x - x0 / 4.0).cwiseAbs().maxCoeff() < 1e-8);
  // v = (x - x^k) / tau + c: the residual is -c wherever x is, so no step lowers it; the step
  // reports itself stalled at x^k (the engine then takes the explicit step, flow_engine.cpp)
  const double tau = 0.5;
  const detail::JkoResult s = detail::jkoStep(x0, {tau, 20, 1e-8, false}, [&](const Points& x, Points& v) {
    v = (x - x0) / tau + Points::Ones(x.rows(), x.cols());
    return std::nan("");
  });
  CHECK(s.stalled);
  CHECK_FALSE(s.converged);
  CHECK(s.x == x0);
}
