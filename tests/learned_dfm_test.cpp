// The learned DFM drift (THEORY.md §12.4): its training lowers the regression loss, and samples
// drawn with it reach the data's law on eight Gaussians.
#include <doctest/doctest.h>

#include <cmath>

#include "base/rng.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"

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

TEST_CASE("dfm learned drift: training lowers the loss and brings its samples towards the data's law"
          * doctest::test_suite("slow")) {
  const Points data = sampleDataset("eight_gaussians", 1024, 1).points;
  DfmBridge bridge;
  bridge.sigma = 0.5;
  const double eps = 1e-3;
  LearnedDriftOptions opt;
  opt.decay_steps = 3000;
  LearnedDfmDrift drift(2, bridge, eps, opt);
  const Points fresh = sampleDataset("eight_gaussians", 1024, 99).points;
  const Points fresh2 = sampleDataset("eight_gaussians", 1024, 98).points;
  const double floor = energyDistance(fresh2, fresh);
  const double untrained = energyDistance(sampleWithLearnedDrift(drift, bridge, eps, 200, 1024, 7), fresh);
  double first = 0, last = 0;
  for (int k = 0; k < opt.decay_steps; ++k) {
    const double loss = drift.trainStep(data);
    if (k < 50) first += loss / 50;
    if (k >= opt.decay_steps - 50) last += loss / 50;
  }
  CHECK(drift.trainedSteps() == 3000);
  const double e = energyDistance(sampleWithLearnedDrift(drift, bridge, eps, 200, 1024, 7), fresh);
  CAPTURE(first);
  CAPTURE(last);
  CAPTURE(untrained);
  CAPTURE(e);
  CAPTURE(floor);
  // measured (THEORY.md §12.4): loss 0.215 -> 0.194 (most of it is Var(X_1 | X_t), which no
  // drift removes), energy 7.4x the floor of two fresh data sets after 3000 steps, 5.8x after
  // 6000; the 3x the floor that the oracle drift reaches is not reached yet
  CHECK(last < first - 0.01);
  CHECK(e < 12.0 * floor);
  CHECK(untrained > 4.0 * e);
}
