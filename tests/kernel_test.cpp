// Kernel catalogue: values, score coefficients, gradients, normalizers, names. THEORY.md §2.1, §2.3, §13.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/kde/kernel.hpp"
#include "math_brute_force.hpp"

using namespace driftlab;

namespace {

constexpr KernelKind kKinds[] = {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32,
                                 KernelKind::StudentT, KernelKind::IMQ,       KernelKind::Cauchy};

KernelSpec spec(KernelKind kind, double h) {
  KernelSpec s;
  s.kind = kind;
  s.h = h;
  s.nu = 3.0;
  s.beta = 2.0;
  s.c = 0.8;
  return s;
}

// integral over R^d of kappa by the radial formula S_{d-1} int_0^inf r^{d-1} kappa(r) dr,
// substitution r = t / (1 - t), composite Simpson on t in [0, 1)
double radialIntegral(const KernelSpec& s, int d) {
  const KernelEvaluator k(s, d);
  const double area = 2.0 * std::pow(std::numbers::pi, 0.5 * d) / std::tgamma(0.5 * d);
  const int n = 200000;
  auto f = [&](double t) {
    // t = 1: the limit r^{d+1} kappa(r) as r -> infinity (h^2 for the 1-D Cauchy kernel, else 0)
    if (t >= 1.0) t = 1.0 - 1e-12;
    const double r = t / (1.0 - t);
    return std::pow(r, d - 1) * k.value(r * r) / ((1.0 - t) * (1.0 - t));
  };
  double sum = f(0.0) + f(1.0);
  for (int i = 1; i < n; ++i) sum += (i % 2 ? 4.0 : 2.0) * f(double(i) / n);
  return area * sum / (3.0 * n);
}

}  // namespace

TEST_CASE("kernel normalizers match THEORY.md §2.1 in 2-D: Gaussian and Laplacian 2 pi h^2, Matern-3/2 6 pi h^2") {
  const double h = 0.37;
  CHECK(std::exp(logNormalizer(spec(KernelKind::Gaussian, h), 2)) ==
        doctest::Approx(2 * std::numbers::pi * h * h).epsilon(1e-13));
  CHECK(std::exp(logNormalizer(spec(KernelKind::Laplacian, h), 2)) ==
        doctest::Approx(2 * std::numbers::pi * h * h).epsilon(1e-13));
  CHECK(std::exp(logNormalizer(spec(KernelKind::Matern32, h), 2)) ==
        doctest::Approx(6 * std::numbers::pi * h * h).epsilon(1e-13));
  // Student-t nu = 3, d = 2: Gamma(3/2) (3 pi) h^2 / Gamma(5/2) = 2 pi h^2
  CHECK(std::exp(logNormalizer(spec(KernelKind::StudentT, h), 2)) ==
        doctest::Approx(2 * std::numbers::pi * h * h).epsilon(1e-13));
  // IMQ beta = 2, c = 0.8, d = 2: h^2 c^{-2} pi Gamma(1) / Gamma(2)
  CHECK(std::exp(logNormalizer(spec(KernelKind::IMQ, h), 2)) ==
        doctest::Approx(std::numbers::pi * h * h / 0.64).epsilon(1e-13));
  CHECK(std::exp(logNormalizer(spec(KernelKind::Cauchy, h), 1)) == doctest::Approx(std::numbers::pi * h).epsilon(1e-13));
}

TEST_CASE("non-integrable kernels: Cauchy for d >= 2, IMQ with 2 beta <= d") {
  CHECK_FALSE(isIntegrable(spec(KernelKind::Cauchy, 0.5), 2));
  CHECK(isIntegrable(spec(KernelKind::Cauchy, 0.5), 1));
  KernelSpec imq = spec(KernelKind::IMQ, 0.5);
  imq.beta = 0.5;
  CHECK_FALSE(isIntegrable(imq, 2));
  imq.beta = 1.0;
  CHECK_FALSE(isIntegrable(imq, 2));
  CHECK(isIntegrable(imq, 1));
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32, KernelKind::StudentT})
    for (int d = 1; d <= 4; ++d) CHECK(isIntegrable(spec(kind, 0.5), d));
}

