// Metrics on the sphere (THEORY.md §10.6): kernel normalizers on S^{d-1} against independent
// quadrature, the geodesic energy distance, the vMF MMD^2 against a double loop, and finite KDE
// estimates for kernels that have no normalizer in R^3 (Cauchy).
#include <doctest/doctest.h>

#include <Eigen/LU>
#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/kde/sphere_normalizer.hpp"
#include "single_term_options.hpp"

using namespace driftlab;
using driftlab::testing::singleTerm;

namespace {

constexpr KernelKind kAllKernels[] = {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32,
                                      KernelKind::StudentT, KernelKind::IMQ,       KernelKind::Cauchy};

// n unit vectors in R^d: two clusters, so that the sets have structure at the kernel's scale
Points unitPoints(int d, int n, unsigned seed, double spread = 0.4) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Points x(d, n);
  for (int i = 0; i < n; ++i) {
    for (int a = 0; a < d; ++a) x(a, i) = spread * g(rng) + (a == (i % 2) ? 1.0 : 0.0);
    x.col(i).normalize();
  }
  return x;
}

// a random rotation (det +1) of R^d: QR of a Gaussian matrix, signs fixed
Eigen::MatrixXd randomRotation(int d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Eigen::MatrixXd a(d, d);
  for (int i = 0; i < d * d; ++i) a.data()[i] = g(rng);
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ();
  const Eigen::MatrixXd r = qr.matrixQR();
  for (int k = 0; k < d; ++k)
    if (r(k, k) < 0) q.col(k) *= -1.0;
  if (q.determinant() < 0) q.col(0) *= -1.0;
  return q;
}

// log of |S^{d-2}| int_0^pi k(2 sin(t/2)) sin^{d-2} t dt by composite Simpson on n intervals in
// theta: a different rule and grid from the library's graded Gauss-Legendre panels. The
// integrand is analytic in theta (chord = 2 sin(theta/2)), so Simpson converges as n^-4.
double simpsonLogNormalizer(const KernelSpec& spec, int d, int n) {
  const KernelEvaluator k(spec, d);
  const double dt = std::numbers::pi / n;
  std::vector<double> logs;
  for (int i = 0; i <= n; ++i) {
    const double t = i * dt, s = std::sin(0.5 * t), st = std::sin(t);
    if (!(st > 0.0)) continue;  // the end points: sin^{d-2} = 0 for d > 2
    const double w = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
    logs.push_back(std::log(w * dt / 3.0) + k.logValue(4.0 * s * s) + (d - 2) * std::log(st));
  }
  const double m = *std::max_element(logs.begin(), logs.end());
  double sum = 0.0;
  for (double l : logs) sum += std::exp(l - m);
  const double half = 0.5 * (d - 1);  // |S^{d-2}| = 2 pi^{(d-1)/2} / Gamma((d-1)/2)
  return std::log(2.0) + half * std::log(std::numbers::pi) - std::lgamma(half) + m + std::log(sum);
}

}  // namespace

TEST_CASE("sphere normalizers: each kernel's KDE on S^2 integrates to 1 over a theta-phi grid") {
  // the kernel centred at the north pole, summed over a theta-phi grid of real 3-D points
  // (Simpson in theta, the periodic trapezoid rule in phi) and divided by the library's Z
  double worst = 0.0;
  for (const KernelKind kind : kAllKernels) {
    for (const double h : {0.05, 0.3, 1.0, 3.0}) {
      KernelSpec spec;
      spec.kind = kind;
      spec.h = h;
      const std::string kernel_name = kernelName(kind);
      CAPTURE(kernel_name);
      CAPTURE(h);
      const double z = std::exp(logSphereNormalizer(spec, 3));
      const KernelEvaluator k(spec, 3);
      const int nt = 4000, np = 8;
      const double dt = std::numbers::pi / nt, dp = 2.0 * std::numbers::pi / np;
      double total = 0.0;
      for (int i = 0; i <= nt; ++i) {
        const double t = i * dt, w = (i == 0 || i == nt) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        for (int j = 0; j < np; ++j) {
          const Eigen::Vector3d x(std::sin(t) * std::cos(j * dp), std::sin(t) * std::sin(j * dp), std::cos(t));
          total += w * dt / 3.0 * dp * std::sin(t) * k.value((x - Eigen::Vector3d(0, 0, 1)).squaredNorm());
        }
      }
      CHECK(std::abs(total / z - 1.0) < 1e-6);
      worst = std::max(worst, std::abs(total / z - 1.0));
    }
  }
  MESSAGE("S^2 normalizers, worst |grid integral / Z - 1| = " << worst);
}

