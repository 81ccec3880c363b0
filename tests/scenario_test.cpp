// FlowParams validation, scenario JSON (exact round trip, strict reading), presets and
// "key=value" settings. Mirrors core/src/flow_params.cpp, scenario.cpp, presets.cpp, settings.cpp.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "error_of.hpp"
#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string validateError(const std::function<void(FlowParams&)>& change) {
  FlowParams p;
  change(p);
  return errorOf([&] { p.validate(); });
}

// a scenario with every field away from its default, values drawn from a seeded generator so
// that doubles have all 17 significant digits
Scenario randomScenario(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Scenario s;
  s.name = "random-" + std::to_string(seed) + " \"quoted\" \xc3\xa9";
  s.description = "line one\nline two\ttab";
  s.steps = static_cast<long>(rng() % 100000);
  s.metrics_every = 1 + static_cast<int>(rng() % 1000);
  FlowParams& p = s.params;
  const char* datasets[] = {"two_moons", "checkerboard", "swiss_roll", "rings", "unequal_bimodal"};
  p.dataset = datasets[rng() % 5];
  p.samples = 1 + static_cast<int>(rng() % 100000);
  p.data_seed = rng();
  const char* inits[] = {"gaussian", "far", "collapsed", "uniform"};
  p.init = inits[rng() % 4];
  p.particles = 1 + static_cast<int>(rng() % 100000);
  p.init_seed = std::numeric_limits<std::uint64_t>::max() - rng() % 3;
  p.kernel.kind = static_cast<KernelKind>(rng() % 6);
  p.kernel.nu = 0.5 + 10 * u(rng);
  p.kernel.beta = 0.1 + u(rng);
  p.kernel.c = 0.1 + 3 * u(rng);
  p.bandwidth.rule = static_cast<BandwidthRule>(rng() % 5);
  p.bandwidth.h = 0.01 + u(rng);
  p.bandwidth.anneal_rate = 3 * u(rng);
  p.bandwidth.h_min = 1e-3 + 0.1 * u(rng);
  p.bandwidth.scales = {0.01 + u(rng), 0.1 + u(rng), 1e-7 * (1 + u(rng)), 0.5 + u(rng)};
  for (int i = 0; i < kNumDivergences; ++i) p.weights.w[i] = (rng() % 3 == 0) ? 0.0 : 5 * u(rng);
  p.weights.w[rng() % kNumDivergences] = 1e-300 + u(rng);  // at least one non-zero
  p.alpha = -2 + 4 * u(rng);
  p.chi2 = rng() % 2 ? Chi2Convention::Half : Chi2Convention::Full;
  p.leave_one_out = rng() % 2;
  p.ratio_min = 1e-9 * (1 + u(rng));
  p.ratio_max = 1e5 * (1 + u(rng));
  p.velocity_mode = rng() % 2 ? VelocityMode::ExactSmoothed : VelocityMode::PlugIn;
  p.smoothed_grid = 8 + static_cast<int>(rng() % 1017);
  p.integrator = rng() % 2 ? Integrator::Heun : Integrator::Euler;
  p.step = 1e-4 + u(rng) / 3;
  p.displacement_cap = 2 * u(rng);
  p.metrics_h = 0.01 + u(rng);
  return s;
}

