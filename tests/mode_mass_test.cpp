// Mode mass (THEORY.md §8.3): per-mode shares by nearest centre, their total-variation distance
// to the target weights, and the CSV cells; exact values on hand-built sets, and a Monte-Carlo
// bound on eight Gaussians after the default flow has converged.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/field/metrics.hpp"

using namespace driftlab;

namespace {

Points cols(std::initializer_list<std::pair<double, double>> pts) {
  Points p(2, static_cast<Eigen::Index>(pts.size()));
  Eigen::Index i = 0;
  for (const auto& [x, y] : pts) {
    p(0, i) = x;
    p(1, i) = y;
    ++i;
  }
  return p;
}

}  // namespace

TEST_CASE("mode mass: hand-built shares and total variation are exact") {
  // centres (0,0), (10,0), (0,10); weights 1:1:2, normalized to 1/4, 1/4, 1/2
  const Points c = cols({{0, 0}, {10, 0}, {0, 10}});
  const std::vector<double> w{1.0, 1.0, 2.0};
  // two particles at mode 0, one at mode 1, one at mode 2: shares 1/2, 1/4, 1/4
  const Points x = cols({{0.1, 0.2}, {-1, 1}, {9, 0.5}, {0.3, 8}});
  const ModeMass mm = modeMass(x, c, w);
  REQUIRE(mm.share.size() == 3);
  CHECK(mm.share[0] == 0.5);
  CHECK(mm.share[1] == 0.25);
  CHECK(mm.share[2] == 0.25);
  // 1/2 (|1/2 - 1/4| + |1/4 - 1/4| + |1/4 - 1/2|) = 1/4
  CHECK(mm.tv == 0.25);
  // all particles in one mode of weight 1/4: tv = 1 - 1/4
  CHECK(modeMass(cols({{10, 0}, {11, 0}}), c, w).tv == 0.75);
  // exactly the target's proportions: 0
  CHECK(modeMass(cols({{0, 0}, {10, 0}, {0, 10}, {0, 11}}), c, w).tv == 0.0);
  // the same nearest-centre assignment as modesCovered (which takes weights summing to 1): mode 2
  // holds 1/4 >= half its 1/2 share
  CHECK(modesCovered(x, c, {0.25, 0.25, 0.5}) == 3);
}

TEST_CASE("mode mass: computeMetrics fills it and the CSV cells follow the header") {
  const Points c = cols({{0, 0}, {10, 0}, {0, 10}});
  const std::vector<double> w{1.0, 1.0, 2.0};
  const Points x = cols({{0.1, 0.2}, {-1, 1}, {9, 0.5}, {0.3, 8}});
  const Points y = cols({{0, 0}, {10, 0}, {0, 10}, {0, 10.5}});
  const Metrics m = computeMetrics(x, y, c, w, VelocityOptions{});
  CHECK(m.mode_tv == 0.25);
  CHECK(m.mode_share == std::vector<double>{0.5, 0.25, 0.25});
  CHECK(m.mode_weight == std::vector<double>{0.25, 0.25, 0.5});
  CHECK(modeMassColumns(3) == std::vector<std::string>{"mode_tv", "mode_share_0", "mode_share_1", "mode_share_2"});
  CHECK(formatModeMassCells(m) == ",0.25,0.5,0.25,0.25");
  // no modes: no share columns and a "nan" tv, as modes_covered is -1
  const Metrics none = computeMetrics(x, y, Points(), {}, VelocityOptions{});
  CHECK(none.modes_covered == -1);
  CHECK(none.mode_share.empty());
  CHECK(std::isnan(none.mode_tv));
  CHECK(modeMassColumns(0) == std::vector<std::string>{"mode_tv"});
  CHECK(formatModeMassCells(none) == ",nan");
}

// An i.i.d. sample of N points from the mixture has multinomial counts, so
// E[TV] ~ 1/2 sum_k sqrt(2 w_k (1 - w_k) / (pi N)) ~ 1.06 / sqrt(N) for K = 8 equal weights,
// below sqrt(K / N) by a factor 2.7. sqrt(K / N) is the Monte-Carlo error scale of K shares
// from N points; a converged flow must meet it as a fresh sample from p does.
TEST_CASE("mode mass: eight Gaussians, a target sample and the converged default flow are within sqrt(K/N)") {
  const int n = 1024;
  const double bound = std::sqrt(8.0 / n);  // 0.088
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Dataset q = sampleDataset("eight_gaussians", n, 100 + seed);
    const ModeMass iid = modeMass(q.points, q.mode_centres, q.mode_weights);
    MESSAGE("iid sample seed " << seed << ": mode_tv " << iid.tv);
    CHECK(iid.tv < bound);
  }
  for (std::uint64_t seed : {2u, 3u, 4u}) {
    Scenario s = presetScenario("default");
    s.params.init_seed = seed;
    FlowEngine e(s.params);
    const double tv0 = modeMass(e.particles(), e.modeCentres(), e.modeWeights()).tv;
    for (long k = 0; k < s.steps; ++k) e.step();
    const Metrics m = e.metrics();
    // the centred start blob is already split almost evenly by nearest centre (tv0 ~ 0.03): the
    // bound checks that the flow keeps the mass balanced while it moves it onto the modes
    MESSAGE("default preset, init seed " << seed << ", N " << e.particles().cols() << ": mode_tv " << tv0 << " -> "
                                         << m.mode_tv << " after " << s.steps << " steps");
    REQUIRE(m.mode_share.size() == 8);
    CHECK(m.mode_tv < std::sqrt(8.0 / static_cast<double>(e.particles().cols())));
  }
}
