// The smoothed divergence functional by grid quadrature, THEORY.md §5.4 and §8.5. Any thread.
#include "driftlab/field/functional.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "driftlab/base/error.hpp"
#include "kde/kde_rows.hpp"
#include "field/smoothed_velocity.hpp"

namespace driftlab {

namespace {

double logAddExp(double a, double b) {
  const double m = std::max(a, b);
  if (m == -std::numeric_limits<double>::infinity()) return m;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// q log(q/p) with the convention 0 log 0 = 0
double klIntegrand(double lp, double lq) {
  const double q = std::exp(lq);
  return q == 0.0 ? 0.0 : q * (lq - lp);
}

// p_hat f(q_hat / p_hat) for the f of THEORY.md §5.2, from log densities
double fIntegrand(Divergence d, double lp, double lq, double alpha, Chi2Convention chi2) {
  const double p = std::exp(lp), q = std::exp(lq);
  switch (d) {
    case Divergence::ForwardKL: return klIntegrand(lp, lq);
    case Divergence::ReverseKL: return klIntegrand(lq, lp);
    case Divergence::Chi2: {
      const double full = std::exp(2.0 * lq - lp) - 2.0 * q + p;  // (q - p)^2 / p
      return chi2 == Chi2Convention::Full ? full : 0.5 * full;
    }
    case Divergence::Chi2Reverse: return std::exp(2.0 * lp - lq) - 2.0 * p + q;  // (p - q)^2 / q
    case Divergence::Hellinger: {
      const double diff = std::sqrt(q) - std::sqrt(p);
      return diff * diff;
    }
    case Divergence::JS: {
      const double lm = logAddExp(lp, lq) - std::numbers::ln2;
      return 0.5 * (klIntegrand(lm, lq) + klIntegrand(lm, lp));
    }
    case Divergence::Alpha:
      if (std::abs(alpha - 1.0) < 1e-9) return klIntegrand(lp, lq);
      if (std::abs(alpha) < 1e-9) return klIntegrand(lq, lp);
      return (std::exp((1.0 - alpha) * lp + alpha * lq) - alpha * q - (1.0 - alpha) * p) / (alpha * (alpha - 1.0));
    default: break;
  }
  // any other f-divergence: p f(q/p) from its table row (the cases above are the same in log-stable form)
  if (p == 0.0) return 0.0;
  return p * divergenceInfo(d).f(q / p, alpha, chi2);
}

}  // namespace

double smoothedFunctional(const Points& particles, const Points& data, const VelocityOptions& opt,
                          const QuadratureGrid& grid) {
  validateVelocityOptions(opt);
  const int d = int(data.rows());
  DRIFTLAB_CHECK(data.cols() >= 1, "smoothed functional: data is empty");
  DRIFTLAB_CHECK(particles.cols() >= 1, "smoothed functional: no particles");
  DRIFTLAB_CHECK(grid.dim == d, "smoothed functional: grid dimension differs from the data dimension");
  checkSmoothedSupported(opt.kernel, d);
  const KernelEvaluator kernel(opt.kernel, d);
  const double log_z = logNormalizer(opt.kernel, d);
  const Points nodes = gridNodes(grid);
  kde::RowSums p_rows, q_rows;
  kde::kdeRows(opt.path, nodes, {}, data, kernel, {}, kde::RowOutputs{false, false}, p_rows);
  kde::kdeRows(opt.path, nodes, {}, particles, kernel, {}, kde::RowOutputs{false, false}, q_rows);
  const double log_m = std::log(double(data.cols()));
  const double log_n = std::log(double(particles.cols()));
  const double h2 = opt.kernel.h * opt.kernel.h;

  double total = 0.0;
  for (int i = 0; i < kNumDivergences; ++i) {
    const auto t = static_cast<Divergence>(i);
    const double weight = opt.weights[t];
    if (weight == 0.0) continue;
    double sum = 0.0;
    for (long z = 0; z < nodes.cols(); ++z) {
      // log p_hat, log q_hat at node z (full KDEs, no leave-one-out, no ratio clamp)
      const double ls_p = p_rows.log_sum[z] - log_m, ls_q = q_rows.log_sum[z] - log_n;
      const double lp = ls_p - log_z, lq = ls_q - log_z;
      if (isFDivergence(t)) {
        sum += fIntegrand(t, lp, lq, opt.alpha, opt.chi2);
      } else if (t == Divergence::MMD) {
        const double diff = std::exp(ls_p) - std::exp(ls_q);  // mu_p - mu_q, unnormalized kernel
        sum += 0.5 * std::exp(-log_z) * diff * diff;
      } else if (t == Divergence::Drift && opt.kernel.kind == KernelKind::Gaussian) {
        sum += h2 * klIntegrand(lp, lq);  // V = h^2 (score_p - score_q), THEORY.md §4.3
      } else {
        sum += klIntegrand(lp, lq);  // not a gradient flow: forward KL as the reference value
      }
    }
    total += weight * sum * grid.cellVolume();
  }
  return total;
}

}  // namespace driftlab