std::string tmpDir() {
  const std::string dir = std::string(DRIFTLAB_TEST_TMP) + "/scenario_test";
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// FlowParams
// ---------------------------------------------------------------------------------------------

TEST_CASE("scenario: default FlowParams and default scenario are valid") {
  CHECK_NOTHROW(FlowParams{}.validate());
  CHECK_NOTHROW(defaultScenario().params.validate());
  CHECK(defaultScenario().params.weights.w == DivergenceWeights::mixedDefault().w);
}

TEST_CASE("scenario: validate names the field and the bad value") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(validateError([](FlowParams& p) { p.particles = 0; }) ==
        "init.particles: must be between 1 and 50000000 (got 0)");
  CHECK(validateError([](FlowParams& p) { p.samples = -3; }) == "data.samples: must be between 1 and 50000000 (got -3)");
  CHECK(validateError([](FlowParams& p) { p.particles = 50'000'001; }) ==
        "init.particles: 50000001 points cannot fit: must be between 1 and 50000000");
  CHECK(validateError([nan](FlowParams& p) { p.bandwidth.h = nan; }) == "bandwidth.h: must be > 0 and finite (got nan)");
  CHECK(validateError([](FlowParams& p) { p.bandwidth.h = -1; }) == "bandwidth.h: must be > 0 and finite (got -1)");
  CHECK(validateError([](FlowParams& p) { p.bandwidth.anneal_rate = -0.5; }) ==
        "bandwidth.rate: must be >= 0 and finite (got -0.5)");
  CHECK(validateError([](FlowParams& p) { p.step = 0; }) == "integrator.step: must be > 0 and finite (got 0)");
  CHECK(validateError([](FlowParams& p) { p.step = std::numeric_limits<double>::infinity(); }) ==
        "integrator.step: must be > 0 and finite (got inf)");
  CHECK(validateError([](FlowParams& p) { p.displacement_cap = -0.1; }) ==
        "integrator.displacement_cap: must be >= 0 and finite (got -0.1)");
  CHECK(validateError([](FlowParams& p) { p.smoothed_grid = 7; }) ==
        "divergence.smoothed_grid: must be between 8 and 1024 (got 7)");
  CHECK(validateError([](FlowParams& p) { p.smoothed_grid = 1025; }) ==
        "divergence.smoothed_grid: must be between 8 and 1024 (got 1025)");
  CHECK(contains(validateError([](FlowParams& p) { p.ratio_min = 2e6; }), "divergence.ratio_min: must be > 0 and < ratio_max"));
  CHECK(contains(validateError([](FlowParams& p) { p.ratio_min = 0; }), "divergence.ratio_min: must be > 0"));
  CHECK(validateError([nan](FlowParams& p) { p.alpha = nan; }) == "divergence.alpha: must be finite (got nan)");
  CHECK(validateError([](FlowParams& p) { p.metrics_h = 0; }) == "metrics.reference_h: must be > 0 and finite (got 0)");
  CHECK(contains(validateError([](FlowParams& p) { p.kernel.nu = -1; }), "kernel.nu"));
  CHECK(contains(validateError([](FlowParams& p) { p.weights = DivergenceWeights{}; }), "all zero"));
  CHECK(contains(validateError([](FlowParams& p) { p.weights[Divergence::Chi2] = -1; }), "weights.chi2"));
}

TEST_CASE("scenario: validate lists the known names for an unknown dataset or init layout") {
  const std::string d = validateError([](FlowParams& p) { p.dataset = "foo"; });
  CHECK(contains(d, "data.dataset: unknown 'foo' (expected one of "));
  CHECK(contains(d, "eight_gaussians"));
  CHECK(contains(d, "swiss_roll"));
  CHECK(contains(d, "csv)"));
  const std::string i = validateError([](FlowParams& p) { p.init = "middle"; });
  CHECK(contains(i, "init.layout: unknown 'middle'"));
  CHECK(contains(i, "collapsed"));
  CHECK(validateError([](FlowParams& p) { p.dataset = "csv"; }) == "data.dataset: 'csv' needs data.csv (a CSV file path)");
  CHECK(validateError([](FlowParams& p) { p.init = "csv"; }) == "init.layout: 'csv' needs init.csv (a CSV file path)");
}

TEST_CASE("scenario: the memory check refuses sizes whose working set cannot fit in 16 GiB") {
  // (N + M) * 2 coordinates * 8 bytes * 16 copies: 5e7 + 5e7 points need 23.8 GiB
  const std::string e = validateError([](FlowParams& p) {
    p.particles = 50'000'000;
    p.samples = 50'000'000;
  });
  CHECK(contains(e, "init.particles: N = 50000000 with samples M = 50000000 would need about 23.8 GiB"));
  CHECK(contains(e, "cannot fit"));
  // 5e7 particles alone (11.9 GiB) are allowed
  CHECK(validateError([](FlowParams& p) {
          p.particles = 50'000'000;
          p.samples = 1000;
        }) == "<no exception>");
}

