#include "driftlab/field/projection.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <random>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

// flip v so that its entry of largest magnitude (the first one on a tie) is positive
void fixSign(Eigen::Ref<Vec> v) {
  Eigen::Index arg = 0;
  for (Eigen::Index i = 1; i < v.size(); ++i)
    if (std::abs(v[i]) > std::abs(v[arg])) arg = i;
  if (v[arg] < 0) v = -v;
}

// a standard normal from two raw 64-bit draws (Box-Muller on the engine's own output, so the
// plane is the same with every standard library; std::normal_distribution is not specified)
double gaussian(std::mt19937_64& rng) {
  const double u1 = (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
  const double u2 = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace

PrincipalAxes principalAxes(const Points& data, int k) {
  DRIFTLAB_CHECK(data.rows() >= 1 && data.cols() >= 1, "principal axes: the data set is empty");
  DRIFTLAB_CHECK(data.allFinite(), "principal axes: the data hold non-finite values");
  const Eigen::Index d = data.rows();
  k = std::clamp(k, 1, static_cast<int>(d));
  PrincipalAxes out;
  out.mean = data.rowwise().mean();
  // covariance with divisor M (THEORY.md §9.4), d x d
  const Points centred = data.colwise() - out.mean;
  const Points cov = (centred * centred.transpose()) / static_cast<double>(data.cols());
  // eigenvalues come in increasing order: the last k columns, reversed, are the top k axes
  const Eigen::SelfAdjointEigenSolver<Points> eig(cov);
  DRIFTLAB_CHECK(eig.info() == Eigen::Success, "principal axes: the eigen solver did not converge");
  out.axes.resize(d, k);
  out.variances.resize(k);
  for (int j = 0; j < k; ++j) {
    out.axes.col(j) = eig.eigenvectors().col(d - 1 - j);
    out.variances[j] = std::max(eig.eigenvalues()[d - 1 - j], 0.0);
    fixSign(out.axes.col(j));
  }
  out.total_variance = cov.trace();
  return out;
}

Projection pcaProjection(const PrincipalAxes& axes, int a, int b) {
  const int k = static_cast<int>(axes.axes.cols());
  DRIFTLAB_CHECK(a >= 0 && b >= 0 && a < k && b < k && a != b,
                 "pca projection: axes " + std::to_string(a + 1) + " and " + std::to_string(b + 1) +
                     " must be distinct and at most " + std::to_string(k));
  Projection p;
  p.rows.resize(2, axes.axes.rows());
  p.rows.row(0) = axes.axes.col(a).transpose();
  p.rows.row(1) = axes.axes.col(b).transpose();
  p.centre = axes.mean;
  const double share =
      axes.total_variance > 0 ? 100.0 * (axes.variances[a] + axes.variances[b]) / axes.total_variance : 0.0;
  p.label = "PC" + std::to_string(a + 1) + "-PC" + std::to_string(b + 1) + " (" +
            std::to_string(static_cast<int>(std::lround(share))) + "% of the variance)";
  return p;
}

Projection coordinateProjection(int d, int i, int j) {
  DRIFTLAB_CHECK(i >= 0 && j >= 0 && i < d && j < d && i != j,
                 "coordinate projection: coordinates " + std::to_string(i) + " and " + std::to_string(j) +
                     " must be distinct and below " + std::to_string(d));
  Projection p;
  p.rows = Eigen::Matrix<double, 2, Eigen::Dynamic>::Zero(2, d);
  p.rows(0, i) = 1.0;
  p.rows(1, j) = 1.0;
  p.centre = Vec::Zero(d);
  p.label = "x" + std::to_string(i) + " against x" + std::to_string(j);
  return p;
}

Projection randomProjection(const Vec& centre, std::uint64_t seed) {
  const Eigen::Index d = centre.size();
  DRIFTLAB_CHECK(d >= 2, "random projection: needs dimension >= 2");
  std::mt19937_64 rng(seed);
  Projection p;
  p.rows.resize(2, d);
  // Gram-Schmidt on two Gaussian vectors; a (measure-zero) degenerate draw is redrawn
  for (int r = 0; r < 2; ++r) {
    for (int attempt = 0; attempt < 16; ++attempt) {
      Vec v(d);
      for (Eigen::Index i = 0; i < d; ++i) v[i] = gaussian(rng);
      if (r == 1) v -= v.dot(p.rows.row(0).transpose()) * p.rows.row(0).transpose();
      const double n = v.norm();
      if (n > 1e-8) {
        p.rows.row(r) = (v / n).transpose();
        break;
      }
    }
  }
  p.centre = centre;
  p.label = "random plane (seed " + std::to_string(seed) + ")";
  return p;
}

PointsF project(const Projection& p, const PointsF& x) {
  DRIFTLAB_CHECK(x.rows() == p.rows.cols(), "project: points have " + std::to_string(x.rows()) +
                                                " rows, the projection " + std::to_string(p.rows.cols()));
  const Eigen::Matrix<float, 2, Eigen::Dynamic> rows = p.rows.cast<float>();
  const Eigen::Vector2f offset = (p.rows * p.centre).cast<float>();
  return (rows * x).colwise() - offset;
}

PointsF projectVectors(const Projection& p, const PointsF& v) {
  DRIFTLAB_CHECK(v.rows() == p.rows.cols(), "project: vectors have " + std::to_string(v.rows()) +
                                                " rows, the projection " + std::to_string(p.rows.cols()));
  return p.rows.cast<float>() * v;
}

}  // namespace driftlab
