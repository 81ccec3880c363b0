// The sphere presets state measured outcomes in their descriptions (THEORY.md §10.5); each test runs
// the preset headless over the seeds behind those numbers (`driftlab-cli run --preset NAME --seed S`:
// data seed S, init seed S + 1) and checks them with a margin of about the seed-to-seed spread.
// ~30 s in Release for the three: the "slow" suite, which the sanitizer runs skip.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"

using namespace driftlab;

namespace {

// the preset with seed S and one optional setting, run for `steps` steps (all of them by default)
FlowEngine runPreset(const char* name, std::uint64_t seed, const char* setting = nullptr, long steps = -1) {
  Scenario s = presetScenario(name);
  if (setting != nullptr) applySetting(s, setting);
  s.params.data_seed = seed;
  s.params.init_seed = seed + 1;
  FlowEngine e(s.params);
  for (long k = 0; k < (steps < 0 ? s.steps : steps); ++k) REQUIRE(e.step().ok);
  return e;
}

double largestShare(const Metrics& m) { return *std::max_element(m.mode_share.begin(), m.mode_share.end()); }

}  // namespace

TEST_CASE("sphere presets: from a collapsed cap h = 0.5 covers all six caps, h = 0.1 stays in one"
          * doctest::test_suite("slow")) {
  // measured, seeds 1-3: h = 0.5 all 6 caps at t = 5, geodesic energy (THEORY.md §10.6) .00050 /
  // .00044 / .00044 at t = 20; h = 0.1: largest share .982 / .989 / .984, 1 cap covered, energy
  // 1.21 / 1.33 / 1.30 at t = 20
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine wide = runPreset("sphere_caps_from_collapsed", seed, nullptr, 250);
    CHECK(wide.metrics().modes_covered == 6);
    for (int k = 250; k < 1000; ++k) REQUIRE(wide.step().ok);
    const Metrics mw = wide.metrics();
    const Metrics mn = runPreset("sphere_caps_from_collapsed", seed, "bandwidth.h=0.1").metrics();
    MESSAGE("seed " << seed << ": h 0.5 energy " << mw.energy << "; h 0.1 covered " << mn.modes_covered
                    << ", largest share " << largestShare(mn) << ", energy " << mn.energy);
    CHECK(mw.modes_covered == 6);
    CHECK(mw.energy > 0.0003);
    CHECK(mw.energy < 0.0007);
    CHECK(mn.modes_covered == 1);
    CHECK(largestShare(mn) > 0.97);
    CHECK(mn.energy > 1.1);
  }
}

TEST_CASE("sphere presets: on unequal caps the mixed flow moves mass toward the 0.5 cap faster than forward KL"
          * doctest::test_suite("slow")) {
  // measured, seeds 1-3 at t = 20: share of the 0.5 cap mixed .470 / .460 / .482 (mode_tv .030 / .040 /
  // .018), forward KL .453 / .441 / .462 (mode_tv .047 / .059 / .038)
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    const Metrics mixed = runPreset("sphere_unequal_caps_mixed", seed).metrics();
    const Metrics fkl = runPreset("sphere_unequal_caps_mixed", seed, "weights=forward_kl=1").metrics();
    MESSAGE("seed " << seed << ": 0.5-cap share mixed " << mixed.mode_share.at(2) << " (tv " << mixed.mode_tv
                    << "), forward KL " << fkl.mode_share.at(2) << " (tv " << fkl.mode_tv << ")");
    CHECK(mixed.mode_share.at(2) > 0.45);
    CHECK(mixed.mode_share.at(2) < 0.495);
    CHECK(fkl.mode_share.at(2) > 0.43);
    CHECK(fkl.mode_share.at(2) < 0.475);
    CHECK(mixed.mode_tv < fkl.mode_tv);
    CHECK(mixed.modes_covered == 3);
  }
}

TEST_CASE("sphere presets: the Cauchy kernel reaches all six caps from the far cap, the Gaussian only three"
          * doctest::test_suite("slow")) {
  // measured, seeds 1-3: Cauchy all 6 caps at t = 5, mode_tv .053 / .072 / .091 at t = 10; Gaussian 3
  // caps, mode_tv .500 / .498 / .527
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowEngine cauchy = runPreset("sphere_cauchy_far_cap", seed, nullptr, 250);
    CHECK(cauchy.metrics().modes_covered == 6);
    for (int k = 250; k < 500; ++k) REQUIRE(cauchy.step().ok);
    const Metrics mc = cauchy.metrics();
    const Metrics mg = runPreset("sphere_cauchy_far_cap", seed, "kernel=gaussian").metrics();
    MESSAGE("seed " << seed << ": mode_tv Cauchy " << mc.mode_tv << ", Gaussian " << mg.mode_tv);
    CHECK(mc.modes_covered == 6);
    CHECK(mc.mode_tv > 0.04);
    CHECK(mc.mode_tv < 0.10);
    CHECK(mg.modes_covered == 3);
    CHECK(mg.mode_tv > 0.49);
  }
}