TEST_CASE("sphere normalizers: a Fibonacci lattice around an off-pole centre, and S^3 / S^63 by Simpson") {
  // an equal-area lattice of 400000 points, the kernel centred at a generic unit vector
  const int n = 400000;
  const Eigen::Vector3d mu = Eigen::Vector3d(0.3, -0.5, 0.8).normalized();
  double worst_lattice = 0.0;
  for (const KernelKind kind : kAllKernels) {
    KernelSpec spec;
    spec.kind = kind;
    spec.h = 0.3;
    const KernelEvaluator k(spec, 3);
    double sum = 0.0;
    const double golden = std::numbers::pi * (3.0 - std::sqrt(5.0));
    for (int i = 0; i < n; ++i) {
      const double z = 1.0 - (2.0 * i + 1.0) / n, r = std::sqrt(1.0 - z * z), phi = golden * i;
      sum += k.value((Eigen::Vector3d(r * std::cos(phi), r * std::sin(phi), z) - mu).squaredNorm());
    }
    const double integral = sum * 4.0 * std::numbers::pi / n;
    const std::string kernel_name = kernelName(kind);
    CAPTURE(kernel_name);
    const double err = std::abs(integral / std::exp(logSphereNormalizer(spec, 3)) - 1.0);
    CHECK(err < 1e-4);
    worst_lattice = std::max(worst_lattice, err);
  }
  // higher dimensions: log Z against Simpson on 20000 intervals
  double worst_d = 0.0;
  for (const int d : {4, 5, 64}) {
    for (const KernelKind kind : kAllKernels) {
      for (const double h : {0.1, 0.5, 2.0}) {
        KernelSpec spec;
        spec.kind = kind;
        spec.h = h;
        CAPTURE(d);
        const std::string kernel_name = kernelName(kind);
        CAPTURE(kernel_name);
        CAPTURE(h);
        const double diff = std::abs(logSphereNormalizer(spec, d) - simpsonLogNormalizer(spec, d, 20000));
        CHECK(diff < 1e-6);
        worst_d = std::max(worst_d, diff);
      }
    }
  }
  MESSAGE("Fibonacci lattice worst relative error " << worst_lattice << "; d = 4, 5, 64 worst |log Z - Simpson| "
                                                    << worst_d);
  // the vMF closed form equals the quadrature of the Gaussian kernel (its S^2 special case)
  KernelSpec g;
  g.h = 0.4;
  CHECK(std::abs(vmfLogNormalizerS2(1.0 / (0.4 * 0.4)) - simpsonLogNormalizer(g, 3, 20000)) < 1e-12);
  CHECK_THROWS_AS(logSphereNormalizer(g, 2), InvalidArgument);
}

TEST_CASE("sphere metrics: geodesic energy distance is 0 to itself, > 0 to a rotated copy, rotation invariant") {
  const Points x = unitPoints(3, 80, 1), y = unitPoints(3, 70, 2, 0.8);
  CHECK(energyDistance(x, x, true) == 0.0);
  const Eigen::MatrixXd r = randomRotation(3, 5);
  const Points xr = r * x;
  CHECK(energyDistance(x, xr, true) > 1e-3);
  // brute force: arccos(clamp(x.y)), 0 on the diagonal (where arccos of a rounded 1 is 1e-8)
  auto brute = [](const Points& a, const Points& b) {
    double s = 0.0;
    for (Eigen::Index i = 0; i < a.cols(); ++i)
      for (Eigen::Index j = 0; j < b.cols(); ++j)
        s += (&a == &b && i == j) ? 0.0 : std::acos(std::clamp(a.col(i).dot(b.col(j)), -1.0, 1.0));
    return s / double(a.cols() * b.cols());
  };
  const double e_brute = 2.0 * brute(x, y) - brute(x, x) - brute(y, y);
  const double e = energyDistance(x, y, true);
  CHECK(std::abs(e - e_brute) < 1e-12);
  double worst = 0.0;
  for (unsigned seed = 10; seed < 15; ++seed) {
    const Eigen::MatrixXd q = randomRotation(3, seed);
    worst = std::max(worst, std::abs(energyDistance(q * x, q * y, true) - e));
  }
  CHECK(worst <= 1e-12);
  // and in 5 dimensions
  const Points x5 = unitPoints(5, 40, 3), y5 = unitPoints(5, 50, 4);
  const Eigen::MatrixXd q5 = randomRotation(5, 21);
  const double e5 = energyDistance(x5, y5, true);
  CHECK(std::abs(energyDistance(q5 * x5, q5 * y5, true) - e5) <= 1e-12);
  MESSAGE("geodesic energy " << e << " (brute force differs by " << std::abs(e - e_brute)
                             << "), worst change under rotation " << worst);
}

