// The learned DFM drift (THEORY.md §12.4): its regression gradient against central finite
// differences, and samples drawn with it after training on eight Gaussians reach the data's law
// (within 3x the floor of two fresh data sets).
#include <doctest/doctest.h>

#include <cmath>
#include <random>

#include "base/rng.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"
#include "driftlab/generator/mlp.hpp"

using namespace driftlab;

namespace {

// Euler-Maruyama from N(0, s0^2 I) at t = 0 to t = 1 - eps under b_theta (THEORY.md §12.3)
Points sampleWithLearnedDrift(const LearnedDfmDrift& drift, const DfmBridge& bridge, double eps, int steps, int n,
                              std::uint64_t seed) {
  seeded::Rng rng(seed);
  Points x(2, n);
  for (int k = 0; k < n; ++k)
    for (int r = 0; r < 2; ++r) x(r, k) = bridge.source_std * rng.normal();
  const double dt = (1.0 - eps) / steps;
  for (int s = 0; s < steps; ++s) {
    const double t = s * dt;
    x += drift.drift(x, t) * dt;
    if (bridge.sigma > 0.0)
      for (int k = 0; k < n; ++k)
        for (int r = 0; r < 2; ++r) x(r, k) += bridge.sigma * std::sqrt(dt) * rng.normal();
  }
  return x;
}

}  // namespace

TEST_CASE("dfm learned drift: the regression gradient matches central finite differences (double network)") {
  MlpArchitecture arch;
  arch.input_dim = 3;
  arch.hidden = {6, 5};
  arch.output_dim = 2;
  arch.activation = Activation::SiLU;
  MlpD net(arch, 5);
  for (double& p : net.parameters()) p += 0.03;
  const DfmBridge bridge{1.0, 0.5};
  // a bridge batch with times from early to very late (where 1 / scale is large)
  std::mt19937_64 rng(3);
  std::normal_distribution<double> z(0.0, 1.0);
  const int batch = 9;
  Points xt(2, batch), x1(2, batch);
  std::vector<double> t(batch);
  for (int k = 0; k < batch; ++k) {
    t[std::size_t(k)] = k == batch - 1 ? 0.999 : 0.1 * k + 0.05;
    for (int r = 0; r < 2; ++r) {
      x1(r, k) = z(rng);
      xt(r, k) = (1 - t[std::size_t(k)]) * z(rng) + t[std::size_t(k)] * x1(r, k) +
                 0.5 * std::sqrt(t[std::size_t(k)] * (1 - t[std::size_t(k)])) * z(rng);
    }
  }
  const Points in = driftNetworkInputs(xt, t);
  CHECK(in(2, 0) == doctest::Approx(2 * 0.05 - 1));
  auto lossOf = [&]() { return bridgeRegressionLoss(bridge, xt, x1, t, net.evaluate(in), nullptr); };
  Points grad_out;
  const double loss = bridgeRegressionLoss(bridge, xt, x1, t, net.forward(in), &grad_out);
  CHECK(loss == doctest::Approx(lossOf()).epsilon(1e-15));
  net.backward(grad_out);
  const std::vector<double> analytic(net.parameterGradients().begin(), net.parameterGradients().end());
  double worst = 0.0;
  const double eps = 1e-6;
  for (long i = 0; i < net.parameterCount(); ++i) {
    const double keep = net.parameters()[std::size_t(i)];
    net.parameters()[std::size_t(i)] = keep + eps;
    const double lp = lossOf();
    net.parameters()[std::size_t(i)] = keep - eps;
    const double lm = lossOf();
    net.parameters()[std::size_t(i)] = keep;
    const double fd = (lp - lm) / (2 * eps);
    worst = std::max(worst, std::fabs(analytic[std::size_t(i)] - fd) / std::max(1.0, std::fabs(fd)));
  }
  CAPTURE(worst);
  CHECK(worst < 1e-6);
}

TEST_CASE("dfm learned drift: after 3000 training steps its samples are within 3x the data floor on eight Gaussians"
          * doctest::test_suite("slow")) {
  const Points data = sampleDataset("eight_gaussians", 1024, 1).points;
  DfmBridge bridge;
  bridge.sigma = 0.5;
  const double eps = 1e-3;
  LearnedDriftOptions opt;
  opt.decay_steps = 3000;
  LearnedDfmDrift drift(2, bridge, eps, opt);
  const Points fresh = sampleDataset("eight_gaussians", 1024, 99).points;
  // the floor: two fresh data sets of the same size, averaged over three
  double floor = 0.0;
  for (int s = 0; s < 3; ++s) floor += energyDistance(sampleDataset("eight_gaussians", 1024, 98 - s).points, fresh) / 3;
  const double untrained = energyDistance(sampleWithLearnedDrift(drift, bridge, eps, 200, 1024, 7), fresh);
  double first = 0, last = 0;
  for (int k = 0; k < opt.decay_steps; ++k) {
    const double loss = drift.trainStep(data);
    if (k < 50) first += loss / 50;
    if (k >= opt.decay_steps - 50) last += loss / 50;
  }
  CHECK(drift.trainedSteps() == 3000);
  CHECK(drift.losses().size() == 3000u);
  double e = 0.0;
  for (int s = 0; s < 3; ++s) e += energyDistance(sampleWithLearnedDrift(drift, bridge, eps, 200, 1024, 7 + s), fresh) / 3;
  CAPTURE(first);
  CAPTURE(last);
  CAPTURE(untrained);
  CAPTURE(e);
  CAPTURE(floor);
  // measured (THEORY.md §12.4): 1.0x the floor for sigma = 0.5 (1.4x for sigma = 0) over sampler
  // seeds 7-9; before the loss weighted every t alike it was 5.9x (a ring, not eight modes)
  CHECK(last < first);
  CHECK(e < 3.0 * floor);
  CHECK(untrained > 20.0 * e);
}
