// What the JKO and DFM presets' descriptions say, measured over seeds 1-3 (CLI seeds: data seed S,
// init seed S + 1), and the mode comparison's bookkeeping (THEORY.md §11.2, §12.3-§12.5).
#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <string>

#include "driftlab/field/memorization.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"
#include "driftlab/run/mode_comparison.hpp"

using namespace driftlab;

namespace {

FlowEngine seeded(const std::string& preset, std::uint64_t seed, const std::vector<std::string>& settings = {}) {
  Scenario s = presetScenario(preset);
  s.params.data_seed = seed;
  s.params.init_seed = seed + 1;
  applySettings(s, settings);
  return FlowEngine(s.params);
}

double objectiveOf(const FlowEngine& e) { return e.metrics().objective; }

}  // namespace

TEST_CASE("preset jko_vs_euler: JKO lowers the objective at every step where explicit Euler blows up"
          * doctest::test_suite("slow")) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine jko = seeded("jko_vs_euler", seed);
    FlowEngine euler = seeded("jko_vs_euler", seed, {"integrator=euler"});
    const double f0 = objectiveOf(jko), e0 = jko.metrics().energy;
    double f = f0;
    for (int k = 1; k <= 10; ++k) {
      REQUIRE(jko.step().ok);
      const double next = objectiveOf(jko);
      CHECK(next < f);
      f = next;
    }
    euler.step();
    const double euler_f1 = objectiveOf(euler);
    euler.step();
    const double euler_f2 = objectiveOf(euler);
    for (int k = 3; k <= 10; ++k) euler.step();
    MESSAGE("seed " << seed << ": JKO objective " << f0 << " -> " << f << ", energy " << e0 << " -> "
                    << jko.metrics().energy << "; Euler objective " << euler_f1 << ", " << euler_f2
                    << " at steps 1-2, energy " << euler.metrics().energy << " at step 10");
    CHECK(f < 5e-3);
    CHECK(jko.metrics().energy < 0.006);
    CHECK(euler_f1 > 50.0);
    CHECK(euler_f2 > 4000.0);
    CHECK(euler.metrics().energy > 25.0);
  }
}

TEST_CASE("presets dfm_*: copies with sigma = 0, new points with sigma = 0.5, the learned drift near the oracle"
          * doctest::test_suite("slow")) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine oracle = seeded("dfm_eight_gaussians", seed);
    FlowEngine copies = seeded("dfm_memorization", seed);
    FlowEngine learned = seeded("dfm_learned", seed);
    trainLearnedDfmDriftIfNeeded(learned);
    for (int k = 0; k < 200; ++k) {
      oracle.step();
      copies.step();
      learned.step();
    }
    CHECK(oracle.dfmFinished());
    const double near_oracle = fractionNearData(oracle.particles(), oracle.data(), 0.01);
    const double near_copies = fractionNearData(copies.particles(), copies.data(), 0.01);
    const double near_learned = fractionNearData(learned.particles(), learned.data(), 0.01);
    const double e_oracle = oracle.metrics().energy, e_learned = learned.metrics().energy;
    MESSAGE("seed " << seed << ": within 1e-2 " << near_oracle << " (sigma 0.5), " << near_copies << " (sigma 0), "
                    << near_learned << " (learned); energy oracle " << e_oracle << ", learned " << e_learned);
    CHECK(near_oracle > 0.54);
    CHECK(near_oracle < 0.60);
    CHECK(near_copies > 0.96);
    CHECK(near_learned > 0.45);
    CHECK(near_learned < 0.50);
    CHECK(e_oracle < 0.0014);
    CHECK(e_learned > 0.0009);
    CHECK(e_learned < 0.0016);
  }
}

TEST_CASE("mode comparison: each mode's evaluations are counted and its samples approach the data") {
  ComparisonOptions o;
  o.samples = 128;
  o.flow_steps = 30;
  o.jko_steps = 2;
  o.dfm_steps = {2, 50};
  o.dfm_train_steps = 200;
  o.generator_steps = 20;
  std::vector<double> seen;
  const Comparison c = compareModes(o, [&](double done, const std::string&) { seen.push_back(done); });
  REQUIRE(c.curves.size() == 5u);
  CHECK(c.floor > 0.0);
  CHECK(c.curves[0].mode == "drifting");
  // one evaluation per explicit step, on the grid 1, 2, 3, ..., 30
  CHECK(c.curves[0].evaluations.front() == 1.0);
  CHECK(c.curves[0].evaluations.back() == 30.0);
  CHECK(c.curves[0].energy.back() < 0.5 * c.curves[0].energy.front());
  // JKO: at least one evaluation per inner iteration, so more than one per step
  CHECK(c.curves[1].mode == "jko");
  CHECK(c.curves[1].evaluations.size() == 2u);
  CHECK(c.curves[1].evaluations.back() > 2.0);
  // DFM: T evaluations for T sampler steps; 50 steps end far closer than 2
  for (int k : {2, 3}) {
    CHECK(c.curves[std::size_t(k)].evaluations == std::vector<double>{2.0, 50.0});
    CHECK(c.curves[std::size_t(k)].energy[1] < 0.5 * c.curves[std::size_t(k)].energy[0]);
  }
  CHECK(c.curves[4].mode == "generator");
  CHECK(c.curves[4].evaluations == std::vector<double>{1.0});
  REQUIRE(!seen.empty());
  CHECK(seen.back() == 1.0);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  const std::string csv = comparisonCsv(c);
  CHECK(csv.rfind("mode,evaluations,energy,floor,seconds\n", 0) == 0);
  CHECK(csv.find("\ndfm oracle,50,") != std::string::npos);
  // a cancelled comparison returns at once with what it has
  std::atomic<bool> cancel{true};
  CHECK(compareModes(o, {}, &cancel).curves.size() <= 1u);
  o.samples = 4;
  CHECK_THROWS(compareModes(o));
}
