// The digits presets state measured outcomes (THEORY.md §9.5); each test runs the preset headless
// over the seeds behind those numbers (`driftlab-cli run --seed S`: data seed S, init seed S + 1)
// and checks them with a margin from the seed-to-seed spread. The reference is the "subset floor":
// the energy distance of a 500-image subset of the data to all of it. In the "slow" suite (a few
// hundred 64-D steps per seed, 400 training steps; the AddressSanitizer check skips it). Needs
// python3-sklearn's digits.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"

using namespace driftlab;

namespace {

FlowEngine startPreset(const Scenario& base, std::uint64_t seed) {
  Scenario s = base;
  s.params.data_seed = seed;
  s.params.init_seed = seed + 1;
  return FlowEngine(s.params);
}

// energy distance of n data columns drawn without replacement (seeded) to all of the data
double subsetFloor(const Points& data, int n, std::uint64_t seed) {
  std::vector<int> order(static_cast<std::size_t>(data.cols()));
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  Points subset(data.rows(), n);
  for (int i = 0; i < n; ++i) subset.col(i) = data.col(order[static_cast<std::size_t>(i)]);
  return energyDistance(subset, data);
}

// median over particles of the distance to the nearest data column
double medianNearestData(const Points& x, const Points& data) {
  std::vector<double> nearest;
  for (Eigen::Index i = 0; i < x.cols(); ++i)
    nearest.push_back(std::sqrt((data.colwise() - x.col(i)).colwise().squaredNorm().minCoeff()));
  std::nth_element(nearest.begin(), nearest.begin() + static_cast<long>(nearest.size() / 2), nearest.end());
  return nearest[nearest.size() / 2];
}

}  // namespace

TEST_CASE("digits presets: forward KL at h = 2 reaches all ten classes and 1.5x the subset floor by step 400"
          * doctest::test_suite("slow")) {
  // measured, seeds 1-3: 10/10 at step 10; energy .0064 / .0063 / .0063 at step 400; subset floor
  // .0042-.0057; nearest image 1.49 away (median) vs 1.0 between images. With leave-one-out the same
  // flow ended at .061-.064 (14x the floor) and then drifted off: the check that it is off here.
  const Scenario preset = presetScenario("digits_particles");
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine e = startPreset(preset, seed);
    REQUIRE(e.data().rows() == 64);
    REQUIRE(e.particles().cols() == 500);
    const double start = energyDistance(e.particles(), e.data());
    for (int k = 0; k < 50; ++k) e.step();
    const Metrics at50 = e.metrics();
    for (long k = 50; k < preset.steps; ++k) e.step();
    const double end = energyDistance(e.particles(), e.data());
    const double floor = subsetFloor(e.data(), 500, seed);
    const double nearest = medianNearestData(e.particles(), e.data());
    MESSAGE("seed " << seed << ": classes at step 50 " << at50.modes_covered << ", energy " << start << " -> "
                    << end << ", subset floor " << floor << ", median nearest image " << nearest);
    CHECK_FALSE(preset.params.leave_one_out);
    CHECK(at50.modes_covered == 10);
    CHECK(start > 2.3);
    CHECK(end < 0.0068);
    CHECK(end < 3.0 * floor);  // the bar: within 3x the data-vs-data level (1.1-1.5x measured)
    CHECK(nearest > 1.3);      // new digits: not copies of the images (1.0 between images)
  }
}

TEST_CASE("digits presets: on S^63 the mixed flow goes below a 500-image subset's energy without copying"
          * doctest::test_suite("slow")) {
  // measured, seeds 1-3, chord energy distance: .0164 / .0170 / .0164 -> .00070 at t = 30; subset floor
  // .0018-.0021;
  // nearest image .42 away (median) vs .46 between images
  const Scenario preset = presetScenario("digits_sphere");
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine e = startPreset(preset, seed);
    REQUIRE(e.data().rows() == 64);
    const double start = energyDistance(e.particles(), e.data());
    for (long k = 0; k < preset.steps; ++k) e.step();
    const double end = energyDistance(e.particles(), e.data());
    const double floor = subsetFloor(e.data(), 500, seed);
    const double nearest = medianNearestData(e.particles(), e.data());
    const double norm_error = (e.particles().colwise().norm().array() - 1.0).abs().maxCoeff();
    MESSAGE("seed " << seed << ": energy " << start << " -> " << end << ", subset floor " << floor
                    << ", median nearest image " << nearest);
    CHECK(start > 0.015);
    CHECK(end < 0.0008);
    CHECK(end < floor);
    CHECK(nearest > 0.35);  // 0.1 x the .46 between images would be a copy
    CHECK(norm_error < 1e-12);
  }
}

TEST_CASE("digits presets: the digits generator covers all ten classes by step 400 with new, blurred digits"
          * doctest::test_suite("slow")) {
  // measured with `driftlab-cli train --preset digits_generator --seed S`, S = 1-3: 9-10 classes at
  // step 200 and 10 at step 400; energy .0295 / .0253 / .0291 at step 400; seed 1's samples are 2.07
  // from their nearest image (median) at step 400 and 1.9 at step 1000, while images are 1.0 apart. One seed here (the network step
  // dominates the test's time); the CLI's seed convention: data S, network S+1, noise S+2, samples S+3
  GeneratorScenario s = generatorPreset("digits_generator");
  applyGeneratorSetting(s, "seed=1");
  GeneratorEngine engine(s.params);
  for (int k = 0; k < 400; ++k) REQUIRE(engine.step().ok);
  const GeneratorMetrics g = engine.metrics();
  const Points samples = engine.samples();
  const double nearest = medianNearestData(samples, sampleDataset("digits", 1797, 1).points);
  MESSAGE("step 400: classes " << g.m.modes_covered << ", energy " << g.m.energy << ", median nearest image "
                               << nearest);
  CHECK(samples.rows() == 64);
  CHECK(g.m.modes_covered == 10);
  CHECK(g.m.energy < 0.035);
  CHECK(nearest > 1.5);
}
