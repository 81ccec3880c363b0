// Particle flows on the unit sphere (geometry = sphere, THEORY.md §10): data and particles are
// placed on S^2, every velocity is tangent, every step stays on the sphere, and the flow moves the
// particles toward the data. Data: two caps around +e3 and +e1, written as a CSV of 3-D points.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"

using namespace driftlab;

namespace {

// two caps of 150 points each, not yet of unit length (the engine scales them)
std::string writeCapsCsv() {
  const std::string dir = std::string(DRIFTLAB_TEST_TMP) + "/sphere_flow_test";
  std::filesystem::create_directories(dir);
  // one file per process: ctest runs the test cases of this file side by side (-j2)
  const std::string path = dir + "/caps_" + std::to_string(::getpid()) + ".csv";
  std::ofstream f(path);
  f << "x,y,z\n";
  std::mt19937_64 rng(11);
  std::normal_distribution<double> n(0.0, 0.15);
  for (int i = 0; i < 300; ++i) {
    const bool north = i % 2 == 0;
    f << (north ? 0.0 : 2.0) + n(rng) << "," << n(rng) << "," << (north ? 2.0 : 0.0) + n(rng) << "\n";
  }
  return path;
}

FlowParams sphereParams(GeometryKind kind) {
  FlowParams p = defaultScenario().params;
  p.geometry = kind;
  p.dataset = "csv";
  p.data_csv = writeCapsCsv();
  p.init = "gaussian";
  p.particles = 200;
  p.kernel.kind = KernelKind::Gaussian;  // on the sphere: exactly the von Mises-Fisher kernel
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.3;
  p.path = ComputePath::Exact64;
  return p;
}

}  // namespace

TEST_CASE("sphere flow: points on S^2, tangent velocities, steps that stay on the sphere and approach the data") {
  for (const GeometryKind kind : {GeometryKind::Sphere, GeometryKind::SphereRetraction}) {
    CAPTURE(static_cast<int>(kind));
    FlowEngine engine(sphereParams(kind));
    for (Eigen::Index i = 0; i < engine.data().cols(); ++i) REQUIRE(std::abs(engine.data().col(i).norm() - 1.0) < 1e-14);
    const double energy0 = engine.metrics().energy;
    for (int k = 0; k < 59; ++k) REQUIRE(engine.step().ok);
    const Points before = engine.particles();  // the last step's velocity is tangent here
    REQUIRE(engine.step().ok);
    const Points& x = engine.particles();
    const Points& v = engine.velocities();
    double worst_norm = 0.0, worst_dot = 0.0;
    for (Eigen::Index i = 0; i < x.cols(); ++i) {
      worst_norm = std::max(worst_norm, std::abs(x.col(i).norm() - 1.0));
      worst_dot = std::max(worst_dot, std::abs(before.col(i).dot(v.col(i))) / std::max(1.0, v.col(i).norm()));
    }
    CHECK(worst_norm <= 1e-12);
    CHECK(worst_dot <= 1e-12);
    const double energy1 = engine.metrics().energy;
    CHECK(energy1 < 0.5 * energy0);  // the particles moved toward the caps
  }
}

TEST_CASE("sphere flow: particles equal to the data feel no field (THEORY 13.20)") {
  FlowParams p = sphereParams(GeometryKind::Sphere);
  p.init = "csv";
  p.init_csv = p.data_csv;
  p.leave_one_out = false;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  FlowEngine engine(p);
  REQUIRE(engine.step().ok);
  CHECK(engine.velocities().cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("sphere flow: 2-D data and zero points are refused in one line naming the source") {
  FlowParams p = defaultScenario().params;
  p.geometry = GeometryKind::Sphere;
  try {
    FlowEngine engine(p);
    FAIL("2-D data was accepted on the sphere");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()) == "dataset eight_gaussians: points on the sphere need at least 3 coordinates (got 2)");
  }
  Scenario s = defaultScenario();
  applySetting(s, "geometry=sphere_retraction");
  CHECK(s.params.geometry == GeometryKind::SphereRetraction);
  CHECK(scenarioFromJson(scenarioToJson(s), "round.json") == s);
}
