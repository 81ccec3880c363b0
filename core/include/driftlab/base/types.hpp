// Basic numeric types shared by the whole engine.
#pragma once

#include <Eigen/Core>
#include <cstdint>

namespace driftlab {

// A set of points, one column per point: d x N, column-major, so each point is contiguous
// (and a 2 x N float copy is directly a GL vertex buffer of vec2).
using Points = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic>;
using PointsF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic>;
using Vec = Eigen::VectorXd;

// Largest point count accepted anywhere (particles, samples, CSV rows): larger requests are
// refused with an error instead of trying to allocate.
inline constexpr long long kMaxPoints = 50'000'000;
// Largest point dimension accepted from a file (CSV columns): covers 4096-wide embeddings and
// 64 x 64 x 3 images; a step costs N (N + M) d kernel terms, so a 200 000-column file would spend
// minutes per step before showing anything.
inline constexpr long long kMaxDimension = 16'384;

}  // namespace driftlab
