// Generator training (core/include/driftlab/generator.hpp, adam.hpp, model_file.hpp):
// the drifting loss and its gradients (THEORY.md §7.1), Adam against the hand formula, model-file
// round trips and refusals, live parameter changes, scenario files, and a short training run.
#include <doctest/doctest.h>

#include <algorithm>

#include <cmath>
#include <limits>
#include <random>
#include <string>

#include "driftlab/generator/adam.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/field/velocity.hpp"

using namespace driftlab;

namespace {

// a small, fast generator setup on eight_gaussians
GeneratorParams smallParams() {
  GeneratorParams p;
  p.field.dataset = "eight_gaussians";
  p.field.kernel.kind = KernelKind::Gaussian;
  p.field.bandwidth.rule = BandwidthRule::Fixed;
  p.field.bandwidth.h = 0.2;
  p.field.weights = DivergenceWeights::single(Divergence::ForwardKL);
  p.arch.input_dim = 4;
  p.arch.hidden = {16, 16};
  p.batch = 24;
  p.data_batch = 32;
  p.sample_count = 64;
  p.eta = 0.3;
  p.field.path = ComputePath::Exact64;      // the checks below compare with float64 references
  p.field.displacement_cap = 0.0;         // the plain DM loss (the cap has its own test)
  return p;
}

std::string replaceFirst(std::string s, const std::string& from, const std::string& to) {
  const auto pos = s.find(from);
  REQUIRE(pos != std::string::npos);
  return s.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("generator: loss = eta^2 mean||v||^2 and dL/dx = -2 eta v / (N d) (THEORY.md §7.1, v frozen)") {
  const GeneratorParams p = smallParams();
  GeneratorEngine engine(p);
  const TrainReport rep = engine.step();
  REQUIRE(rep.ok);
  const Points x = engine.lastBatch();
  const Points v = engine.lastVelocities();
  const int n = static_cast<int>(x.cols()), d = static_cast<int>(x.rows());
  REQUIRE(n == p.batch);
  REQUIRE(v.norm() > 0);
  // the stop-gradient target T = x + eta v is frozen; L(x) = mean over N*d of (x - T)^2
  const Points target = x + p.eta * v;
  auto loss = [&](const Points& xx) { return (xx - target).squaredNorm() / (n * d); };
  CHECK(rep.loss == doctest::Approx(loss(x)).epsilon(1e-12));
  CHECK(rep.loss == doctest::Approx(p.eta * p.eta * v.squaredNorm() / (n * d)).epsilon(1e-12));
  const double eps = 1e-6;
  for (int i : {0, 5, n - 1})
    for (int r = 0; r < d; ++r) {
      Points xp = x, xm = x;
      xp(r, i) += eps;
      xm(r, i) -= eps;
      const double fd = (loss(xp) - loss(xm)) / (2 * eps);
      CHECK(fd == doctest::Approx(-2.0 * p.eta * v(r, i) / (n * d)).epsilon(1e-6));
    }
}

TEST_CASE("generator: the parameter gradient of a step equals the finite difference of the frozen-target loss") {
  const GeneratorParams p = smallParams();
  GeneratorEngine engine(p);
  const MlpD before = engine.network().cast<double>();  // parameters the gradient is taken at
  const PointsF z = engine.trainingNoise(0);
  engine.step();
  const Points target = engine.lastBatch() + p.eta * engine.lastVelocities();
  // the batch really is f(z) of the pre-step network, and the data batch is step 0's
  CHECK((before.evaluate(z.cast<double>()) - engine.lastBatch()).cwiseAbs().maxCoeff() < 1e-5);
  CHECK((engine.dataBatch(p.data_batch, 0) - engine.lastData()).cwiseAbs().maxCoeff() == 0.0);
  // v is the velocity of the options in force, negatives = the batch with its self-mask
  std::vector<int> self(static_cast<std::size_t>(p.batch));
  for (int i = 0; i < p.batch; ++i) self[static_cast<std::size_t>(i)] = i;
  const Points v_ref = evaluateField(engine.lastBatch(), self, engine.lastBatch(), engine.lastData(),
                                     p.velocityOptions(engine.lastBatch(), engine.lastData(), 0)).v;
  CHECK((v_ref - engine.lastVelocities()).cwiseAbs().maxCoeff() < 1e-12);

  const double nd = static_cast<double>(p.batch) * 2;
  MlpD net = before;
  const MlpD::Matrix zd = z.cast<double>();
  auto loss = [&]() { return (net.evaluate(zd) - target).squaredNorm() / nd; };
  const auto grads = engine.network().parameterGradients();  // float, from the step's backward
  double gmax = 0.0;
  for (float g : grads) gmax = std::max(gmax, static_cast<double>(std::fabs(g)));
  REQUIRE(gmax > 0);
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<long> pick(0, net.parameterCount() - 1);
  const double eps = 1e-5;
  for (int t = 0; t < 60; ++t) {
    const long i = pick(rng);
    const double keep = net.parameters()[i];
    net.parameters()[i] = keep + eps;
    const double lp = loss();
    net.parameters()[i] = keep - eps;
    const double lm = loss();
    net.parameters()[i] = keep;
    const double fd = (lp - lm) / (2 * eps);
    CHECK(std::fabs(grads[i] - fd) < 1e-3 * gmax);
  }
}

TEST_CASE("adam: two steps follow the bias-corrected hand formula") {
  AdamOptions o;
  o.lr = 0.1;
  o.beta1 = 0.9;
  o.beta2 = 0.999;
  o.eps = 1e-8;
  Adam adam(2, o);
  std::vector<double> th{1.0, -2.0};
  const double g1[2] = {0.5, -3.0}, g2[2] = {-1.0, 2.0};
  adam.step(std::span<double>(th), std::span<const double>(g1, 2));
  // step 1: m_hat = g, v_hat = g^2 -> theta -= lr * g / (|g| + eps)
  CHECK(th[0] == doctest::Approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8)).epsilon(1e-14));
  CHECK(th[1] == doctest::Approx(-2.0 + 0.1 * 3.0 / (3.0 + 1e-8)).epsilon(1e-14));
  adam.step(std::span<double>(th), std::span<const double>(g2, 2));
  for (int i = 0; i < 2; ++i) {
    const double m = 0.9 * (0.1 * g1[i]) + 0.1 * g2[i];
    const double v = 0.999 * (0.001 * g1[i] * g1[i]) + 0.001 * g2[i] * g2[i];
    const double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
    const double th1 = (i == 0 ? 1.0 : -2.0) - 0.1 * g1[i] / (std::fabs(g1[i]) + 1e-8);
    CHECK(th[i] == doctest::Approx(th1 - 0.1 * mh / (std::sqrt(vh) + 1e-8)).epsilon(1e-12));
  }
  CHECK(adam.stepCount() == 2);
  AdamOptions bad = o;
  bad.lr = -1;
  CHECK_THROWS_WITH_AS(adam.setOptions(bad), doctest::Contains("generator.lr"), InvalidArgument);
}

