// Nearest-training-point distances and the memorization ratio, THEORY.md §8.6. Any thread.
#include "driftlab/field/memorization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"

namespace driftlab {

namespace {

double median(Vec v) {
  const auto n = static_cast<std::size_t>(v.size());
  std::nth_element(v.data(), v.data() + n / 2, v.data() + n);
  const double upper = v[Eigen::Index(n / 2)];
  if (n % 2 == 1) return upper;
  return 0.5 * (upper + *std::max_element(v.data(), v.data() + n / 2));
}

}  // namespace

Vec nearestDataDistances(const Points& x, const Points& data) {
  DRIFTLAB_CHECK(data.cols() > 0, "nearest training point: the training set is empty");
  DRIFTLAB_CHECK(x.rows() == data.rows(), "nearest training point: samples have dimension " +
                                              std::to_string(x.rows()) + " but the training set " +
                                              std::to_string(data.rows()));
  Vec out(x.cols());
  currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
    for (long e = lo; e < hi; ++e) {
      double best = std::numeric_limits<double>::infinity();
      for (long j = 0; j < data.cols(); ++j) best = std::min(best, (x.col(e) - data.col(j)).squaredNorm());
      out[e] = std::sqrt(best);
    }
  }, 64);
  return out;
}

double fractionNearData(const Points& x, const Points& data, double radius) {
  if (x.cols() == 0 || data.cols() == 0) return 0.0;
  const double r2 = radius * radius;
  std::vector<char> near(static_cast<std::size_t>(x.cols()), 0);
  currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
    for (long e = lo; e < hi; ++e) {
      for (long j = 0; j < data.cols(); ++j) {
        if ((x.col(e) - data.col(j)).squaredNorm() <= r2) {
          near[std::size_t(e)] = 1;
          break;
        }
      }
    }
  }, 64);
  long count = 0;
  for (char c : near) count += c;
  return double(count) / double(x.cols());
}

MemorizationRatio memorizationRatio(const Points& samples, const Points& train, const Points& fresh) {
  DRIFTLAB_CHECK(samples.cols() > 0 && fresh.cols() > 0, "memorization ratio: no samples or no fresh data");
  DRIFTLAB_CHECK(fresh.rows() == train.rows(), "memorization ratio: fresh data have dimension " +
                                                   std::to_string(fresh.rows()) + " but the training set " +
                                                   std::to_string(train.rows()));
  MemorizationRatio r;
  r.sample_median = median(nearestDataDistances(samples, train));
  r.fresh_median = median(nearestDataDistances(fresh, train));
  r.ratio = r.fresh_median > 0.0 ? r.sample_median / r.fresh_median : std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace driftlab
