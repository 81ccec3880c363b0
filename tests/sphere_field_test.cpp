// Fields on the sphere (THEORY.md §10.2-§10.3, MATH.md §8 item 19): the vMF forward-KL field is
// the tangent part of the Euclidean Gaussian field, every field is rotation equivariant, long runs
// of every field stay on S^2 with tangent velocities, and `driftlab-cli field --geometry sphere`
// prints the engine's tangent velocities.
#include <doctest/doctest.h>

#include <Eigen/LU>
#include <Eigen/LU>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <Eigen/LU>
#include <Eigen/LU>
#include <Eigen/QR>

#include "test_files.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/geometry.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/csv.hpp"

using namespace driftlab;

namespace {

Points unitPoints(int n, unsigned seed, double spread) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Points x(3, n);
  for (int i = 0; i < n; ++i) {
    for (int a = 0; a < 3; ++a) x(a, i) = spread * g(rng) + (a == (i % 3) ? 1.0 : 0.0);
    x.col(i).normalize();
  }
  return x;
}

Eigen::Matrix3d randomRotation(unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Eigen::Matrix3d a;
  for (int i = 0; i < 9; ++i) a.data()[i] = g(rng);
  Eigen::HouseholderQR<Eigen::Matrix3d> qr(a);
  Eigen::Matrix3d q = qr.householderQ();
  for (int k = 0; k < 3; ++k)
    if (qr.matrixQR()(k, k) < 0) q.col(k) *= -1.0;
  if (q.determinant() < 0) q.col(0) *= -1.0;
  return q;
}

// the engine's field on the sphere: the plug-in velocity, projected onto the tangent planes
Points tangentField(const Points& x, const Points& y, const VelocityOptions& opt) {
  Points v = particleVelocity(x, y, opt);
  makeGeometry(GeometryKind::Sphere)->projectTangent(x, v);
  return v;
}

double maxAbs(const Points& v) { return v.size() ? v.cwiseAbs().maxCoeff() : 0.0; }

}  // namespace

TEST_CASE("sphere field: the vMF forward-KL field is the tangent part of the Euclidean Gaussian field") {
  // brute force on S^2: grad_S log p_hat(x) = kappa P_x sum_j w_j y_j, w = softmax_j(kappa x.y_j),
  // and the same for q_hat without x itself (leave-one-out); v = grad_S log p_hat - grad_S log q_hat
  const Points x = unitPoints(40, 1, 0.5), y = unitPoints(50, 2, 0.3);
  for (const double h : {0.2, 0.5, 1.0}) {
    const double kappa = 1.0 / (h * h);
    auto score = [&](const Eigen::Vector3d& at, const Points& pts, long skip) {
      double m = -1e300;
      for (long j = 0; j < pts.cols(); ++j)
        if (j != skip) m = std::max(m, kappa * at.dot(pts.col(j)));
      Eigen::Vector3d s = Eigen::Vector3d::Zero();
      double z = 0.0;
      for (long j = 0; j < pts.cols(); ++j) {
        if (j == skip) continue;
        const double w = std::exp(kappa * at.dot(pts.col(j)) - m);
        s += w * pts.col(j);
        z += w;
      }
      s /= z;
      return Eigen::Vector3d(kappa * (s - at.dot(s) * at));
    };
    VelocityOptions opt;
    opt.kernel.h = h;
    opt.weights = DivergenceWeights::single(Divergence::ForwardKL);
    const Points v = tangentField(x, y, opt);
    double worst = 0.0;
    for (long i = 0; i < x.cols(); ++i) {
      const Eigen::Vector3d xi = x.col(i);
      const Eigen::Vector3d brute = score(xi, y, -1) - score(xi, x, i);
      worst = std::max(worst, (v.col(i) - brute).cwiseAbs().maxCoeff() / std::max(1.0, brute.norm()));
    }
    CAPTURE(h);
    CHECK(worst <= 1e-12);
    MESSAGE("h = " << h << ": vMF brute force vs projected Gaussian field, worst relative difference " << worst);
  }
}

TEST_CASE("sphere field: every field is rotation equivariant, v(Qx; Qy) = Q v(x; y)") {
  const Points x = unitPoints(40, 3, 0.6), y = unitPoints(50, 4, 0.3);
  double worst = 0.0;
  for (int t = 0; t < kNumDivergences; ++t) {
    for (const KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Cauchy}) {
      VelocityOptions opt;
      opt.kernel.kind = kind;
      opt.kernel.h = 0.4;
      opt.weights = DivergenceWeights::single(static_cast<Divergence>(t));
      const Points v = tangentField(x, y, opt);
      for (unsigned seed : {7u, 8u}) {
        const Eigen::Matrix3d q = randomRotation(seed);
        const Points vq = tangentField(q * x, q * y, opt);
        const double err = maxAbs(vq - q * v) / std::max(1.0, maxAbs(v));
        CAPTURE(t);
        const std::string kernel_name = kernelName(kind);
        CAPTURE(kernel_name);
        CHECK(err <= 1e-12);
        worst = std::max(worst, err);
      }
    }
  }
  MESSAGE("rotation equivariance, worst |v(Qx) - Q v(x)| / max(1, max|v|) = " << worst);
}