TEST_CASE("model file: save/load round trip reproduces samples bit for bit") {
  GeneratorScenario s;
  s.params = smallParams();
  GeneratorEngine engine(s.params);
  for (int k = 0; k < 3; ++k) engine.step();
  const GeneratorModel m = modelFromEngine(engine, s);
  const std::string text = modelToJson(m);
  const GeneratorModel back = modelFromJson(text, "mem.json");
  CHECK(back.step == 3);
  CHECK(back.scenario == m.scenario);
  CHECK(back.network.architecture() == engine.network().architecture());
  CHECK(std::equal(back.network.parameters().begin(), back.network.parameters().end(),
                   engine.network().parameters().begin(), engine.network().parameters().end()));
  const Points a = engine.generate(200, 42);
  const Points b = generateSamples(back.network, 200, 42);
  CHECK((a.array() == b.array()).all());
  CHECK(modelToJson(back) == text);  // writing again gives the same bytes
  // a resumed engine continues from the same state
  GeneratorEngine resumed(back.scenario.params, back.network, back.step);
  CHECK(resumed.stepIndex() == 3);
  CHECK((resumed.samples().array() == engine.samples().array()).all());
}

TEST_CASE("model file: truncated, corrupt, wrong-version and mismatched files are refused in one line") {
  GeneratorScenario s;
  s.params = smallParams();
  GeneratorEngine engine(s.params);
  engine.step();
  const std::string text = modelToJson(modelFromEngine(engine, s));

  CHECK_THROWS_WITH_AS(modelFromJson(text.substr(0, text.size() / 2), "m.json"),
                       doctest::Contains("m.json: not a complete model file"), InvalidArgument);
  CHECK_THROWS_WITH_AS(modelFromJson("", "m.json"), doctest::Contains("empty model file"), InvalidArgument);
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(text, "\"version\": 2", "\"version\": 3"), "m.json"),
                       doctest::Contains("version"), InvalidArgument);
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(text, kModelFormat, "something-else"), "m.json"),
                       doctest::Contains("not a driftlab generator model"), InvalidArgument);
  // one weight changed: the checksum catches it
  const auto w = text.find("\"weight\": [");
  REQUIRE(w != std::string::npos);
  std::string corrupt = text;
  std::size_t digit = corrupt.find_first_of("123456789", w + 12);
  corrupt[digit] = corrupt[digit] == '9' ? '8' : static_cast<char>(corrupt[digit] + 1);
  CHECK_THROWS_WITH_AS(modelFromJson(corrupt, "m.json"), doctest::Contains("checksum mismatch"), InvalidArgument);
  // a weight that is not a number
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(text, "\"weight\": [", "\"weight\": [\"x\","), "m.json"),
                       doctest::Contains("layers[0].weight"), InvalidArgument);
  // the architecture block disagrees with the scenario's network
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(text, "\"latent\": 4,", "\"latent\": 5,"), "m.json"),
                       doctest::Contains("does not match"), InvalidArgument);
  // a network of another shape than its layers
  GeneratorScenario other = s;
  other.params.arch.hidden = {16, 8};
  GeneratorModel mismatched = modelFromEngine(engine, s);
  mismatched.scenario = other;
  CHECK_THROWS_WITH_AS(modelToJson(mismatched), doctest::Contains("does not match"), InvalidArgument);
  CHECK_THROWS_WITH_AS(loadModel("/nonexistent/dir/model.json"), doctest::Contains("cannot open model file"),
                       InvalidArgument);
}