TEST_CASE("scenario: velocityOptions resolves the bandwidth rule and copies every field option") {
  FlowParams p;
  p.weights = DivergenceWeights::single(Divergence::Hellinger);
  p.alpha = 0.25;
  p.chi2 = Chi2Convention::Half;
  p.leave_one_out = false;
  p.ratio_min = 1e-3;
  p.ratio_max = 1e3;
  p.velocity_mode = VelocityMode::ExactSmoothed;
  p.smoothed_grid = 40;
  p.kernel.kind = KernelKind::StudentT;
  p.kernel.nu = 5;
  Points x = Points::Random(2, 30), y = Points::Random(2, 40);

  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.37;
  VelocityOptions o = p.velocityOptions(x, y, 3.0);
  CHECK(o.kernel.h == 0.37);
  CHECK(o.extra_bandwidths.empty());
  CHECK(o.kernel.kind == KernelKind::StudentT);
  CHECK(o.kernel.nu == 5);
  CHECK(o.weights.w == p.weights.w);
  CHECK(o.alpha == 0.25);
  CHECK(o.chi2 == Chi2Convention::Half);
  CHECK_FALSE(o.leave_one_out);
  CHECK(o.ratio_min == 1e-3);
  CHECK(o.ratio_max == 1e3);
  CHECK(o.mode == VelocityMode::ExactSmoothed);
  CHECK(o.smoothed_grid == 40);

  // annealing, THEORY.md §3.4: h(t) = max(h0 exp(-r t), h_min); 0.37 e^{-0.5 * 2} = 0.1361...
  p.bandwidth.rule = BandwidthRule::Anneal;
  p.bandwidth.anneal_rate = 0.5;
  p.bandwidth.h_min = 0.02;
  CHECK(p.velocityOptions(x, y, 2.0).kernel.h == doctest::Approx(0.37 * std::exp(-1.0)).epsilon(1e-14));
  CHECK(p.velocityOptions(x, y, 100.0).kernel.h == doctest::Approx(0.02).epsilon(1e-14));

  p.bandwidth.rule = BandwidthRule::MultiScale;
  p.bandwidth.scales = {0.02, 0.05, 0.2};
  o = p.velocityOptions(x, y, 0.0);
  CHECK(o.kernel.h == 0.02);
  CHECK(o.extra_bandwidths == std::vector<double>{0.05, 0.2});

  p.bandwidth.rule = BandwidthRule::Silverman;
  CHECK(p.velocityOptions(x, y, 0.0).kernel.h == doctest::Approx(silvermanBandwidth(y)).epsilon(1e-14));
}

TEST_CASE("scenario: FlowParams equality sees every field except the rule-overridden kernel.h") {
  const FlowParams base;
  const std::vector<std::function<void(FlowParams&)>> changes = {
      [](FlowParams& p) { p.dataset = "rings"; },       [](FlowParams& p) { p.data_csv = "a.csv"; },
      [](FlowParams& p) { p.samples = 7; },             [](FlowParams& p) { p.data_seed = 9; },
      [](FlowParams& p) { p.init = "far"; },            [](FlowParams& p) { p.init_csv = "b.csv"; },
      [](FlowParams& p) { p.particles = 3; },           [](FlowParams& p) { p.init_seed = 4; },
      [](FlowParams& p) { p.kernel.kind = KernelKind::IMQ; },
      [](FlowParams& p) { p.kernel.nu = 4; },           [](FlowParams& p) { p.kernel.beta = 0.7; },
      [](FlowParams& p) { p.kernel.c = 2; },            [](FlowParams& p) { p.bandwidth.rule = BandwidthRule::Median; },
      [](FlowParams& p) { p.bandwidth.h = 0.3; },       [](FlowParams& p) { p.bandwidth.anneal_rate = 1; },
      [](FlowParams& p) { p.bandwidth.h_min = 0.01; },  [](FlowParams& p) { p.bandwidth.scales.push_back(1); },
      [](FlowParams& p) { p.weights[Divergence::MMD] = 1; },
      [](FlowParams& p) { p.alpha = 2; },               [](FlowParams& p) { p.chi2 = Chi2Convention::Half; },
      [](FlowParams& p) { p.leave_one_out = false; },   [](FlowParams& p) { p.ratio_min = 1e-5; },
      [](FlowParams& p) { p.ratio_max = 1e5; },         [](FlowParams& p) { p.velocity_mode = VelocityMode::ExactSmoothed; },
      [](FlowParams& p) { p.smoothed_grid = 64; },      [](FlowParams& p) { p.integrator = Integrator::Heun; },
      [](FlowParams& p) { p.step = 0.02; },             [](FlowParams& p) { p.displacement_cap = 0; },
      [](FlowParams& p) { p.metrics_h = 0.2; },
  };
  CHECK(base == FlowParams{});
  for (std::size_t i = 0; i < changes.size(); ++i) {
    FlowParams p;
    changes[i](p);
    CAPTURE(i);
    CHECK_FALSE(p == base);
  }
}

