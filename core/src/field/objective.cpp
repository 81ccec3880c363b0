// objectiveValue: the value of the functional a flow's velocity descends, with the flow's own kernel.
// THEORY.md §8.4 (estimators), §5.3 (MMD), §4.3 (drift = forward KL). Pure; any thread.
//
// Sample (Monte-Carlo) estimators, plug-in mode. Normalized KDEs at the first bandwidth; Z_k cancels in every
// estimator below, but f-divergence values between non-normalizable "densities" are meaningless, so those
// terms are NaN for a non-integrable kernel. Leave-one-out (opt.leave_one_out) drops an evaluation point's
// own sample from the KDE of the set it belongs to: q_hat at particles, p_hat at data. No ratio clamp.
//   forward_kl   mean_i [log q(x_i) - log p(x_i)]
//   reverse_kl   mean_j [log p(y_j) - log q(y_j)]
//   chi2         mean_i q/p (x_i) - 1            (Half convention: half of it)
//   chi2_reverse mean_j p/q (y_j) - 1
//   hellinger    2 - 2 mean_i sqrt(p/q)(x_i)
//   js           1/2 mean_i log(q/m)(x_i) + 1/2 mean_j log(p/m)(y_j), m = (p + q)/2
//   alpha        (mean_i (q/p)^(alpha-1)(x_i) - 1) / (alpha (alpha - 1)); alpha = 1, 0: the KL estimators
//   mmd          biased MMD^2 with the unnormalized flow kernel; with leave-one-out the particle-particle
//                term is the U-statistic (1/(N(N-1))) sum_{i != i'} so that the MMD velocity (which uses 1/(N-1))
//                is exactly -N/2 times its gradient (THEORY.md §13 item 13)
//   any f-divergence without a line here: mean_i f(q/p)(x_i) / (q/p)(x_i), f from the divergence table
//   drift, drift_double, sinkhorn: the forward-KL estimate (GFD theorem, THEORY.md §4.3; for the Gaussian drift
//                the field descends h^2 KL, the curve is reported in KL units); finite for any kernel
// ExactSmoothed mode (d <= 2, integrable kernel): the grid-quadrature functional of functional.hpp, the exact
// Lyapunov function of that flow (THEORY.md §5.4, §8.5).
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

#include "driftlab/base/error.hpp"
#include "field/standard_gaussian.hpp"
#include "driftlab/field/functional.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/kde/sphere_normalizer.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double logAddExp(double a, double b) {
  const double m = std::max(a, b);
  if (m == -std::numeric_limits<double>::infinity()) return m;
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// log(Z_k p_hat) and log(Z_k q_hat) at a set of points, `self` dropped from the KDE of its own set
struct LogDensities {
  std::vector<double> lp, lq;
  Vec sum_p, sum_q;  // raw log kernel sums (no count normalization), for MMD
};

LogDensities logDensitiesAt(ComputePath path, const Points& at, bool at_particles, bool loo,
                            const Points& particles, const Points& data, const KernelEvaluator& kernel) {
  std::vector<int> self(std::size_t(at.cols()));
  std::iota(self.begin(), self.end(), 0);
  const std::span<const int> excl = loo ? std::span<const int>(self) : std::span<const int>();
  kde::RowSums p_rows, q_rows;
  const kde::RowOutputs none{false, false};
  kde::kdeRows(path, at, at_particles ? std::span<const int>() : excl, data, kernel, {}, none, p_rows);
  kde::kdeRows(path, at, at_particles ? excl : std::span<const int>(), particles, kernel, {}, none, q_rows);
  const long n_p = data.cols() - ((loo && !at_particles) ? 1 : 0);
  const long n_q = particles.cols() - ((loo && at_particles) ? 1 : 0);
  LogDensities out;
  out.sum_p = p_rows.log_sum;
  out.sum_q = q_rows.log_sum;
  for (long e = 0; e < at.cols(); ++e) {
    out.lp.push_back(p_rows.log_sum[e] - std::log(double(n_p)));
    out.lq.push_back(q_rows.log_sum[e] - std::log(double(n_q)));
  }
  return out;
}

template <typename F>
double meanOf(std::size_t n, F&& f) {
  double s = 0.0;
  for (std::size_t i = 0; i < n; ++i) s += f(i);
  return s / double(n);
}

}  // namespace

