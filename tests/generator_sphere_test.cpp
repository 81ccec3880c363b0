// The generator on the sphere (THEORY.md §10.7): normalized output x = g / |g|, the tangent
// velocity and the target Exp_x(eta v), the backward pass through the normalization, a short
// training run on the six vMF caps, model files that keep the geometry, and the CLI.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/geometry.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/io/points_file.hpp"
#include "generator/sphere_output.hpp"
#include "test_files.hpp"

using namespace driftlab;

namespace {

// a small generator on the six caps (d = 3)
GeneratorParams sphereParams() {
  GeneratorParams p;
  p.field.dataset = "sphere_vmf_caps";
  p.field.geometry = GeometryKind::Sphere;
  p.field.kernel.kind = KernelKind::Laplacian;  // the gen_sphere_caps field (DM's, at temperature 0.1)
  p.field.bandwidth.rule = BandwidthRule::Fixed;
  p.field.bandwidth.h = 0.1;
  p.field.weights = DivergenceWeights::single(Divergence::DriftDouble);
  p.field.displacement_cap = 0.0;  // as the preset (the target test turns it on)
  p.field.metrics_h = 0.1;
  p.arch.input_dim = 8;
  p.arch.hidden = {64, 64};
  p.arch.output_dim = 3;
  p.batch = 256;
  p.data_batch = 256;
  p.sample_count = 512;
  p.eta = 1.0;
  return p;
}

double worstUnitError(const Points& x) {
  double worst = 0.0;
  for (Eigen::Index i = 0; i < x.cols(); ++i) worst = std::max(worst, std::abs(x.col(i).norm() - 1.0));
  return worst;
}

}  // namespace

TEST_CASE("generator on the sphere: every sample is a unit vector during and after training") {
  GeneratorEngine engine(sphereParams());
  CHECK(worstUnitError(engine.samples()) <= 1e-12);
  for (int k = 0; k < 5; ++k) {
    REQUIRE(engine.step().ok);
    CHECK(worstUnitError(engine.lastBatch()) <= 1e-12);
    CHECK(worstUnitError(engine.lastData()) <= 1e-12);
    // the velocity is tangent at each sample, and the target x + d is the sphere step, on the sphere
    const Points& x = engine.lastBatch();
    const Points& v = engine.lastVelocities();
    for (Eigen::Index i = 0; i < x.cols(); ++i) CHECK(std::abs(x.col(i).dot(v.col(i))) <= 1e-12);
    CHECK(worstUnitError(x + engine.lastDisplacements()) <= 1e-12);
  }
  CHECK(worstUnitError(engine.samples()) <= 1e-12);
  CHECK(worstUnitError(engine.generate(300, 77)) <= 1e-12);
  // the same network in the plane gives the raw outputs, which are not unit vectors
  const Points raw = generateSamples(engine.samplingNetwork(), 300, 77);
  CHECK(worstUnitError(raw) > 1e-3);
  const Points unit = generateSamples(engine.samplingNetwork(), GeometryKind::Sphere, 300, 77);
  for (Eigen::Index i = 0; i < raw.cols(); ++i) CHECK((unit.col(i) - raw.col(i) / raw.col(i).norm()).norm() <= 1e-15);
}

TEST_CASE("generator on the sphere: the target is Exp_x(eta v) with the per-sample cap (sphere) or the retraction") {
  for (GeometryKind kind : {GeometryKind::Sphere, GeometryKind::SphereRetraction}) {
    GeneratorParams p = sphereParams();
    p.field.geometry = kind;
    p.field.displacement_cap = 0.3;
    GeneratorEngine engine(p);
    const TrainReport rep = engine.step();
    REQUIRE(rep.ok);
    CHECK(rep.capped > 0);
    const Points& x = engine.lastBatch();
    Points d = p.eta * engine.lastVelocities();
    const double cap = p.field.displacement_cap * p.field.bandwidth.h;
    for (Eigen::Index i = 0; i < d.cols(); ++i)
      if (d.col(i).norm() > cap) d.col(i) *= cap / d.col(i).norm();
    Points target = x;
    makeGeometry(kind)->move(target, d);
    CHECK((engine.lastDisplacements() - (target - x)).cwiseAbs().maxCoeff() <= 1e-15);
    CHECK(rep.loss == doctest::Approx((target - x).squaredNorm() / (3.0 * p.batch)).epsilon(1e-12));
  }
}