TEST_CASE("scenario: integrator names round-trip and unknown names are refused") {
  for (Integrator i : {Integrator::Euler, Integrator::Heun}) CHECK(parseIntegrator(integratorName(i)) == i);
  CHECK(contains(errorOf([] { parseIntegrator("rk4"); }), "unknown 'rk4' (expected one of euler, heun, jko)"));
}

// ---------------------------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------------------------

TEST_CASE("scenario: JSON round trip is exact for random scenarios and every preset") {
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    const Scenario s = randomScenario(seed);
    REQUIRE_NOTHROW(s.params.validate());
    const std::string text = scenarioToJson(s);
    const Scenario back = scenarioFromJson(text, "random.json");
    CAPTURE(text);
    CHECK(back == s);
    CHECK(scenarioToJson(back) == text);  // and the text is a fixed point
  }
  for (const auto& entry : presetCatalog()) {
    const Scenario s = presetScenario(entry.name);
    CHECK(scenarioFromJson(scenarioToJson(s), entry.name) == s);
  }
}

TEST_CASE("scenario: save and load through a file round-trip and leave no temporary file") {
  const std::string path = tmpDir() + "/saved.json";
  const Scenario s = randomScenario(99);
  saveScenario(path, s);
  CHECK(loadScenario(path) == s);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  CHECK(contains(errorOf([] { saveScenario("/nonexistent-dir/x.json", Scenario{}); }), "/nonexistent-dir/x.json: cannot write"));
}

TEST_CASE("scenario: missing fields take their defaults") {
  CHECK(scenarioFromJson("{}", "empty.json") == defaultScenario());
  const Scenario s = scenarioFromJson(R"({"kernel": {"type": "laplacian"}, "bandwidth": {"h": 0.05}})", "k.json");
  Scenario expected = defaultScenario();
  expected.params.kernel.kind = KernelKind::Laplacian;
  expected.params.bandwidth.h = 0.05;
  CHECK(s == expected);
  CHECK(s.params.initialKernel().h == 0.05);  // the kernel takes the one stored bandwidth
}

TEST_CASE("scenario: weights accept an object or a single name") {
  Scenario s = scenarioFromJson(R"({"divergence": {"weights": {"forward_kl": 2, "mmd": 0.25}}})", "w.json");
  CHECK(s.params.weights[Divergence::ForwardKL] == 2);
  CHECK(s.params.weights[Divergence::MMD] == 0.25);
  CHECK(s.params.weights[Divergence::ReverseKL] == 0);
  s = scenarioFromJson(R"({"divergence": {"weights": "chi2"}})", "w.json");
  CHECK(s.params.weights.w == DivergenceWeights::single(Divergence::Chi2).w);
  s = scenarioFromJson(R"({"divergence": {"weights": "mixed"}})", "w.json");
  CHECK(s.params.weights.w == DivergenceWeights::mixedDefault().w);
}

TEST_CASE("scenario: unknown fields are errors with a hint") {
  const std::string top = errorOf([] { scenarioFromJson(R"({"kernal": {}})", "my.json"); });
  CHECK(contains(top, "my.json: unknown field 'kernal' (did you mean 'kernel'?)"));
  CHECK(contains(top, "allowed here: name, description"));
  const std::string nested = errorOf([] { scenarioFromJson(R"({"data": {"sample": 10}})", "my.json"); });
  CHECK(contains(nested, "my.json: unknown field 'data.sample' (did you mean 'data.samples'?)"));
  const std::string kh = errorOf([] { scenarioFromJson(R"({"kernel": {"h": 0.1}})", "my.json"); });
  CHECK(contains(kh, "unknown field 'kernel.h'"));
  const std::string w = errorOf([] { scenarioFromJson(R"({"divergence": {"weights": {"kl": 1}}})", "my.json"); });
  CHECK(contains(w, "my.json: divergence.weights.kl: unknown 'kl' (expected one of drift,"));
}

