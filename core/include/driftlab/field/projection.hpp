// Linear views of d-dimensional points in the plane (THEORY.md §9.4): the principal axes of a data
// set (PCA), two chosen coordinates, or a seeded random orthonormal pair. A projection is a fixed
// linear map y = P (x - c) with P 2 x d, orthonormal rows; the app draws data of d > 2 through
// one, computed once per data set, so that motion on screen is the projection of real motion.
// Pure functions; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "driftlab/base/types.hpp"

namespace driftlab {

// mean and the top-k eigenvectors of the covariance of a d x M point set, largest variance first
struct PrincipalAxes {
  Vec mean;            // d
  Points axes;         // d x k, orthonormal columns; each column's largest-|.| entry is positive
  Vec variances;       // k, eigenvalues of the covariance (divisor M), non-increasing
  double total_variance = 0.0;  // trace of the covariance: variances / total = explained share
};

// principal axes of data (d x M, M >= 1), k clamped to [1, d]. The covariance uses divisor M.
// An eigenvector's sign is arbitrary; it is fixed so that its entry of largest magnitude (the
// first such entry on a tie) is positive, so the same data always give the same picture.
// Throws InvalidArgument on an empty or non-finite set. Cost O(M d^2 + d^3).
PrincipalAxes principalAxes(const Points& data, int k);

struct Projection {
  Eigen::Matrix<double, 2, Eigen::Dynamic> rows;  // 2 x d, orthonormal rows
  Vec centre;                                     // d; y = rows * (x - centre)
  std::string label;                              // e.g. "PC1-PC2 (38% of the variance)"
};

// the plane of principal axes a and b (0-based, distinct, < axes.axes.cols()), centred at the mean
Projection pcaProjection(const PrincipalAxes& axes, int a, int b);
// coordinates i and j (0-based, distinct, < d), centre 0: the points' own values of x_i, x_j
Projection coordinateProjection(int d, int i, int j);
// a random 2-plane: two Gaussian d-vectors orthonormalised (Gram-Schmidt), same seed same plane;
// centred at `centre` (size d)
Projection randomProjection(const Vec& centre, std::uint64_t seed);

// y = P (x - c) for every column of x (d x N), written as 2 x N
PointsF project(const Projection& p, const PointsF& x);
// the linear part alone, P v, for vectors (velocities) that do not move with the centre
PointsF projectVectors(const Projection& p, const PointsF& v);

}  // namespace driftlab
