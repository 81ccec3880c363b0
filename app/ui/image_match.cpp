#include "image_match.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace driftlab::app {

namespace {

constexpr Eigen::Index kRefBlock = 2048;  // reference columns per product block (n x 2048 floats)

// every stride-th column of m
PointsF everyKth(const PointsF& m, int stride) {
  if (stride <= 1) return m;
  const Eigen::Index k = (m.cols() + stride - 1) / stride;
  PointsF out(m.rows(), k);
  for (Eigen::Index j = 0; j < k; ++j) out.col(j) = m.col(j * stride);
  return out;
}

}  // namespace

GreyRange greyRange(const PointsF& data) {
  if (data.size() == 0) return {};
  float lo = data.minCoeff(), hi = data.maxCoeff();
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (lo < 0.f && hi > 0.f) {
    const float a = std::max(-lo, hi);
    lo = -a;
    hi = a;
  }
  if (!(hi > lo)) hi = lo + 1.f;  // constant data: one grey
  return {lo, hi};
}

// |q - r|^2 = |q|^2 + |r|^2 - 2 q.r with the products as one matrix product per block; candidates
// that look identical and the winners are checked with the exact difference (the expansion
// cancels badly exactly where the copy test looks: at tiny distances)
NearestMatch nearestColumns(const PointsF& queries, int n, const PointsF& refs, bool skip_identical) {
  NearestMatch out;
  n = std::clamp(n, 0, static_cast<int>(queries.cols()));
  out.index.assign(static_cast<std::size_t>(n), -1);
  out.distance.assign(static_cast<std::size_t>(n), std::numeric_limits<float>::infinity());
  if (n == 0 || refs.cols() == 0 || refs.rows() != queries.rows()) return out;
  const PointsF q = queries.leftCols(n);
  const Eigen::VectorXf qn = q.colwise().squaredNorm().transpose();
  std::vector<float> best(static_cast<std::size_t>(n), std::numeric_limits<float>::infinity());
  for (Eigen::Index j0 = 0; j0 < refs.cols(); j0 += kRefBlock) {
    const Eigen::Index m = std::min(kRefBlock, refs.cols() - j0);
    const auto r = refs.middleCols(j0, m);
    const Eigen::VectorXf rn = r.colwise().squaredNorm().transpose();
    const Eigen::MatrixXf g = r.transpose() * q;  // m x n
    for (int i = 0; i < n; ++i) {
      float& b = best[static_cast<std::size_t>(i)];
      int& bi = out.index[static_cast<std::size_t>(i)];
      for (Eigen::Index j = 0; j < m; ++j) {
        float d2 = std::max(0.f, qn(i) + rn(j) - 2.f * g(j, i));
        if (skip_identical && d2 <= 1e-5f * (qn(i) + rn(j))) {
          d2 = (r.col(j) - q.col(i)).squaredNorm();
          if (d2 == 0.f) continue;
        }
        if (d2 < b) {
          b = d2;
          bi = static_cast<int>(j0 + j);
        }
      }
    }
  }
  for (int i = 0; i < n; ++i) {
    const int j = out.index[static_cast<std::size_t>(i)];
    if (j >= 0) out.distance[static_cast<std::size_t>(i)] = (refs.col(j) - q.col(i)).norm();
  }
  return out;
}

float medianNearestDataDistance(const PointsF& data) {
  const Eigen::Index m = data.cols();
  if (m < 2) return 0.f;
  const int qstride = static_cast<int>((m + kMedianQueries - 1) / kMedianQueries);
  const PointsF q = everyKth(data, qstride);
  // the references at a stride too when the data are huge: the median is a yardstick, not a result
  const double work = static_cast<double>(q.cols()) * static_cast<double>(m) * static_cast<double>(data.rows());
  const int rstride = static_cast<int>(std::max(1.0, std::ceil(work / (2 * kMaxNearestWork))));
  const NearestMatch nn = nearestColumns(q, static_cast<int>(q.cols()), everyKth(data, rstride), true);
  std::vector<float> d;
  for (float x : nn.distance)
    if (std::isfinite(x)) d.push_back(x);
  if (d.empty()) return 0.f;
  auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return *mid;
}

std::vector<int> nearestCentre(const PointsF& queries, int n, const PointsF& centres) {
  std::vector<int> out;
  if (centres.cols() == 0 || centres.rows() != queries.rows()) return out;
  n = std::clamp(n, 0, static_cast<int>(queries.cols()));
  for (int i = 0; i < n; ++i) {
    Eigen::Index best = 0;
    (centres.colwise() - queries.col(i)).colwise().squaredNorm().minCoeff(&best);
    out.push_back(static_cast<int>(best));
  }
  return out;
}

bool ImageMatcher::setData(const PointsF& data) {
  if (data.rows() == data_.rows() && data.cols() == data_.cols() && data == data_) return false;
  data_ = data;
  range_ = greyRange(data_);
  median_ = medianNearestDataDistance(data_);
  return true;
}

void ImageMatcher::match(const PointsF& particles, int n, const PointsF& centres, bool with_nearest) {
  const auto t0 = std::chrono::steady_clock::now();
  matched_ = std::clamp(n, 0, static_cast<int>(particles.cols()));
  with_nearest_ = with_nearest && particles.rows() == data_.rows() && data_.cols() > 0;
  classes_ = nearestCentre(particles, matched_, centres);
  nearest_ = {};
  copies_ = 0;
  stride_ = 1;
  if (with_nearest_) {
    const double work = static_cast<double>(matched_) * static_cast<double>(data_.cols()) * static_cast<double>(data_.rows());
    stride_ = static_cast<int>(std::max(1.0, std::ceil(work / kMaxNearestWork)));
    nearest_ = nearestColumns(particles, matched_, everyKth(data_, stride_), false);
    for (int& j : nearest_.index)
      if (j >= 0) j *= stride_;  // back to columns of the data
    for (int i = 0; i < matched_; ++i) copies_ += isCopy(i) ? 1 : 0;
  }
  last_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

bool ImageMatcher::isCopy(int i) const {
  return i >= 0 && i < static_cast<int>(nearest_.distance.size()) && median_ > 0.f &&
         nearest_.distance[static_cast<std::size_t>(i)] < kCopyFraction * median_;
}

}  // namespace driftlab::app
