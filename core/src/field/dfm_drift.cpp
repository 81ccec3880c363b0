// The oracle drift of Diffusion Flow Matching for empirical data, THEORY.md §12.2. Any thread.
#include "driftlab/field/dfm_drift.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"

namespace driftlab {

double bridgeVariance(const DfmBridge& bridge, double t) {
  const double s0 = bridge.source_std, sigma = bridge.sigma;
  return (1.0 - t) * (1.0 - t) * s0 * s0 + sigma * sigma * t * (1.0 - t);
}

Points dfmOracleDrift(const Points& x, const Points& data, const DfmBridge& bridge, double t) {
  DRIFTLAB_CHECK(t >= 0.0 && t < 1.0, "dfm drift: t must be in [0, 1) (got " + std::to_string(t) + ")");
  DRIFTLAB_CHECK(data.cols() >= 1, "dfm drift: data is empty (need at least one point)");
  DRIFTLAB_CHECK(x.cols() == 0 || x.rows() == data.rows(),
                 "dfm drift: points have dimension " + std::to_string(x.rows()) + ", data " +
                     std::to_string(data.rows()));
  const long d = data.rows(), m = data.cols();
  const double v_t = bridgeVariance(bridge, t);
  DRIFTLAB_CHECK(v_t > 0.0, "dfm drift: the bridge variance at t is 0 (source_std and sigma both 0?)");
  const double inv_one_minus_t = 1.0 / (1.0 - t);
  const double inv_two_v = 0.5 / v_t;
  Points b(d, x.cols());
  currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
    std::vector<double> logit(static_cast<std::size_t>(m));
    Eigen::VectorXd mean(d);
    for (long e = lo; e < hi; ++e) {
      const auto xe = x.col(e);
      // w_j ∝ exp(-|x - t y_j|^2 / (2 v_t)), with the largest logit subtracted
      double top = -std::numeric_limits<double>::infinity();
      for (long j = 0; j < m; ++j) {
        double r2 = 0.0;
        for (long a = 0; a < d; ++a) {
          const double diff = xe[a] - t * data(a, j);
          r2 += diff * diff;
        }
        logit[std::size_t(j)] = -r2 * inv_two_v;
        top = std::max(top, logit[std::size_t(j)]);
      }
      if (!std::isfinite(top)) {  // a non-finite point: a NaN drift, so the caller's check sees it
        b.col(e).setConstant(std::numeric_limits<double>::quiet_NaN());
        continue;
      }
      double total = 0.0;
      mean.setZero();
      for (long j = 0; j < m; ++j) {
        const double w = std::exp(logit[std::size_t(j)] - top);
        total += w;
        mean += w * data.col(j);
      }
      b.col(e) = (mean / total - xe) * inv_one_minus_t;
    }
  }, 64);
  return b;
}

}  // namespace driftlab