TEST_CASE("generator: live parameter changes keep or re-initialize the network as documented") {
  GeneratorParams p = smallParams();
  GeneratorEngine engine(p);
  engine.step();
  engine.step();
  const std::vector<float> trained(engine.network().parameters().begin(), engine.network().parameters().end());

  GeneratorParams q = p;
  q.adam.lr = 5e-4;
  q.field.weights = DivergenceWeights::mixedDefault();
  q.field.kernel.kind = KernelKind::Laplacian;
  q.batch = 40;
  CHECK(engine.setParams(q).empty());
  CHECK(engine.currentLr() == doctest::Approx(5e-4).epsilon(1e-15));
  CHECK(std::equal(trained.begin(), trained.end(), engine.network().parameters().begin()));
  CHECK(engine.optimizer().stepCount() == 2);  // moments kept
  CHECK(engine.step().ok);
  CHECK(engine.lastBatch().cols() == 40);

  GeneratorParams bad = q;
  bad.eta = -1;
  CHECK_THROWS_WITH_AS(engine.setParams(bad), doctest::Contains("generator.eta"), InvalidArgument);
  CHECK(engine.params() == q);  // unchanged on error

  GeneratorParams r = q;
  r.arch.hidden = {8};
  const std::string warning = engine.setParams(r);
  CHECK(warning.find("re-initialized") != std::string::npos);
  CHECK(engine.network().parameterCount() == r.arch.parameterCount());
  CHECK(engine.optimizer().stepCount() == 0);
  CHECK(engine.step().ok);
}

TEST_CASE("generator: a short training run on eight_gaussians lowers the energy distance clearly") {
  GeneratorParams p;
  p.field.dataset = "eight_gaussians";
  p.field.kernel.kind = KernelKind::Laplacian;
  p.field.bandwidth.rule = BandwidthRule::Fixed;
  p.field.bandwidth.h = 0.1;
  p.field.weights = DivergenceWeights::single(Divergence::DriftDouble);
  p.arch.input_dim = 8;
  p.arch.hidden = {64, 64};
  p.batch = 256;
  p.data_batch = 256;
  p.sample_count = 512;
  p.adam.lr = 3e-3;
  p.network_init = NetworkInit::Collapsed;  // every sample starts near (0.3, 0.2)
  p.init_center = {0.3, 0.2};
  p.init_scale = 0.05;
  GeneratorEngine engine(p);
  MetricsOptions mo;
  mo.slices = 8;
  const double e0 = engine.metrics(mo, 512).m.energy;
  for (int k = 0; k < 200; ++k) REQUIRE(engine.step().ok);
  const GeneratorMetrics g = engine.metrics(mo, 512);
  MESSAGE("energy distance " << e0 << " -> " << g.m.energy << ", modes " << g.m.modes_covered);
  CHECK(g.m.step == 200);
  CHECK(g.m.energy < 0.1 * e0);
  CHECK(g.m.modes_covered >= 6);
}

