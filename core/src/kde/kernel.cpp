// Radial kernels: log-values, score coefficients, normalizers, names. THEORY.md §2.1.
// Pure functions; any thread.
#include "driftlab/kde/kernel.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/io/name_table.hpp"

namespace driftlab {

namespace {

constexpr NamedValue<KernelKind> kKernelNames[] = {
    {KernelKind::Gaussian, "gaussian"}, {KernelKind::Laplacian, "laplacian"}, {KernelKind::Matern32, "matern32"},
    {KernelKind::StudentT, "student_t"}, {KernelKind::IMQ, "imq"},             {KernelKind::Cauchy, "cauchy"}};

std::string fmtValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void checkPositive(double v, const char* field) {
  if (!(v > 0.0) || !std::isfinite(v))
    detail::throwInvalidArgument(std::string(field) + ": must be > 0 and finite (got " + fmtValue(v) + ")");
}

// log of the surface area of the unit sphere S^{d-1}: log(2 pi^{d/2} / Gamma(d/2))
double logSphereArea(int d) {
  return std::log(2.0) + 0.5 * d * std::log(std::numbers::pi) - std::lgamma(0.5 * d);
}

}  // namespace

KernelEvaluator::KernelEvaluator(const KernelSpec& spec, int dim)
    : spec_(spec), dim_(dim), inv_h_(1.0 / spec.h), inv_h2_(1.0 / (spec.h * spec.h)), a_(0.5 * (spec.nu + dim)) {}

// log kappa(r) for r2 = r^2; every kernel has kappa(0) = 1 except IMQ (c^-2beta), THEORY.md §2.1.
// IMQ uses (c^2 + r^2/h^2)^(-beta): the usual (c^2 + r^2)^(-beta) is the h = 1 case.
double KernelEvaluator::logValue(double r2) const {
  switch (spec_.kind) {
    case KernelKind::Gaussian: return -0.5 * r2 * inv_h2_;
    case KernelKind::Laplacian: return -std::sqrt(r2) * inv_h_;
    case KernelKind::Matern32: {
      const double t = std::sqrt(r2) * inv_h_;
      return std::log1p(t) - t;
    }
    case KernelKind::StudentT: return -a_ * std::log1p(r2 * inv_h2_ / spec_.nu);
    case KernelKind::IMQ: return -spec_.beta * std::log(spec_.c * spec_.c + r2 * inv_h2_);
    case KernelKind::Cauchy: return -std::log1p(r2 * inv_h2_);
  }
  return 0.0;
}

// c(r) = -kappa'(r) / (r kappa(r)), so that grad_x log k(x, y) = c (y - x). THEORY.md §2.1, §6.1.
double KernelEvaluator::scoreCoefficient(double r2) const {
  switch (spec_.kind) {
    case KernelKind::Gaussian: return inv_h2_;
    case KernelKind::Laplacian: return r2 > 0.0 ? inv_h_ / std::sqrt(r2) : 0.0;  // cusp: 0 at r = 0
    case KernelKind::Matern32: return inv_h2_ / (1.0 + std::sqrt(r2) * inv_h_);
    case KernelKind::StudentT: return 2.0 * a_ * inv_h2_ / spec_.nu / (1.0 + r2 * inv_h2_ / spec_.nu);
    case KernelKind::IMQ: return 2.0 * spec_.beta * inv_h2_ / (spec_.c * spec_.c + r2 * inv_h2_);
    case KernelKind::Cauchy: return 2.0 * inv_h2_ / (1.0 + r2 * inv_h2_);
  }
  return 0.0;
}

double KernelEvaluator::value(double r2) const { return std::exp(logValue(r2)); }

// closed forms of log integral_{R^d} kappa(|z|) dz, THEORY.md §2.1 (general d; 2-D: 2 pi h^2, 6 pi h^2)
double logNormalizer(const KernelSpec& spec, int dim) {
  const double d = dim;
  const double log_h = std::log(spec.h);
  const double inf = std::numeric_limits<double>::infinity();
  switch (spec.kind) {
    case KernelKind::Gaussian: return 0.5 * d * std::log(2.0 * std::numbers::pi) + d * log_h;
    case KernelKind::Laplacian: return logSphereArea(dim) + d * log_h + std::lgamma(d);
    case KernelKind::Matern32: return logSphereArea(dim) + d * log_h + std::lgamma(d) + std::log1p(d);
    case KernelKind::StudentT: {
      const double a = 0.5 * (spec.nu + d);
      return std::lgamma(0.5 * spec.nu) + 0.5 * d * std::log(spec.nu * std::numbers::pi) + d * log_h -
             std::lgamma(a);
    }
    case KernelKind::IMQ:
      if (2.0 * spec.beta <= d) return inf;
      return d * log_h + (d - 2.0 * spec.beta) * std::log(spec.c) + 0.5 * d * std::log(std::numbers::pi) +
             std::lgamma(spec.beta - 0.5 * d) - std::lgamma(spec.beta);
    case KernelKind::Cauchy: return dim == 1 ? std::log(std::numbers::pi * spec.h) : inf;
  }
  return inf;
}

bool isIntegrable(const KernelSpec& spec, int dim) { return std::isfinite(logNormalizer(spec, dim)); }

const char* kernelName(KernelKind kind) { return nameOf(kKernelNames, kind); }

KernelKind parseKernelKind(std::string_view name) { return valueNamed(kKernelNames, name, "kernel: unknown"); }

std::vector<NamedDescription> kernelCatalog() {
  return {
      {"gaussian", "exp(-r^2/2h^2); smooth; DM mean shift = h^2 x score difference (THEORY.md §4.3)"},
      {"laplacian", "exp(-r/h); the Drifting Model default; cusp at r = 0, score bounded by 1/h"},
      {"matern32", "(1+r/h) exp(-r/h); C^1 'sharp Laplacian', shadow kernel of the Laplacian (THEORY.md §2.3)"},
      {"student_t", "(1 + r^2/(nu h^2))^(-(nu+d)/2); heavy tails, parameter nu"},
      {"imq", "(c^2 + r^2/h^2)^(-beta); heavy tails; a density only when 2 beta > d"},
      {"cauchy", "(1 + r^2/h^2)^(-1); not integrable for d >= 2 (ratios and scores still defined)"},
  };
}

void validateKernelSpec(const KernelSpec& spec) {
  checkPositive(spec.h, "kernel.h");
  checkPositive(spec.nu, "kernel.nu");
  checkPositive(spec.beta, "kernel.beta");
  checkPositive(spec.c, "kernel.c");
}

}  // namespace driftlab