double objectiveValue(const Points& particles, const Points& data, const VelocityOptions& opt, bool on_sphere) {
  validateVelocityOptions(opt);
  DRIFTLAB_CHECK(data.cols() >= 1, "objective: data is empty (need at least one point)");
  if (particles.cols() == 0) return kNaN;
  DRIFTLAB_CHECK(particles.rows() == data.rows(), "objective: particles and data have different dimensions");
  const int d = int(data.rows());
  // on the sphere Z_k is the finite sphere normalizer (sphere_normalizer.hpp); it cancels in every
  // estimator below like the R^d one, so only its finiteness matters here
  const bool integrable = on_sphere ? std::isfinite(logSphereNormalizer(opt.kernel, d)) : isIntegrable(opt.kernel, d);
  if (!on_sphere && opt.mode == VelocityMode::ExactSmoothed && d <= 2 && integrable)
    return smoothedFunctional(particles, data, opt, smoothingGrid(particles, data, opt.kernel, opt.smoothed_grid));

  const KernelEvaluator kernel(opt.kernel, d);
  const bool loo = opt.leave_one_out;
  LogDensities at_x = logDensitiesAt(opt.path, particles, true, loo, particles, data, kernel);
  bool need_y = false;
  for (Divergence t : {Divergence::ReverseKL, Divergence::Chi2Reverse, Divergence::JS, Divergence::MMD})
    need_y = need_y || opt.weights[t] > 0.0 || (t == Divergence::ReverseKL && opt.weights[Divergence::Alpha] > 0.0);
  LogDensities at_y =
      need_y ? logDensitiesAt(opt.path, data, false, loo, particles, data, kernel) : LogDensities{};
  const std::size_t n = std::size_t(particles.cols()), m = std::size_t(data.cols());
  if (opt.target == TargetKind::StandardGaussian) {
    // p = N(0, I) exactly (THEORY.md §11.4): lp holds log(Z_k p), as the KDE rows do
    const double log_z = logNormalizer(opt.kernel, d);
    auto exactP = [&](LogDensities& at, const Points& pts) {
      for (long e = 0; e < pts.cols(); ++e) at.lp[std::size_t(e)] = detail::logStandardNormal(pts.data() + e * d, d) + log_z;
    };
    exactP(at_x, particles);
    if (need_y) exactP(at_y, data);
  }

  auto fwdKL = [&] { return meanOf(n, [&](std::size_t i) { return at_x.lq[i] - at_x.lp[i]; }); };
  auto revKL = [&] { return meanOf(m, [&](std::size_t j) { return at_y.lp[j] - at_y.lq[j]; }); };

  double total = 0.0;
  for (int k = 0; k < kNumDivergences; ++k) {
    const auto t = static_cast<Divergence>(k);
    const double weight = opt.weights[t];
    if (weight == 0.0) continue;
    if (isFDivergence(t) && !integrable) return kNaN;
    double value = 0.0;
    switch (t) {
      case Divergence::ForwardKL:
      case Divergence::Drift:
      case Divergence::DriftDouble:
      case Divergence::Sinkhorn: value = fwdKL(); break;
      case Divergence::ReverseKL: value = revKL(); break;
      case Divergence::Chi2:
        value = meanOf(n, [&](std::size_t i) { return std::exp(at_x.lq[i] - at_x.lp[i]); }) - 1.0;
        if (opt.chi2 == Chi2Convention::Half) value *= 0.5;
        break;
      case Divergence::Chi2Reverse:
        value = meanOf(m, [&](std::size_t j) { return std::exp(at_y.lp[j] - at_y.lq[j]); }) - 1.0;
        break;
      case Divergence::Hellinger:
        value = 2.0 - 2.0 * meanOf(n, [&](std::size_t i) { return std::exp(0.5 * (at_x.lp[i] - at_x.lq[i])); });
        break;
      case Divergence::JS: {
        const double lq_m = meanOf(n, [&](std::size_t i) {
          return std::numbers::ln2 + at_x.lq[i] - logAddExp(at_x.lp[i], at_x.lq[i]);
        });
        const double lp_m = meanOf(m, [&](std::size_t j) {
          return std::numbers::ln2 + at_y.lp[j] - logAddExp(at_y.lp[j], at_y.lq[j]);
        });
        value = 0.5 * (lq_m + lp_m);
        break;
      }
      case Divergence::Alpha: {
        const double a = opt.alpha;
        if (std::abs(a - 1.0) < 1e-9) value = fwdKL();
        else if (std::abs(a) < 1e-9) value = revKL();
        else
          value = (meanOf(n, [&](std::size_t i) { return std::exp((a - 1.0) * (at_x.lq[i] - at_x.lp[i])); }) - 1.0) /
                  (a * (a - 1.0));
        break;
      }
      case Divergence::MMD: {
        // sums of unnormalized kernel values from the raw log sums; the qq sum already excludes i = i' under
        // leave-one-out, the pp and cross sums never exclude anything (pp is recomputed without exclusion)
        const double nn = double(n), mm = double(m);
        const double qq = meanOf(n, [&](std::size_t i) { return std::exp(at_x.sum_q[long(i)]); }) /
                          (loo ? std::max(nn - 1.0, 1.0) : nn);
        const double cross = meanOf(n, [&](std::size_t i) { return std::exp(at_x.sum_p[long(i)]); }) / mm;
        kde::RowSums pp_rows;
        kde::kdeRows(opt.path, data, {}, data, kernel, {}, kde::RowOutputs{false, false}, pp_rows);
        const double pp = meanOf(m, [&](std::size_t j) { return std::exp(pp_rows.log_sum[long(j)]); }) / mm;
        value = qq + pp - 2.0 * cross;
        break;
      }
      default:  // any other f-divergence, from its table row: E_p[f(rho)] = E_q[f(rho) / rho]
        value = meanOf(n, [&](std::size_t i) {
          const double rho = std::exp(at_x.lq[i] - at_x.lp[i]);
          return divergenceInfo(t).f(rho, opt.alpha, opt.chi2) / rho;
        });
        break;
    }
    total += weight * value;
  }
  return total;
}

}  // namespace driftlab
