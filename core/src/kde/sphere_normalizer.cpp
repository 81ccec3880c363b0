// Kernel normalizers on S^{d-1}: the vMF closed form on S^2 and polar-angle quadrature for the
// rest (THEORY.md §10.6). Pure functions; any thread (the quadrature nodes are a function-local
// static, initialized once, thread-safe).
#include "driftlab/kde/sphere_normalizer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

constexpr int kNodes = 24;  // Gauss-Legendre nodes per panel

struct GaussLegendre {
  std::array<double, kNodes> x{}, w{};  // on [-1, 1]
};

// nodes and weights by Newton's method on P_n (Golub-Welsch is not needed at n = 24)
GaussLegendre makeGaussLegendre() {
  GaussLegendre g;
  const int n = kNodes;
  for (int i = 0; i < n; ++i) {
    double z = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
    double dp = 0.0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1.0, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1.0);
      const double dz = p1 / dp;
      z -= dz;
      if (std::abs(dz) < 1e-16) break;
    }
    g.x[std::size_t(i)] = z;
    g.w[std::size_t(i)] = 2.0 / ((1.0 - z * z) * dp * dp);
  }
  return g;
}

// log of the surface area of S^{m}: log(2 pi^{(m+1)/2} / Gamma((m+1)/2))
double logSphereArea(int m) {
  const double a = 0.5 * (m + 1);
  return std::log(2.0) + a * std::log(std::numbers::pi) - std::lgamma(a);
}

// Panel ends on [0, pi]: s/4, s/2, s, 2s, ... for the kernel's length scale s (for the Cauchy
// kernel also the distance of its complex poles from the real theta axis), then pieces of at most 0.25 rad so
// that sin^{d-2} (width ~1/sqrt(d)) is resolved as well.
std::vector<double> panelEnds(double scale) {
  std::vector<double> ends{0.0};
  double t = std::min(0.25 * scale, 0.25);
  while (t < std::numbers::pi) {
    const double step = std::min(t, 0.25);  // geometric up to 0.25 rad, then uniform
    ends.push_back(t);
    t += step;
  }
  ends.push_back(std::numbers::pi);
  return ends;
}

}  // namespace

double vmfLogNormalizerS2(double kappa) {
  DRIFTLAB_CHECK(kappa > 0.0 && std::isfinite(kappa), "vMF normalizer: kappa must be > 0 and finite");
  // -expm1(-2 kappa) keeps full precision for small kappa, where 1 - e^{-2 kappa} cancels
  return std::log(2.0 * std::numbers::pi) + std::log(-std::expm1(-2.0 * kappa)) - std::log(kappa);
}

double logSphereNormalizer(const KernelSpec& spec, int dim) {
  DRIFTLAB_CHECK(dim >= 3, "sphere normalizer: the sphere needs at least 3 coordinates (got " + std::to_string(dim) + ")");
  validateKernelSpec(spec);
  if (spec.kind == KernelKind::Gaussian && dim == 3) return vmfLogNormalizerS2(1.0 / (spec.h * spec.h));
  static const GaussLegendre gl = makeGaussLegendre();
  const KernelEvaluator kernel(spec, dim);
  // the kernel's length scale: h, shrunk where a shape parameter narrows the peak
  double scale = spec.h;
  if (spec.kind == KernelKind::IMQ) scale *= std::min(1.0, spec.c);
  if (spec.kind == KernelKind::StudentT) scale *= std::min(1.0, std::sqrt(spec.nu));
  const std::vector<double> ends = panelEnds(scale);
  // log-space sum: for a narrow kernel in high d the integrand is far below the double range
  std::vector<double> log_terms;
  log_terms.reserve(ends.size() * kNodes);
  for (std::size_t p = 0; p + 1 < ends.size(); ++p) {
    const double mid = 0.5 * (ends[p] + ends[p + 1]), half = 0.5 * (ends[p + 1] - ends[p]);
    for (int k = 0; k < kNodes; ++k) {
      const double theta = mid + half * gl.x[std::size_t(k)];
      const double s = std::sin(0.5 * theta);
      const double r2 = 4.0 * s * s;  // chord^2 = 2 - 2 cos(theta), without cancellation
      const double sin_t = std::sin(theta);
      if (!(sin_t > 0.0)) continue;
      log_terms.push_back(std::log(half * gl.w[std::size_t(k)]) + kernel.logValue(r2) + (dim - 2) * std::log(sin_t));
    }
  }
  const double m = *std::max_element(log_terms.begin(), log_terms.end());
  double sum = 0.0;
  for (double l : log_terms) sum += std::exp(l - m);
  return logSphereArea(dim - 2) + m + std::log(sum);
}

}  // namespace driftlab