TEST_CASE("generator scenario: JSON round trip, strict fields, settings and presets") {
  GeneratorScenario s = generatorPreset("gen_checkerboard");
  CHECK(s.params.field.dataset == "checkerboard");
  CHECK(s.params.field.kernel.kind == KernelKind::Laplacian);
  CHECK(s.params.field.bandwidth.h == 0.05);
  CHECK(s.params.field.weights[Divergence::DriftDouble] == 1.0);
  CHECK(s.params.arch.label() == "32-256-256-256-2 silu");
  CHECK(s.params.adam.lr == 1e-3);
  CHECK(s.params.batch == 2048);
  CHECK(s.params.data_batch == 2048);
  CHECK(s.steps == 2000);
  for (const auto& e : generatorPresetCatalog()) {
    const GeneratorScenario ps = generatorPreset(e.name);
    CHECK_NOTHROW(ps.params.validate());
    const GeneratorScenario back = generatorScenarioFromJson(generatorScenarioToJson(ps), e.name);
    CHECK(back == ps);
  }
  CHECK_THROWS_WITH_AS(generatorPreset("gen_nope"), doctest::Contains("gen_nope"), InvalidArgument);

  applyGeneratorSetting(s, "lr=3e-4");
  applyGeneratorSetting(s, "widths=128,64");
  applyGeneratorSetting(s, "kernel=gaussian");
  CHECK(s.params.adam.lr == 3e-4);
  CHECK(s.params.arch.hidden == std::vector<int>{128, 64});
  CHECK(s.params.field.kernel.kind == KernelKind::Gaussian);
  const GeneratorScenario keep = s;
  CHECK_THROWS_WITH_AS(applyGeneratorSetting(s, "batch=1"), doctest::Contains("batch"), InvalidArgument);
  CHECK_THROWS_AS(applyGeneratorSetting(s, "kernel=nope"), InvalidArgument);
  CHECK(s == keep);

  // the digits (d = 64) need output_dim 64: with the default start one setting does it; the
  // collapsed start then asks for a centre of 64 values, and takes one
  GeneratorScenario digits = generatorPreset("gen_checkerboard");
  applyGeneratorSetting(digits, "dataset=digits");
  applyGeneratorSetting(digits, "output_dim=64");
  CHECK(digits.params.arch.output_dim == 64);
  CHECK_THROWS_WITH_AS(applyGeneratorSetting(digits, "network_init=collapsed"),
                       doctest::Contains("generator.init_center: expected 64 values (got 2)"), InvalidArgument);
  std::string centre = "init_center=0.5";
  for (int k = 1; k < 64; ++k) centre += ",0.5";
  applyGeneratorSetting(digits, centre);
  applyGeneratorSetting(digits, "network_init=collapsed");
  CHECK(digits.params.network_init == NetworkInit::Collapsed);

  std::string json = generatorScenarioToJson(s);
  CHECK_THROWS_WITH_AS(generatorScenarioFromJson(replaceFirst(json, "\"lr\"", "\"lrr\""), "g.json"),
                       doctest::Contains("g.json: unknown field 'generator.lrr' (did you mean 'generator.lr'?)"), InvalidArgument);
  CHECK_THROWS_WITH_AS(generatorScenarioFromJson(replaceFirst(json, "\"batch\": 2048", "\"batch\": -3"), "g.json"),
                       doctest::Contains("generator.batch"), InvalidArgument);
  CHECK_THROWS_WITH_AS(generatorScenarioFromJson("{\"name\": \"x\"}", "g.json"), doctest::Contains("\"generator\""),
                       InvalidArgument);
}

