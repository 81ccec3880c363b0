// Bridge sample paths and the bridge's marginal density, THEORY.md §12.2. Any thread.
#include "driftlab/field/bridge_paths.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "base/rng.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"

namespace driftlab {

Points sampleBridgePaths(const Points& data, const DfmBridge& bridge, int paths, int knots, std::uint64_t seed) {
  DRIFTLAB_CHECK(data.cols() >= 1, "bridge paths: data is empty (need at least one point)");
  DRIFTLAB_CHECK(paths >= 1, "bridge paths: paths must be >= 1 (got " + std::to_string(paths) + ")");
  DRIFTLAB_CHECK(knots >= 1, "bridge paths: knots must be >= 1 (got " + std::to_string(knots) + ")");
  const long d = data.rows();
  const long per_path = knots + 1;
  Points out(d, paths * per_path);
  seeded::Rng rng(seed);
  const double dt = 1.0 / knots;
  Eigen::VectorXd x0(d), w(d);
  std::vector<Eigen::VectorXd> walk(static_cast<std::size_t>(per_path), Eigen::VectorXd::Zero(d));
  for (int p = 0; p < paths; ++p) {
    for (long r = 0; r < d; ++r) x0[r] = bridge.source_std * rng.normal();
    const Eigen::VectorXd x1 = data.col(long(rng.below(std::uint64_t(data.cols()))));
    // a Brownian motion W on the knots, then B_t = W_t - t W_1 (the standard bridge)
    w.setZero();
    walk[0].setZero();
    for (long k = 1; k < per_path; ++k) {
      for (long r = 0; r < d; ++r) w[r] += std::sqrt(dt) * rng.normal();
      walk[std::size_t(k)] = w;
    }
    for (long k = 0; k < per_path; ++k) {
      const double t = k == knots ? 1.0 : double(k) * dt;
      const Eigen::VectorXd b = walk[std::size_t(k)] - t * walk[std::size_t(knots)];
      out.col(p * per_path + k) = (1.0 - t) * x0 + t * x1 + bridge.sigma * b;
    }
  }
  return out;
}

Vec bridgeMarginalLogDensity(const Points& x, const Points& data, const DfmBridge& bridge, double t) {
  DRIFTLAB_CHECK(t >= 0.0 && t <= 1.0, "bridge density: t must be in [0, 1] (got " + std::to_string(t) + ")");
  DRIFTLAB_CHECK(data.cols() >= 1, "bridge density: data is empty (need at least one point)");
  DRIFTLAB_CHECK(x.cols() == 0 || x.rows() == data.rows(),
                 "bridge density: points have dimension " + std::to_string(x.rows()) + ", data " +
                     std::to_string(data.rows()));
  const double v = bridgeVariance(bridge, t);
  DRIFTLAB_CHECK(v > 0.0, "bridge density: the bridge variance at t is 0");
  const long d = data.rows(), m = data.cols();
  const double log_norm = -0.5 * double(d) * std::log(2.0 * 3.14159265358979323846 * v) - std::log(double(m));
  Vec out(x.cols());
  currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
    std::vector<double> logit(static_cast<std::size_t>(m));
    for (long e = lo; e < hi; ++e) {
      double top = -std::numeric_limits<double>::infinity();
      for (long j = 0; j < m; ++j) {
        const double r2 = (x.col(e) - t * data.col(j)).squaredNorm();
        logit[std::size_t(j)] = -0.5 * r2 / v;
        top = std::max(top, logit[std::size_t(j)]);
      }
      if (!std::isfinite(top)) {
        out[e] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      double total = 0.0;
      for (double l : logit) total += std::exp(l - top);
      out[e] = top + std::log(total) + log_norm;
    }
  });
  return out;
}

}  // namespace driftlab