TEST_CASE("scenario: wrong types name the field and the value") {
  CHECK(errorOf([] { scenarioFromJson(R"({"kernel": {"nu": "three"}})", "t.json"); }) ==
        "t.json: kernel.nu: expected a number (got \"three\")");
  CHECK(errorOf([] { scenarioFromJson(R"({"init": {"particles": 2.5}})", "t.json"); }) ==
        "t.json: init.particles: expected an integer (got 2.5)");
  CHECK(errorOf([] { scenarioFromJson(R"({"divergence": {"leave_one_out": 1}})", "t.json"); }) ==
        "t.json: divergence.leave_one_out: expected true or false (got 1)");
  CHECK(errorOf([] { scenarioFromJson(R"({"data": [1, 2]})", "t.json"); }) ==
        "t.json: data: expected an object {...} (got [1,2])");
  CHECK(errorOf([] { scenarioFromJson(R"([1])", "t.json"); }) == "t.json: scenario: expected an object {...} (got [1])");
  CHECK(errorOf([] { scenarioFromJson(R"({"data": {"seed": -1}})", "t.json"); }) ==
        "t.json: data.seed: expected an integer between 0 and 18446744073709551615 (got -1)");
  CHECK(contains(errorOf([] { scenarioFromJson(R"({"bandwidth": {"scales": []}})", "t.json"); }),
                 "t.json: bandwidth.scales: expected a non-empty array"));
}

TEST_CASE("scenario: invalid values are reported with the source name first") {
  CHECK(errorOf([] { scenarioFromJson(R"({"bandwidth": {"h": -1}})", "my.json"); }) ==
        "my.json: bandwidth.h: must be > 0 and finite (got -1)");
  CHECK(errorOf([] { scenarioFromJson(R"({"init": {"particles": 1e12}})", "my.json"); }) ==
        "my.json: init.particles: 1000000000000 points cannot fit: must be between 1 and 50000000");
  CHECK(contains(errorOf([] { scenarioFromJson(R"({"kernel": {"type": "gausian"}})", "my.json"); }),
                 "my.json: kernel.type: unknown 'gausian' (expected one of gaussian, laplacian"));
  CHECK(contains(errorOf([] { scenarioFromJson(R"({"integrator": {"type": "rk4"}})", "my.json"); }),
                 "my.json: integrator.type: unknown 'rk4'"));
  CHECK(errorOf([] { scenarioFromJson(R"({"steps": -1})", "my.json"); }) ==
        "my.json: steps: must be an integer between 0 and 1000000000 (got -1)");
}

TEST_CASE("scenario: malformed JSON names line and column") {
  const std::string e = errorOf([] { scenarioFromJson("{\n  \"steps\": 10,\n  \"name\": }\n", "bad.json"); });
  CHECK(contains(e, "bad.json: invalid JSON: "));
  CHECK(contains(e, "line 3, column"));
  CHECK_FALSE(contains(e, "[json.exception"));
  CHECK(e.find('\n') == std::string::npos);
}

TEST_CASE("scenario: a missing file is named") {
  CHECK(contains(errorOf([] { loadScenario(tmpDir() + "/does-not-exist.json"); }),
                 "does-not-exist.json: cannot open scenario file (No such file or directory)"));
}

// ---------------------------------------------------------------------------------------------
// presets
// ---------------------------------------------------------------------------------------------

TEST_CASE("scenario: presets are valid, unique, described, and include the required lessons") {
  std::set<std::string> names;
  for (const auto& e : presetCatalog()) {
    CAPTURE(e.name);
    CHECK(names.insert(e.name).second);
    CHECK(e.description.size() > 20);
    const Scenario s = presetScenario(e.name);
    CHECK(s.name == e.name);
    CHECK(s.description == e.description);
    CHECK_NOTHROW(s.params.validate());
    CHECK(s.steps > 0);
  }
  for (const char* required :
       {"default", "checkerboard", "swiss_roll", "two_moons", "far_init", "collapsed_init", "lesson_blur_reverse_kl",
        "lesson_blur_mixed", "lesson_exact_velocity_covers", "lesson_bandwidth_decides_narrow",
        "lesson_bandwidth_decides_wide", "unequal_bimodal_mixed", "bandwidth_too_small", "bandwidth_too_large",
        "laplacian_vs_gaussian", "mmd_flow", "annealing", "multiscale"}) {
    CHECK(names.count(required) == 1);
  }
  CHECK(contains(errorOf([] { presetScenario("nope"); }), "preset: unknown 'nope' (expected one of default,"));
}