TEST_CASE("sphere field: 1000 steps of every field keep |x| = 1 and tangent velocities, float64 and float32 sums") {
  // the float32 path sums the kernels in float; the projection and the exponential map stay in
  // double, so its particles stay on the sphere as tightly (the bar for it was 1e-6)
  std::vector<Points> forward_kl_end;  // per path: the float32 sums did run (another trajectory)
  for (const ComputePath path : {ComputePath::Exact64, ComputePath::Exact32}) {
    double worst_norm = 0.0, worst_dot = 0.0;
    for (int t = 0; t < kNumDivergences; ++t) {
      FlowParams p = defaultScenario().params;
      p.geometry = GeometryKind::Sphere;
      p.dataset = "sphere_vmf_caps";
      p.samples = 30;
      p.init = "sphere_uniform";
      p.particles = 16;
      p.kernel.kind = KernelKind::Gaussian;
      p.bandwidth.rule = BandwidthRule::Fixed;
      p.bandwidth.h = 0.3;
      p.path = path;
      p.weights = DivergenceWeights::single(static_cast<Divergence>(t));
      FlowEngine engine(p);
      for (int k = 0; k < 999; ++k) REQUIRE(engine.step().ok);
      const Points before = engine.particles();  // the last step's velocity is tangent here
      REQUIRE(engine.step().ok);
      const Points& x = engine.particles();
      const Points& v = engine.velocities();
      if (static_cast<Divergence>(t) == Divergence::ForwardKL) forward_kl_end.push_back(x);
      CAPTURE(t);
      CAPTURE(std::string(computePathName(path)));
      for (Eigen::Index i = 0; i < x.cols(); ++i) {
        const double norm_err = std::abs(x.col(i).norm() - 1.0);
        const double dot = std::abs(before.col(i).dot(v.col(i)));
        CHECK(norm_err <= 1e-12);
        // relative to max(1, |v|): near convergence |v| ~ 1e-4 while the unprojected field still has
        // an O(1) radial part, whose rounding (1e-16) the projection leaves behind
        CHECK(dot <= 1e-12 * std::max(1.0, v.col(i).norm()));
        worst_norm = std::max(worst_norm, norm_err);
        worst_dot = std::max(worst_dot, dot / std::max(1.0, v.col(i).norm()));
      }
    }
    MESSAGE(std::string(computePathName(path)) << ", 1000 steps of each field: worst ||x| - 1| " << worst_norm
                                               << ", worst |v.x| / max(1, |v|) " << worst_dot);
  }
  REQUIRE(forward_kl_end.size() == 2);
  CHECK((forward_kl_end[0] - forward_kl_end[1]).cwiseAbs().maxCoeff() > 0.0);
}

TEST_CASE("sphere field: driftlab-cli field --geometry sphere prints the engine's tangent velocities") {
  const std::string dir = testing::processTmpDir("sphere_field_test");
  // points of any length: the CLI scales them to unit vectors, as the engine does
  Points y = 2.0 * unitPoints(60, 5, 0.3), x = 0.5 * unitPoints(30, 6, 0.8);
  writeCsvPoints(dir + "/y.csv", y, coordinateNames(3));
  writeCsvPoints(dir + "/x.csv", x, coordinateNames(3));
  const std::string files = "field --data '" + dir + "/y.csv' --particles '" + dir + "/x.csv' ";
  for (const char* geometry : {"sphere", "sphere_retraction"}) {
    const testing::CliResult r =
        testing::runCliIn(dir, files + "--bandwidth 0.4 --divergence reverse_kl --geometry " + geometry);
    CAPTURE(r.err);
    REQUIRE(r.code == 0);
    const Points v = parseCsvPoints(r.out, "stdout");
    const Points xs = normalizedToSphere(x, "x"), ys = normalizedToSphere(y, "y");
    VelocityOptions opt;
    opt.kernel.h = 0.4;
    opt.weights = DivergenceWeights::single(Divergence::ReverseKL);
    const Points expected = tangentField(xs, ys, opt);
    REQUIRE(v.rows() == 3);
    REQUIRE(v.cols() == 30);
    CHECK(maxAbs(v - expected) <= 1e-14 * std::max(1.0, maxAbs(expected)));
    for (Eigen::Index i = 0; i < v.cols(); ++i) CHECK(std::abs(xs.col(i).dot(v.col(i))) <= 1e-12 * std::max(1.0, v.col(i).norm()));
  }
  // euclidean (the default) leaves the points and the field as they are: not tangent
  const testing::CliResult plane = testing::runCliIn(dir, files + "--bandwidth 0.4 --divergence reverse_kl");
  REQUIRE(plane.code == 0);
  VelocityOptions opt;
  opt.kernel.h = 0.4;
  opt.weights = DivergenceWeights::single(Divergence::ReverseKL);
  CHECK(maxAbs(parseCsvPoints(plane.out, "stdout") - particleVelocity(x, y, opt)) <= 1e-14 * std::max(1.0, maxAbs(particleVelocity(x, y, opt))));
  // bad input: one line naming the problem, exit 2
  const testing::CliResult bad = testing::runCliIn(dir, files + "--bandwidth 0.4 --geometry torus");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("--geometry: unknown 'torus'") != std::string::npos);
  Points flat(2, 3);
  flat << 1, 0, 1, 0, 1, 1;
  writeCsvPoints(dir + "/flat.csv", flat, coordinateNames(2));
  const testing::CliResult two_d = testing::runCliIn(
      dir, "field --data '" + dir + "/flat.csv' --particles '" + dir + "/flat.csv' --bandwidth 0.4 --geometry sphere");
  CAPTURE(two_d.err);
  CHECK(two_d.code == 2);
  CHECK(two_d.err.find("points on the sphere need at least 3 coordinates (got 2)") != std::string::npos);
}