TEST_CASE("kernel normalizers equal the radial quadrature of kappa in d = 1, 2, 3") {
  for (KernelKind kind : kKinds) {
    for (int d = 1; d <= 3; ++d) {
      KernelSpec s = spec(kind, 0.6);
      if (kind == KernelKind::IMQ) s.beta = 2.5;  // integrable up to d = 4
      if (!isIntegrable(s, d)) continue;
      const std::string kname = kernelName(kind);
      CAPTURE(kname);
      CAPTURE(d);
      CHECK(radialIntegral(s, d) == doctest::Approx(std::exp(logNormalizer(s, d))).epsilon(1e-7));
    }
  }
}

TEST_CASE("THEORY 13.16: a 2-D KDE integrates to 1 by grid quadrature (gaussian, laplacian, matern32, imq beta=2)") {
  // three centres; midpoint rule on a box that holds all but ~1e-8 of the mass
  Points centres(2, 3);
  centres << 0.1, -0.3, 0.25, 0.0, 0.2, -0.15;
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32, KernelKind::IMQ}) {
    const KernelSpec s = spec(kind, 0.2);
    const KernelEvaluator k(s, 2);
    const double half = kind == KernelKind::IMQ ? 30.0 : 5.0;  // IMQ beta = 2 tail ~ 1/r^4
    const int n = kind == KernelKind::IMQ ? 3000 : 1000;
    const double step = 2 * half / n;
    double mass = 0.0;
    for (int a = 0; a < n; ++a)
      for (int b = 0; b < n; ++b) {
        const double zx = -half + (a + 0.5) * step, zy = -half + (b + 0.5) * step;
        for (long j = 0; j < 3; ++j) {
          const double dx = zx - centres(0, j), dy = zy - centres(1, j);
          mass += k.value(dx * dx + dy * dy);
        }
      }
    mass *= step * step / (3.0 * std::exp(logNormalizer(s, 2)));
    const std::string kname = kernelName(kind);
    CAPTURE(kname);
    // IMQ: the box misses the tail beyond r = 30, a fraction h^2 c^2 / r^2 ~ 3e-5 of the mass
    CHECK(mass == doctest::Approx(1.0).epsilon(kind == KernelKind::IMQ ? 1e-4 : 1e-6));
  }
}

TEST_CASE("THEORY 13.16: Student-t nu = 3, h = 0.7 on [-20, 20]^2 integrates to 0.99983 (heavy tail)") {
  const KernelSpec s = spec(KernelKind::StudentT, 0.7);
  const KernelEvaluator k(s, 2);
  const int n = 2000;
  const double step = 40.0 / n;
  double mass = 0.0;
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) {
      const double zx = -20 + (a + 0.5) * step, zy = -20 + (b + 0.5) * step;
      mass += k.value(zx * zx + zy * zy);
    }
  mass *= step * step / std::exp(logNormalizer(s, 2));
  CHECK(mass == doctest::Approx(0.99983).epsilon(2e-5));
  // tail-corrected: the mass outside the disk of radius R is (1 + R^2/(nu h^2))^(-nu/2) for d = 2
  // (integrate 2 pi r (1 + r^2/(nu h^2))^(-a) with a = (nu + 2)/2); the box holds between the two disks
  const double outside_20 = std::pow(1 + 400.0 / (3 * 0.49), -1.5);
  const double outside_20sqrt2 = std::pow(1 + 800.0 / (3 * 0.49), -1.5);
  CHECK(mass < 1.0 - outside_20sqrt2);
  CHECK(mass > 1.0 - outside_20);
}

TEST_CASE("score coefficients match central differences of log kappa for every kernel, d = 1, 2, 3") {
  for (KernelKind kind : kKinds) {
    for (int d = 1; d <= 3; ++d) {
      const KernelSpec s = spec(kind, 0.45);
      const KernelEvaluator k(s, d);
      const Points xs = bf::randomPoints(d, 6, -1.0, 1.0, 11u + unsigned(d));
      const Points ys = bf::randomPoints(d, 6, -1.0, 1.0, 23u + unsigned(d));
      for (long j = 0; j < xs.cols(); ++j) {
        const Eigen::VectorXd x = xs.col(j), y = ys.col(j);
        const double eps = 1e-6;
        for (int a = 0; a < d; ++a) {
          Eigen::VectorXd xp = x, xm = x;
          xp[a] += eps;
          xm[a] -= eps;
          const double fd = (k.logValue((xp - y).squaredNorm()) - k.logValue((xm - y).squaredNorm())) / (2 * eps);
          const double analytic = k.scoreCoefficient((x - y).squaredNorm()) * (y[a] - x[a]);
          const std::string kname = kernelName(kind);
          CAPTURE(kname);
          CAPTURE(d);
          CHECK(analytic == doctest::Approx(fd).epsilon(1e-7).scale(1.0));
          // gradient of k itself = value * coefficient * (y - x), as in THEORY.md §2.1
          const double fd_k = (k.value((xp - y).squaredNorm()) - k.value((xm - y).squaredNorm())) / (2 * eps);
          const double grad_k = k.value((x - y).squaredNorm()) * analytic;
          CHECK(grad_k == doctest::Approx(fd_k).epsilon(1e-7).scale(1.0));
          CHECK(grad_k == doctest::Approx(bf::kgrad(s, d, (x - y).norm()) * (y[a] - x[a])).epsilon(1e-12).scale(1.0));
        }
        CHECK(k.value((x - y).squaredNorm()) == doctest::Approx(bf::kval(s, d, (x - y).norm())).epsilon(1e-13));
      }
    }
  }
}