TEST_CASE("scenario: paired lesson presets differ only in the setting they compare") {
  // the blur pair compares divergences, the bandwidth pair bandwidths (THEORY.md §5.5); their
  // outcomes are checked in lesson_presets_test.cpp
  Scenario rev = presetScenario("lesson_blur_reverse_kl");
  const Scenario mix = presetScenario("lesson_blur_mixed");
  CHECK(rev.params.dataset == "eight_gaussians");
  CHECK(rev.params.init == "gaussian");
  CHECK(rev.params.weights.w == DivergenceWeights::single(Divergence::ReverseKL).w);
  rev.params.weights = mix.params.weights;
  CHECK(rev.params == mix.params);
  const Scenario narrow = presetScenario("lesson_bandwidth_decides_narrow");
  Scenario wide = presetScenario("lesson_bandwidth_decides_wide");
  CHECK(narrow.params.bandwidth.h == 0.2);
  CHECK(wide.params.bandwidth.h == 0.6);
  wide.params.bandwidth.h = 0.2;
  wide.params.step = narrow.params.step;
  CHECK(wide.params == narrow.params);
  CHECK(presetScenario("lesson_exact_velocity_covers").params.velocity_mode == VelocityMode::ExactSmoothed);
  // the DM toy: Laplacian kernel, h = 0.05, Algorithm-2 double normalization (THEORY.md §7.5)
  const Scenario sr = presetScenario("swiss_roll");
  CHECK(sr.params.kernel.kind == KernelKind::Laplacian);
  CHECK(sr.params.bandwidth.h == 0.05);
  CHECK(sr.params.weights.w == DivergenceWeights::single(Divergence::DriftDouble).w);
  CHECK(contains(presetScenario("far_init").description, "our choice"));
}

// ---------------------------------------------------------------------------------------------
// settings
// ---------------------------------------------------------------------------------------------

TEST_CASE("scenario: settings change the intended field") {
  Scenario s = defaultScenario();
  applySetting(s, "kernel=laplacian");
  CHECK(s.params.kernel.kind == KernelKind::Laplacian);
  applySetting(s, "bandwidth=0.2");
  CHECK(s.params.bandwidth.rule == BandwidthRule::Fixed);
  CHECK(s.params.bandwidth.h == 0.2);
  CHECK(s.params.initialKernel().h == 0.2);
  applySetting(s, "bandwidth=silverman");
  CHECK(s.params.bandwidth.rule == BandwidthRule::Silverman);
  applySetting(s, "divergence=forward_kl");
  CHECK(s.params.weights.w == DivergenceWeights::single(Divergence::ForwardKL).w);
  applySetting(s, "weights.chi2=0.25");
  CHECK(s.params.weights[Divergence::Chi2] == 0.25);
  CHECK(s.params.weights[Divergence::ForwardKL] == 1);
  applySetting(s, "divergence=mixed");
  CHECK(s.params.weights.w == DivergenceWeights::mixedDefault().w);
  applySetting(s, "weights=mmd=2,js=0.5");
  CHECK(s.params.weights[Divergence::MMD] == 2);
  CHECK(s.params.weights[Divergence::JS] == 0.5);
  CHECK(s.params.weights[Divergence::ReverseKL] == 0);
  applySetting(s, "seed=18446744073709551614");
  CHECK(s.params.data_seed == 18446744073709551614ULL);
  CHECK(s.params.init_seed == 18446744073709551615ULL);
  applySetting(s, "particles=1e3");
  CHECK(s.params.particles == 1000);
  applySetting(s, "samples=77");
  CHECK(s.params.samples == 77);
  applySetting(s, "integrator=heun");
  CHECK(s.params.integrator == Integrator::Heun);
  applySetting(s, "step=0.005");
  CHECK(s.params.step == 0.005);
  applySetting(s, "leave_one_out=off");
  CHECK_FALSE(s.params.leave_one_out);
  applySetting(s, "chi2=half");
  CHECK(s.params.chi2 == Chi2Convention::Half);
  applySetting(s, "velocity=smoothed");
  CHECK(s.params.velocity_mode == VelocityMode::ExactSmoothed);
  applySetting(s, "bandwidth.scales=0.1,0.3");
  CHECK(s.params.bandwidth.scales == std::vector<double>{0.1, 0.3});
  applySetting(s, "dataset=my data.csv");
  CHECK(s.params.dataset == "csv");
  CHECK(s.params.data_csv == "my data.csv");
  applySetting(s, "dataset=rings");
  CHECK(s.params.dataset == "rings");
  applySetting(s, "init=uniform");
  CHECK(s.params.init == "uniform");
  applySetting(s, "integrator.displacement_cap=0");  // a full scenario path
  CHECK(s.params.displacement_cap == 0);
  applySetting(s, "steps=42");
  CHECK(s.steps == 42);
  applySetting(s, "metrics_h=0.3");
  CHECK(s.params.metrics_h == 0.3);
}