TEST_CASE("sphere metrics: vMF MMD^2 equals a double loop over e^{kappa (x.y - 1)}") {
  const Points x = unitPoints(3, 60, 7), y = unitPoints(3, 50, 8, 0.7);
  double worst = 0.0;
  for (const double kappa : {1.0, 25.0, 100.0}) {
    auto k = [&](const Points& a, const Points& b) {
      double s = 0.0;
      for (Eigen::Index i = 0; i < a.cols(); ++i)
        for (Eigen::Index j = 0; j < b.cols(); ++j) s += std::exp(kappa * (a.col(i).dot(b.col(j)) - 1.0));
      return s / double(a.cols() * b.cols());
    };
    const double brute = k(x, x) + k(y, y) - 2.0 * k(x, y);
    const double mmd = mmd2Vmf(x, y, kappa);
    CAPTURE(kappa);
    CHECK(std::abs(mmd - brute) <= 1e-12);
    CHECK(mmd > 0.0);
    worst = std::max(worst, std::abs(mmd - brute));
  }
  CHECK(mmd2Vmf(x, x, 10.0) == 0.0);
  MESSAGE("vMF MMD^2 vs double loop: worst difference " << worst);
  // computeMetrics on the sphere: its mmd2 is the vMF one at kappa = 1/metrics_h^2, its energy geodesic
  MetricsOptions opt;
  opt.reference_h = 0.2;
  opt.sphere = true;
  const Metrics m = computeMetrics(x, y, Points(3, 0), {}, VelocityOptions{}, opt);
  CHECK(m.mmd2 == doctest::Approx(mmd2Vmf(x, y, 25.0)).epsilon(1e-14));
  CHECK(m.energy == doctest::Approx(energyDistance(x, y, true)).epsilon(1e-14));
  opt.sphere = false;
  CHECK(computeMetrics(x, y, Points(3, 0), {}, VelocityOptions{}, opt).energy == doctest::Approx(energyDistance(x, y)).epsilon(1e-14));
}

TEST_CASE("sphere metrics: KDE estimates are finite on S^2 for every kernel, and ~0 for a set against itself") {
  const Points x = unitPoints(3, 120, 9), y = unitPoints(3, 100, 10, 0.6);
  for (const KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Cauchy}) {
    const std::string kernel_name = kernelName(kind);
    CAPTURE(kernel_name);
    const double self_exact = objectiveValue(x, x, singleTerm(kind, 0.3, Divergence::ForwardKL, false), true);
    const double self_loo = objectiveValue(x, x, singleTerm(kind, 0.3, Divergence::ForwardKL, true), true);
    const double other = objectiveValue(x, y, singleTerm(kind, 0.3, Divergence::ForwardKL, true), true);
    const double chi2 = objectiveValue(x, y, singleTerm(kind, 0.3, Divergence::Chi2, true), true);
    MESSAGE(std::string(kernelName(kind)) << ": KL(x||x) " << self_exact << " (leave-one-out " << self_loo << "), KL(x||y) "
                             << other << ", chi2 " << chi2);
    CHECK(self_exact == 0.0);
    CHECK(std::isfinite(self_loo));
    CHECK(std::abs(self_loo) < 0.2);  // leave-one-out bias log((S - 1)/(N - 1)) - log(S/N) < 0
    CHECK(std::isfinite(other));
    CHECK(other > 0.0);
    CHECK(std::isfinite(chi2));
  }
  // in R^3 the Cauchy kernel has no normalizer, so there the estimate stays undefined
  CHECK(std::isnan(objectiveValue(x, y, singleTerm(KernelKind::Cauchy, 0.3, Divergence::ForwardKL, true))));
  // and computeMetrics passes the geometry on: the objective column of a Cauchy run is a number
  MetricsOptions opt;
  opt.sphere = true;
  const Metrics m = computeMetrics(x, y, Points(3, 0), {}, singleTerm(KernelKind::Cauchy, 0.3, Divergence::ReverseKL, true), opt);
  CHECK(std::isfinite(m.objective));
  CHECK(std::isfinite(m.kl_qp));
  CHECK(std::isfinite(m.chi2));
  const Metrics same = computeMetrics(x, x, Points(3, 0), {}, VelocityOptions{}, opt);
  CHECK(same.energy == 0.0);
  CHECK(same.mmd2 == 0.0);
  CHECK(std::isfinite(same.kl_qp));
}
