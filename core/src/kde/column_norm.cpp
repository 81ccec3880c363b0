// INTERNAL: see column_norm.hpp. Any thread.
#include "kde/column_norm.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "driftlab/base/thread_pool.hpp"

namespace driftlab {

// one pass, split over the pool: at a million particles a serial pass costs as much as a grid kernel sum
double maxColumnNorm(const Points& v) {
  ThreadPool& pool = currentThreadPool();
  std::vector<double> chunk_max(static_cast<std::size_t>(pool.size()), 0.0);
  pool.parallelFor(0, v.cols(), [&](long lo, long hi, int t) {
    double m = chunk_max[std::size_t(t)];
    const long d = v.rows();
    for (long i = lo; i < hi; ++i) {
      double n2 = 0.0;
      for (long a = 0; a < d; ++a) n2 += v.data()[i * d + a] * v.data()[i * d + a];
      m = std::isfinite(n2) ? std::max(m, n2) : std::numeric_limits<double>::quiet_NaN();
      if (std::isnan(m)) break;
    }
    chunk_max[std::size_t(t)] = m;
  }, 8192);
  double m = 0.0;
  for (double c : chunk_max) {
    if (std::isnan(c)) return c;
    m = std::max(m, c);
  }
  return std::sqrt(m);
}

}  // namespace driftlab