namespace {

// a value of the key's type that differs from the current one, from its parameter-table row, so a
// parameter added to the table is covered without a change here
std::string otherValueOf(const ParamInfo& info, const Scenario& s) {
  const std::string now = settingValue(s, info.key);
  if (info.type == "bool") return now == "true" ? "false" : "true";
  if (info.type == "seed") return std::to_string(std::stoull(now) + 1);
  if (info.type == "numbers") return "0.05,0.1";
  if (info.type == "integer") {
    const long long v = std::stoll(now);
    const auto dots = info.range.find(" .. ");
    const long long hi = dots == std::string::npos ? v + 1 : std::stoll(info.range.substr(dots + 4));
    return std::to_string(v + 1 <= hi ? v + 1 : v - 1);
  }
  if (info.type == "number") {
    const double v = std::stod(now);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v != 0.0 ? 0.5 * v : 0.5);
    return buf;
  }
  if (info.type.find('|') != std::string::npos) {  // a choice: the first one not in force
    std::size_t start = 0;
    while (true) {
      const std::size_t bar = info.type.find('|', start);
      const std::string choice = info.type.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
      if (choice != now) return choice;
      if (bar == std::string::npos) return now;
      start = bar + 1;
    }
  }
  return "";  // text and weights: given by hand below
}

}  // namespace

TEST_CASE("scenario: every listed setting key is accepted with a sensible value") {
  // keys whose value is text, or that are not table rows (bandwidth, divergence, seed, weights.NAME)
  const std::vector<std::pair<std::string, std::string>> by_hand = {
      {"bandwidth", "0.15"}, {"data_csv", "d.csv"}, {"dataset", "two_moons"}, {"description", "text"},
      {"divergence", "js"}, {"init", "far"}, {"init_csv", "x.csv"}, {"name", "mine"}, {"seed", "3"},
      {"weights", "reverse_kl=1"}, {"weights.NAME", ""}, {"data_labels", "labels.txt"},
  };
  const Scenario before = defaultScenario();
  for (const auto& key : settingKeys()) {
    CAPTURE(key);
    if (key == "weights.NAME") continue;  // placeholder for weights.<divergence name>
    auto it = std::find_if(by_hand.begin(), by_hand.end(), [&](const auto& kv) { return kv.first == key; });
    std::string value;
    if (it != by_hand.end()) {
      value = it->second;
    } else {
      const ParamInfo* info = findFlowParamInfo(key);
      REQUIRE_MESSAGE(info != nullptr, "a setting key that is neither a table row nor given by hand");
      value = otherValueOf(*info, before);
    }
    CAPTURE(value);
    REQUIRE_FALSE(value.empty());
    Scenario s = before;
    if (key == "data_labels") applySetting(s, "data_csv=d.csv");  // labels go with a points file
    const Scenario unlabelled = s;
    CHECK_NOTHROW(applySetting(s, key + "=" + value));
    CHECK_FALSE(s == unlabelled);
  }
}