TEST_CASE("generator on the sphere: the normalization's backward pass matches finite differences") {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  Points g(4, 7), c(4, 7);
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    g.data()[i] = 2.0 * normal(rng);
    c.data()[i] = normal(rng);
  }
  g.col(3) *= 1e-3;  // a short output: a large Jacobian 1/|g|, still well above the guard
  // L(g) = sum_i c_i . x_i(g): dL/dx = c
  const auto loss = [&](const Points& gg) { return (normalizeOutput(gg).array() * c.array()).sum(); };
  std::vector<double> norms;
  const Points x = normalizeOutput(g, &norms);
  const Points grad = normalizeOutputBackward(x, norms, c);
  double worst = 0.0;
  for (Eigen::Index i = 0; i < g.size(); ++i) {
    const double step = 1e-6 * std::max(1e-3, std::abs(g.data()[i]));
    Points up = g, down = g;
    up.data()[i] += step;
    down.data()[i] -= step;
    const double fd = (loss(up) - loss(down)) / (2.0 * step);
    const double scale = std::max(std::abs(grad.data()[i]), 1e-3 * grad.cwiseAbs().maxCoeff());
    worst = std::max(worst, std::abs(fd - grad.data()[i]) / scale);
  }
  MESSAGE("worst relative difference to central differences " << worst);
  CHECK(worst <= 1e-6);
  // the gradient is tangent: moving g along itself does not move x
  for (Eigen::Index i = 0; i < g.cols(); ++i) CHECK(std::abs(grad.col(i).dot(g.col(i))) <= 1e-12 * grad.col(i).norm() * g.col(i).norm() + 1e-300);

  // the guard: a column shorter than kSphereOutputMinNorm becomes e_1 and passes no gradient;
  // a non-finite one stays NaN (the engine's finite check reports it)
  Points tiny = Points::Zero(3, 3);
  tiny(1, 1) = 0.5 * kSphereOutputMinNorm;
  tiny(2, 2) = std::nan("");
  const Points xt = normalizeOutput(tiny, &norms);
  CHECK(xt.col(0) == Vec::Unit(3, 0));
  CHECK(xt.col(1) == Vec::Unit(3, 0));
  CHECK(xt.col(2).hasNaN());
  const Points gt = normalizeOutputBackward(xt, norms, Points::Ones(3, 3));
  CHECK(gt.col(0).isZero());
  CHECK(gt.col(1).isZero());
}

TEST_CASE("generator on the sphere: the parameter gradient of a step equals the finite difference of the frozen-target loss") {
  GeneratorParams p = sphereParams();
  p.batch = 16;
  p.data_batch = 24;
  p.field.path = ComputePath::Exact64;
  p.arch.hidden = {8};
  GeneratorEngine engine(p);
  const MlpD before = engine.network().cast<double>();  // parameters the gradient is taken at
  const PointsF z = engine.trainingNoise(0);
  REQUIRE(engine.step().ok);
  const Points target = engine.lastBatch() + engine.lastDisplacements();  // frozen (stop-gradient)
  const double nd = static_cast<double>(p.batch) * 3;
  MlpD net = before;
  const MlpD::Matrix zd = z.cast<double>();
  // the loss through the normalization x = g / |g| (THEORY.md §10.7)
  auto loss = [&]() { return (normalizeOutput(net.evaluate(zd)) - target).squaredNorm() / nd; };
  const auto grads = engine.network().parameterGradients();  // float, from the step's backward
  double gmax = 0.0;
  for (float g : grads) gmax = std::max(gmax, static_cast<double>(std::fabs(g)));
  REQUIRE(gmax > 0);
  std::mt19937_64 rng(17);
  std::uniform_int_distribution<long> pick(0, net.parameterCount() - 1);
  const double eps = 1e-5;
  double worst = 0.0;
  for (int t = 0; t < 60; ++t) {
    const long i = pick(rng);
    const double keep = net.parameters()[i];
    net.parameters()[i] = keep + eps;
    const double lp = loss();
    net.parameters()[i] = keep - eps;
    const double lm = loss();
    net.parameters()[i] = keep;
    const double fd = (lp - lm) / (2 * eps);
    worst = std::max(worst, std::fabs(grads[i] - fd) / gmax);
  }
  MESSAGE("worst |backward - finite difference| / max |gradient| " << worst);
  CHECK(worst < 1e-3);  // float32 network and gradient against a float64 copy
}

TEST_CASE("generator on the sphere: a short training run covers the six caps and lowers the energy distance") {
  GeneratorEngine engine(sphereParams());
  MetricsOptions mo;
  mo.slices = 8;
  const GeneratorMetrics g0 = engine.metrics(mo, 512);
  for (int k = 0; k < 300; ++k) REQUIRE(engine.step().ok);
  const GeneratorMetrics g = engine.metrics(mo, 512);
  MESSAGE("energy distance " << g0.m.energy << " -> " << g.m.energy << ", caps covered " << g0.m.modes_covered << " -> "
                             << g.m.modes_covered);
  CHECK(g.m.step == 300);
  CHECK(g.m.modes_covered == 6);
  CHECK(g.m.energy < 0.2 * g0.m.energy);
  CHECK(worstUnitError(engine.samples()) <= 1e-12);
}