TEST_CASE("Laplacian score coefficient is 0 at r = 0 and 1/(h r) elsewhere") {
  const KernelEvaluator k(spec(KernelKind::Laplacian, 0.5), 2);
  CHECK(k.scoreCoefficient(0.0) == 0.0);
  CHECK(k.scoreCoefficient(0.09) == doctest::Approx(1.0 / (0.5 * 0.3)).epsilon(1e-14));
  CHECK(std::isfinite(k.logValue(1e6)));
}

TEST_CASE("THEORY 13.8: Laplacian shadow potential G = h (r + h) e^{-r/h} has gradient sum_j k (y_j - x)") {
  const double h = 0.35;
  const Points ys = bf::randomPoints(2, 7, -1.0, 1.0, 5u);
  const KernelEvaluator k(spec(KernelKind::Laplacian, h), 2);
  auto shadow = [&](const Eigen::Vector2d& x) {
    double g = 0.0;
    for (long j = 0; j < ys.cols(); ++j) {
      const double r = (x - ys.col(j)).norm();
      g += h * (r + h) * std::exp(-r / h);
    }
    return g;
  };
  for (const Eigen::Vector2d& x : {Eigen::Vector2d(0.13, -0.4), Eigen::Vector2d(0.9, 0.7), Eigen::Vector2d(-1.3, 0.2)}) {
    Eigen::Vector2d target = Eigen::Vector2d::Zero();
    for (long j = 0; j < ys.cols(); ++j) target += k.value((x - ys.col(j)).squaredNorm()) * (ys.col(j) - x);
    const double eps = 1e-6;
    for (int a = 0; a < 2; ++a) {
      Eigen::Vector2d xp = x, xm = x;
      xp[a] += eps;
      xm[a] -= eps;
      CHECK((shadow(xp) - shadow(xm)) / (2 * eps) == doctest::Approx(target[a]).epsilon(1e-8));
    }
  }
}

TEST_CASE("kernel names round-trip and an unknown name lists the choices") {
  for (KernelKind kind : kKinds) CHECK(parseKernelKind(kernelName(kind)) == kind);
  CHECK(kernelCatalog().size() == 6);
  try {
    parseKernelKind("gausian");
    FAIL("no exception");
  } catch (const InvalidArgument& e) {
    const std::string msg = e.what();
    CHECK(msg.find("kernel: unknown 'gausian'") == 0);
    CHECK(msg.find("gaussian, laplacian, matern32, student_t, imq, cauchy") != std::string::npos);
  }
}

TEST_CASE("validateKernelSpec names the field and the bad value") {
  KernelSpec s;
  s.h = -0.1;
  try {
    validateKernelSpec(s);
    FAIL("no exception");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()) == "kernel.h: must be > 0 and finite (got -0.1)");
  }
  s.h = 0.1;
  s.nu = std::nan("");
  CHECK_THROWS_WITH_AS(validateKernelSpec(s), "kernel.nu: must be > 0 and finite (got nan)", InvalidArgument);
  s.nu = 3;
  s.beta = 0;
  CHECK_THROWS_WITH_AS(validateKernelSpec(s), "kernel.beta: must be > 0 and finite (got 0)", InvalidArgument);
  s.beta = 1;
  s.c = INFINITY;
  CHECK_THROWS_WITH_AS(validateKernelSpec(s), "kernel.c: must be > 0 and finite (got inf)", InvalidArgument);
  s.c = 1;
  CHECK_NOTHROW(validateKernelSpec(s));
}