TEST_CASE("scenario: a bad setting names key and value and leaves the scenario unchanged") {
  Scenario s = presetScenario("swiss_roll");
  const Scenario before = s;
  const auto err = [&](const char* kv) { return errorOf([&] { applySetting(s, kv); }); };
  CHECK(contains(err("kernel=gausian"), "--set kernel=gausian: kernel.type: unknown 'gausian' (expected one of gaussian,"));
  CHECK(contains(err("kernal=gaussian"), "--set kernal=gaussian: unknown key 'kernal'"));
  CHECK(err("bandwidth=nan") == "--set bandwidth=nan: bandwidth.h: must be > 0 and finite (got nan)");
  CHECK(err("bandwidth=0") == "--set bandwidth=0: bandwidth.h: must be > 0 and finite (got 0)");
  CHECK(contains(err("bandwidth=sliverman"), "--set bandwidth=sliverman: bandwidth.rule: unknown 'sliverman'"));
  CHECK(err("particles=0") == "--set particles=0: init.particles: must be between 1 and 50000000 (got 0)");
  CHECK(contains(err("particles=1e12"), "--set particles=1e12: init.particles: 1000000000000 points cannot fit"));
  CHECK(contains(err("particles=many"), "--set particles=many: init.particles: expected an integer (got \"many\")"));
  CHECK(contains(err("weights.chi2=-1"), "--set weights.chi2=-1: "));
  CHECK(contains(err("weights.chi2=-1"), "weights.chi2"));
  CHECK(contains(err("weights=chi2=0"), "all zero"));
  CHECK(contains(err("divergence=kl"), "--set divergence=kl: divergence.weights: unknown 'kl'"));
  CHECK(contains(err("dataset=csv"), "'csv' needs data.csv"));
  CHECK(contains(err("leave_one_out=maybe"), "expected true or false"));
  CHECK(contains(err("seed=-4"), "data.seed: expected an integer"));
  CHECK(contains(err("nokey"), "--set nokey: expected key=value"));
  CHECK(contains(err("data.nothing=1"), "unknown field 'data.nothing'"));
  CHECK(s == before);
}

TEST_CASE("scenario: --set numbers use the decimal syntax of CSV and JSON, nan is named as typed") {
  // strtod took "0x10" as 16 while CSV refused hex; a NaN was reported as "(got null)"
  Scenario s = defaultScenario();
  CHECK_THROWS_AS(applySetting(s, "particles=0x10"), InvalidArgument);
  CHECK(s.params.particles == defaultScenario().params.particles);
  try {
    applySetting(s, "particles=nan");
    FAIL("nan accepted");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()).find("(got nan)") != std::string::npos);
  }
  applySetting(s, "particles=16");
  CHECK(s.params.particles == 16);
  applySetting(s, "step=2.5e-3");
  CHECK(s.params.step == 2.5e-3);
}

TEST_CASE("settingValue: every table key's value applies back to the same scenario") {
  for (const char* preset : {"default", "far_init", "laplacian_vs_gaussian"}) {
    Scenario s = presetScenario(preset);
    s.params.bandwidth.scales = {0.02, 0.05, 0.2};
    s.params.step = 0.1 / 3.0;  // needs 17 digits to read back
    for (const ParamInfo& info : flowParamInfos()) {
      if (info.mode == ParamMode::Generator) continue;
      CAPTURE(info.key);
      const std::string value = settingValue(s, info.key);
      if ((info.key == "data_csv" || info.key == "init_csv") && value.empty()) continue;  // "" selects a CSV
      Scenario back = s;
      applySetting(back, info.key + "=" + value);
      CHECK(back == s);
    }
  }
  CHECK(settingValue(defaultScenario(), "weights") == "reverse_kl=1,chi2=0.5");
  CHECK(errorOf([] { (void)settingValue(defaultScenario(), "no_such_key"); }).find("no_such_key") != std::string::npos);
}

TEST_CASE("applySettings: settings that need each other may come in any order; s is unchanged on error") {
  Scenario s = defaultScenario();
  // init=csv alone is refused (it needs init.csv); with init.csv after it, as one list, it is not
  CHECK(errorOf([&] { applySetting(s, "init=csv"); }) == "--set init=csv: init.layout: 'csv' needs init.csv (a CSV file path)");
  applySettings(s, {"init=csv", "init.csv=points.csv", "bandwidth=0.2"});
  CHECK(s.params.init == "csv");
  CHECK(s.params.init_csv == "points.csv");
  CHECK(s.params.bandwidth.h == 0.2);
  // one bad setting is named alone; a failed final check names the whole list; s keeps its values
  const Scenario before = s;
  CHECK(errorOf([&] { applySettings(s, {"step=0.5", "nope=1"}); }).rfind("--set nope=1: unknown key 'nope'", 0) == 0);
  CHECK(errorOf([&] { applySettings(s, {"dataset=csv", "step=0.5"}); }) ==
        "--set dataset=csv --set step=0.5: data.dataset: 'csv' needs data.csv (a CSV file path)");
  CHECK(s.params.step == before.params.step);
  CHECK(s.params.dataset == before.params.dataset);
}