TEST_CASE("generator: a non-finite step is skipped, the learning rate halved and a warning given") {
  GeneratorParams p = smallParams();
  Mlp broken(p.arch, 1);
  broken.bias(broken.numLayers() - 1)(0) = std::numeric_limits<float>::quiet_NaN();  // every output x is NaN
  GeneratorEngine engine(p, broken, 0);
  const std::vector<float> before(engine.network().parameters().begin(), engine.network().parameters().end());
  const TrainReport rep = engine.step();
  CHECK_FALSE(rep.ok);
  CHECK(rep.warning.find("learning rate halved") != std::string::npos);
  CHECK(engine.currentLr() == doctest::Approx(0.5 * p.adam.lr).epsilon(1e-15));
  CHECK(engine.params().adam.lr == doctest::Approx(0.5 * p.adam.lr).epsilon(1e-15));
  CHECK(engine.optimizer().stepCount() == 0);  // no update was applied
  const auto after = engine.network().parameters();
  for (std::size_t i = 0; i < before.size(); ++i)
    CHECK((after[i] == before[i] || (std::isnan(after[i]) && std::isnan(before[i]))));
}

TEST_CASE("generator: the latent grid image of a 2-D latent is the network on the grid nodes") {
  GeneratorParams p = smallParams();
  p.arch.input_dim = 2;
  GeneratorEngine engine(p);
  const Points img = engine.latentGridImage(5, 2.0);
  REQUIRE(img.cols() == 25);
  Mlp::Matrix z(2, 1);
  z << -2.0f + 4.0f * 3 / 4, -2.0f + 4.0f * 1 / 4;  // node ix = 3, iy = 1
  CHECK((engine.network().evaluate(z).cast<double>().col(0) - img.col(1 * 5 + 3)).cwiseAbs().maxCoeff() < 1e-6);
  p.arch.input_dim = 3;
  GeneratorEngine three(p);
  CHECK_THROWS_WITH_AS(three.latentGridImage(5), doctest::Contains("2-D latent"), InvalidArgument);
}

TEST_CASE("generator: displacement cap limits each target displacement to cap * h along v") {
  GeneratorParams p = smallParams();
  p.eta = 10.0;
  p.field.displacement_cap = 0.5;
  GeneratorEngine engine(p);
  const TrainReport rep = engine.step();
  REQUIRE(rep.ok);
  const Points& v = engine.lastVelocities();
  const Points& d = engine.lastDisplacements();
  const double cap = 0.5 * 0.2;
  int capped = 0;
  for (int i = 0; i < v.cols(); ++i) {
    const double full = p.eta * v.col(i).norm();
    if (full > cap) {
      ++capped;
      CHECK(d.col(i).norm() == doctest::Approx(cap).epsilon(1e-12));
      CHECK(d.col(i).dot(v.col(i)) == doctest::Approx(d.col(i).norm() * v.col(i).norm()).epsilon(1e-12));
    } else {
      CHECK((d.col(i) - p.eta * v.col(i)).cwiseAbs().maxCoeff() < 1e-15);
    }
  }
  CHECK(capped == rep.capped);
  CHECK(capped > 0);
  CHECK(rep.loss == doctest::Approx(d.squaredNorm() / (2.0 * p.batch)).epsilon(1e-12));
}

