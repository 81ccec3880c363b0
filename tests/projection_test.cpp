// Linear views of d > 2 data (THEORY.md §9.4): PCA axes and variances against a point set whose
// covariance is known exactly, orthonormal rows, deterministic signs, the coordinate projection
// as a selection, and the seeded random plane.
#include <doctest/doctest.h>

#include <Eigen/QR>
#include <cmath>
#include <random>

#include "driftlab/base/error.hpp"
#include "driftlab/field/projection.hpp"

using namespace driftlab;

namespace {

// a random orthogonal d x d matrix (QR of a Gaussian matrix)
Points randomRotation(int d, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> g(0.0, 1.0);
  Points a(d, d);
  for (int i = 0; i < a.size(); ++i) a.data()[i] = g(rng);
  return Eigen::HouseholderQR<Points>(a).householderQ();
}

// 2d points +-sqrt(d) e_i (mean 0, covariance exactly I with divisor M), stretched by s along the
// rotation's columns and shifted by mean: covariance Q diag(s^2) Q^T, to rounding
Points anisotropicSet(const Points& q, const Vec& s, const Vec& mean) {
  const int d = static_cast<int>(q.rows());
  Points z = Points::Zero(d, 2 * d);
  for (int i = 0; i < d; ++i) {
    z(i, 2 * i) = std::sqrt(static_cast<double>(d));
    z(i, 2 * i + 1) = -std::sqrt(static_cast<double>(d));
  }
  return (q * s.asDiagonal() * z).colwise() + mean;
}

}  // namespace

TEST_CASE("projection: PCA of a rotated anisotropic set recovers the axes and variances") {
  const int d = 6;
  const Points q = randomRotation(d, 11);
  Vec s(d);
  s << 0.3, 3.0, 1.0, 0.1, 2.0, 0.5;  // the axes in decreasing variance: columns 1, 4, 2, 5, 0, 3
  Vec mean(d);
  mean << 1, -2, 3, 0.5, 0, 7;
  const PrincipalAxes pa = principalAxes(anisotropicSet(q, s, mean), d);
  const int order[] = {1, 4, 2, 5, 0, 3};
  CHECK((pa.mean - mean).norm() < 1e-10);
  CHECK(pa.total_variance == doctest::Approx(s.squaredNorm()).epsilon(1e-12));
  for (int j = 0; j < d; ++j) {
    const Vec truth = q.col(order[j]);
    // equal up to sign; the sign is the one that makes the largest entry positive
    const double sign = truth.dot(pa.axes.col(j)) >= 0 ? 1.0 : -1.0;
    CHECK((pa.axes.col(j) - sign * truth).norm() < 1e-10);
    CHECK(pa.variances[j] == doctest::Approx(s[order[j]] * s[order[j]]).epsilon(1e-10));
    Eigen::Index arg = 0;
    pa.axes.col(j).cwiseAbs().maxCoeff(&arg);
    CHECK(pa.axes(arg, j) > 0);
  }
  // orthonormal columns, and the 2 x d projection has orthonormal rows
  CHECK((pa.axes.transpose() * pa.axes - Points::Identity(d, d)).norm() < 1e-12);
  const Projection p = pcaProjection(pa, 0, 2);
  CHECK((p.rows * p.rows.transpose() - Eigen::Matrix2d::Identity()).norm() < 1e-12);
  CHECK(p.label.find("PC1-PC3") == 0);
}

TEST_CASE("projection: the sign of an axis does not depend on the sign of the data") {
  // x and -x have the same covariance: the fixed sign gives the same axes either way
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  Points x(5, 400);
  for (int i = 0; i < x.size(); ++i) x.data()[i] = g(rng) * (1 + i % 5);
  const PrincipalAxes a = principalAxes(x, 3), b = principalAxes(-x, 3);
  CHECK((a.axes - b.axes).norm() < 1e-9);
  CHECK((a.variances - b.variances).norm() < 1e-9);
  CHECK(a.axes.cols() == 3);
  // the first k of k = d are the k requested
  const PrincipalAxes full = principalAxes(x, 99);
  CHECK(full.axes.cols() == 5);
  CHECK((full.axes.leftCols(3) - a.axes).norm() < 1e-12);
}

TEST_CASE("projection: two chosen coordinates are a selection, the projection maps points and vectors") {
  PointsF x(4, 3);
  x << 1, 2, 3,  //
      4, 5, 6,   //
      7, 8, 9,   //
      10, 11, 12;
  const Projection p = coordinateProjection(4, 3, 1);
  const PointsF y = project(p, x);
  REQUIRE(y.rows() == 2);
  CHECK(y.row(0) == x.row(3));
  CHECK(y.row(1) == x.row(1));
  CHECK(projectVectors(p, x) == y);  // centre 0: points and vectors alike
  CHECK_THROWS_AS(coordinateProjection(4, 1, 1), InvalidArgument);
  CHECK_THROWS_AS(coordinateProjection(4, 0, 4), InvalidArgument);
  CHECK_THROWS_AS(project(p, PointsF::Zero(3, 2)), InvalidArgument);
}

TEST_CASE("projection: a PCA view centres the data at the origin, velocities are not shifted") {
  Points data(3, 4);
  data << 1, 3, 1, 3,  //
      0, 0, 0, 0,      //
      5, 5, 7, 7;
  const Projection p = pcaProjection(principalAxes(data, 2), 0, 1);
  const PointsF y = project(p, data.cast<float>());
  CHECK(y.rowwise().mean().norm() < 1e-6);
  PointsF v = PointsF::Zero(3, 1);
  v(0, 0) = 1;
  CHECK(projectVectors(p, v).norm() == doctest::Approx(1.0).epsilon(1e-6));  // e1 lies in the plane
  CHECK_THROWS_AS(pcaProjection(principalAxes(data, 2), 0, 2), InvalidArgument);
  CHECK_THROWS_AS(principalAxes(Points(3, 0), 2), InvalidArgument);
}

TEST_CASE("projection: the random plane is orthonormal and fixed by its seed") {
  const Vec c = Vec::Constant(64, 0.5);
  const Projection a = randomProjection(c, 7), b = randomProjection(c, 7), other = randomProjection(c, 8);
  CHECK((a.rows * a.rows.transpose() - Eigen::Matrix2d::Identity()).norm() < 1e-12);
  CHECK(a.rows == b.rows);
  CHECK((a.rows - other.rows).norm() > 0.1);
  CHECK(a.centre == c);
}