TEST_CASE("generator on the sphere: a saved model keeps its geometry and reproduces the unit samples") {
  GeneratorScenario s;
  s.params = sphereParams();
  GeneratorEngine engine(s.params);
  for (int k = 0; k < 3; ++k) REQUIRE(engine.step().ok);
  const std::string text = modelToJson(modelFromEngine(engine, s));
  CHECK(text.find("\"geometry\": \"sphere\"") != std::string::npos);
  const GeneratorModel back = modelFromJson(text, "sphere.json");
  CHECK(back.scenario.params.field.geometry == GeometryKind::Sphere);
  CHECK(back.scenario == modelFromEngine(engine, s).scenario);
  const Points a = engine.generate(200, 42);
  const Points b = generateSamples(back.network, back.scenario.params.field.geometry, 200, 42);
  CHECK((a.array() == b.array()).all());
  CHECK(worstUnitError(b) <= 1e-12);
  GeneratorEngine resumed(back.scenario.params, back.network, back.step);
  CHECK((resumed.samples().array() == engine.samples().array()).all());

  // a plane model's file does not name a geometry (files and checksums as before the sphere)
  GeneratorScenario plane = s;
  plane.params.field.dataset = "eight_gaussians";
  plane.params.field.geometry = GeometryKind::Euclidean;
  plane.params.arch.output_dim = 2;
  GeneratorEngine flat(plane.params);
  const std::string flat_text = modelToJson(modelFromEngine(flat, plane));
  CHECK(flat_text.find("geometry") == std::string::npos);
  CHECK(modelFromJson(flat_text, "flat.json").scenario.params.field.geometry == GeometryKind::Euclidean);
}

TEST_CASE("generator on the sphere: settings, presets and refusals") {
  GeneratorScenario s = generatorPreset("gen_checkerboard");
  applyGeneratorSetting(s, "dataset=sphere_vmf_caps");
  applyGeneratorSetting(s, "output_dim=3");
  applyGeneratorSetting(s, "geometry=sphere");
  CHECK(s.params.field.geometry == GeometryKind::Sphere);
  CHECK(generatorScenarioFromJson(generatorScenarioToJson(s), "s.json") == s);
  // d < 3 has no sphere: the engine refuses it naming the dataset
  GeneratorParams flat = sphereParams();
  flat.field.dataset = "eight_gaussians";
  flat.arch.output_dim = 2;
  CHECK_THROWS_WITH_AS(GeneratorEngine{flat}, doctest::Contains("at least 3 coordinates"), InvalidArgument);
  const GeneratorScenario preset = generatorPreset("gen_sphere_caps");
  CHECK(preset.params.field.geometry == GeometryKind::Sphere);
  CHECK(preset.params.field.dataset == "sphere_vmf_caps");
  CHECK(generatorScenarioFromJson(generatorScenarioToJson(preset), "p.json") == preset);
}

TEST_CASE("generator on the sphere: driftlab-cli train --set geometry=sphere and generate give unit vectors") {
  const std::string dir = testing::processTmpDir("generator_sphere_test");
  const std::string model = dir + "/sphere_model.json", samples = dir + "/train_samples.csv",
                    generated = dir + "/generated.csv";
  const testing::CliResult t = testing::runCliIn(
      dir, "train --preset gen_checkerboard --set dataset=sphere_vmf_caps --set output_dim=3 --set geometry=sphere "
           "--set widths=32,32 --set latent=4 --set batch=128 --set data_batch=128 --set sample_count=256 "
           "--set kernel=gaussian --set bandwidth.h=0.2 --set ema=0 --steps 20 --quiet --n 300 --samples '" + samples +
               "' --save '" + model + "'");
  CAPTURE(t.err);
  REQUIRE(t.code == 0);
  const Points x = readPoints(samples);
  CHECK(x.rows() == 3);
  CHECK(x.cols() == 300);
  CHECK(worstUnitError(x) <= 1e-12);
  const testing::CliResult g = testing::runCliIn(dir, "generate --model '" + model + "' --n 500 --out '" + generated + "'");
  CAPTURE(g.err);
  REQUIRE(g.code == 0);
  const Points y = readPoints(generated);
  CHECK(y.cols() == 500);
  CHECK(worstUnitError(y) <= 1e-12);
  CHECK((y.leftCols(300) - x).cwiseAbs().maxCoeff() <= 1e-12);  // the same seed: the same samples
}
