// Nearest-training-point distances and the memorization ratio (THEORY.md §8.6): hand cases, and
// the oracle DFM sampler (which copies training points) against fresh draws of the same law.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/memorization.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"

using namespace driftlab;

TEST_CASE("memorization: nearest distances and the median ratio on hand-made sets") {
  Points train(2, 2), samples(2, 3), fresh(2, 2);
  train << 0.0, 10.0, 0.0, 0.0;
  samples << 3.0, 10.0, 6.0, 4.0, 0.5, 0.0;  // distances 5, 0.5, 4
  fresh << 1.0, 9.0, 0.0, 0.0;                // distances 1, 1
  const Vec d = nearestDataDistances(samples, train);
  CHECK(d[0] == doctest::Approx(5.0).epsilon(1e-15));
  CHECK(d[1] == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(d[2] == doctest::Approx(4.0).epsilon(1e-15));
  const MemorizationRatio r = memorizationRatio(samples, train, fresh);
  CHECK(r.sample_median == doctest::Approx(4.0).epsilon(1e-15));
  CHECK(r.fresh_median == doctest::Approx(1.0).epsilon(1e-15));
  CHECK(r.ratio == doctest::Approx(4.0).epsilon(1e-15));
  // an even count takes the mean of the two middle values
  CHECK(memorizationRatio(samples.leftCols(2), train, fresh).sample_median == doctest::Approx(2.75).epsilon(1e-15));
  CHECK(fractionNearData(samples, train, 0.5) == doctest::Approx(1.0 / 3.0).epsilon(1e-15));
  // copies of the training points have ratio 0
  CHECK(memorizationRatio(train, train, fresh).ratio == 0.0);
  CHECK_THROWS_AS(memorizationRatio(Points(3, 2), train, fresh), InvalidArgument);
  CHECK_THROWS_AS(nearestDataDistances(samples, Points(2, 0)), InvalidArgument);
}

TEST_CASE("memorization: the oracle DFM sampler with sigma = 0 copies training points, fresh data do not") {
  FlowParams p;
  p.mode = FlowMode::Dfm;
  p.particles = 400;
  p.samples = 400;
  p.dfm_sigma = 0.0;
  p.dfm_steps = 200;
  FlowEngine e(p);
  for (int k = 0; k < p.dfm_steps; ++k) REQUIRE(e.step().ok);
  const Points fresh = sampleDataset(p.dataset, 400, 12345).points;
  const MemorizationRatio r = memorizationRatio(e.particles(), e.data(), fresh);
  // eight Gaussians of sd 0.05 (THEORY.md §9.1) with 400 points: a fresh point's nearest training
  // point is about 0.013 away, a DFM sample ends epsilon |x0 - y| from one (measured ratio 0.196;
  // two fresh sets give 0.94, so 0.5 separates copies from new points with room on both sides)
  CHECK(r.fresh_median > 5e-3);
  CHECK(r.ratio < 0.5);
  // fresh draws against the training set: the ratio of two independent fresh sets is about 1
  const Points fresh2 = sampleDataset(p.dataset, 400, 777).points;
  const double ratio_fresh = memorizationRatio(fresh2, e.data(), fresh).ratio;
  CHECK(ratio_fresh > 0.7);
  CHECK(ratio_fresh < 1.4);
}