TEST_CASE("generator: the weight average follows its formula, leaves training alone and is what samples use") {
  GeneratorParams raw = smallParams();
  GeneratorParams avg = raw;
  avg.ema = 0.5;
  GeneratorEngine a(raw), b(avg);
  // avg_k = d_k avg_{k-1} + (1 - d_k) theta_k, d_k = min(0.5, (1 + k) / (10 + k)), avg_0 = theta_0
  std::vector<double> expected(a.network().parameters().begin(), a.network().parameters().end());
  for (int k = 1; k <= 4; ++k) {
    a.step();
    b.step();
    const auto theta = a.network().parameters();
    const double d = std::min(0.5, (1.0 + k) / (10.0 + k));
    for (std::size_t i = 0; i < expected.size(); ++i) expected[i] = d * expected[i] + (1.0 - d) * theta[i];
  }
  // training never reads the average: the raw weights are bit-identical with and without it
  CHECK(std::equal(a.network().parameters().begin(), a.network().parameters().end(),
                   b.network().parameters().begin(), b.network().parameters().end()));
  double worst = 0.0, spread = 0.0;
  const auto got = b.samplingNetwork().parameters();
  const auto theta = b.network().parameters();
  for (std::size_t i = 0; i < expected.size(); ++i) {
    worst = std::max(worst, std::abs(got[i] - expected[i]));
    spread = std::max(spread, std::abs(double(theta[i]) - expected[i]));
  }
  CHECK(worst < 1e-6);
  CHECK(spread > 1e-4);  // the average really differs from the raw weights after 4 steps
  // samples, the saved model and generate come from the average; off, from the raw weights
  CHECK((b.samples().array() == generateSamples(b.samplingNetwork(), avg.sample_count, avg.sample_seed).array()).all());
  CHECK((a.samples().array() == generateSamples(a.network(), raw.sample_count, raw.sample_seed).array()).all());
  GeneratorScenario s;
  s.params = avg;
  const GeneratorModel m = modelFromEngine(b, s);
  CHECK(std::equal(m.network.parameters().begin(), m.network.parameters().end(), got.begin(), got.end()));

  // switching the average on mid-run starts it at the current weights
  a.setParams(avg);
  CHECK(std::equal(a.samplingNetwork().parameters().begin(), a.samplingNetwork().parameters().end(),
                   a.network().parameters().begin(), a.network().parameters().end()));

  GeneratorScenario g = generatorPreset("gen_checkerboard");
  applyGeneratorSetting(g, "ema=0.99");
  CHECK(g.params.ema == 0.99);
  CHECK(generatorScenarioFromJson(generatorScenarioToJson(g), "g.json") == g);
  CHECK_THROWS_WITH_AS(applyGeneratorSetting(g, "ema=1"), doctest::Contains("generator.ema"), InvalidArgument);
  CHECK(g.params.ema == 0.99);
}

TEST_CASE("model file: the checksum covers the scenario and step, so an edited sample seed is caught, version 1 still loads") {
  // it once covered the weights only: editing the activation or the sample seed silently changed
  // what the model generates
  GeneratorScenario s;
  s.params = smallParams();
  GeneratorEngine engine(s.params);
  engine.step();
  const GeneratorModel m = modelFromEngine(engine, s);
  const std::string text = modelToJson(m);
  const auto seed_at = text.find("\"sample_seed\": ");
  REQUIRE(seed_at != std::string::npos);
  std::string edited = text;
  edited.insert(seed_at + 15, "1");  // sample_seed N -> 1N
  CHECK_THROWS_WITH_AS(modelFromJson(edited, "m.json"), doctest::Contains("checksum mismatch"), InvalidArgument);
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(text, "\"step\": 1,", "\"step\": 2,"), "m.json"),
                       doctest::Contains("checksum mismatch"), InvalidArgument);
  // a version-1 file: the weights' checksum alone
  const auto sum_at = text.find("\"checksum\": \"fnv1a64:");
  REQUIRE(sum_at != std::string::npos);
  std::string v1 = replaceFirst(text, "\"version\": 2", "\"version\": 1");
  const auto v1_sum = v1.find("fnv1a64:", v1.find("\"checksum\"")) + 8;
  v1.replace(v1_sum, 16, weightsChecksum(m.network));
  const GeneratorModel back = modelFromJson(v1, "old.json");
  const auto a = back.network.parameters(), b = m.network.parameters();
  CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
}

TEST_CASE("model file: a weight equal to FLT_MAX is saved and loaded back exactly") {
  // written as 3.40282347e+38 (9 digits), a hair above FLT_MAX as a double: it was refused on load
  GeneratorScenario s;
  s.params = smallParams();
  GeneratorEngine engine(s.params);
  GeneratorModel m = modelFromEngine(engine, s);
  m.network.weight(0)(0, 0) = std::numeric_limits<float>::max();
  m.network.bias(0)(0) = -std::numeric_limits<float>::max();
  const GeneratorModel back = modelFromJson(modelToJson(m), "max.json");
  CHECK(back.network.weight(0)(0, 0) == std::numeric_limits<float>::max());
  CHECK(back.network.bias(0)(0) == -std::numeric_limits<float>::max());
  CHECK_THROWS_WITH_AS(modelFromJson(replaceFirst(modelToJson(m), "3.40282347e+38", "3.5e+38"), "m.json"),
                       doctest::Contains("not a finite float32"), InvalidArgument);
}
