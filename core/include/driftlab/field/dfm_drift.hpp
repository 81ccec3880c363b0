// Diffusion Flow Matching with a Brownian bridge (THEORY.md §12.2): the bridge
//   X_t = (1 - t) X_0 + t X_1 + sigma sqrt(t (1 - t)) Z,   X_0 ~ N(0, s0^2 I), X_1 ~ the data,
// and the drift of its Markovian projection for empirical data (the "oracle"), in closed form:
//   b(t, x) = (sum_j w_j y_j - x) / (1 - t),   w_j ∝ exp(-|x - t y_j|^2 / (2 v_t)),
//   v_t = (1 - t)^2 s0^2 + sigma^2 t (1 - t),
// a softmax mean shift with bandwidth sqrt(v_t) over the data scaled by t.
// Pure functions; any thread (they use the calling thread's pool).
#pragma once

#include "driftlab/base/types.hpp"

namespace driftlab {

struct DfmBridge {
  double source_std = 1.0;  // s0
  double sigma = 0.5;       // bridge noise
};

// v_t, the variance per coordinate of X_t given X_1 (THEORY.md §12.2)
double bridgeVariance(const DfmBridge& bridge, double t);

// b(t, x) at every column of x (d x E) for the data (d x M), t in [0, 1). Softmax weights with the
// row maximum subtracted, in float64, so a point far from every scaled data point still gets
// exact weights. Throws InvalidArgument when t is outside [0, 1) or the shapes disagree.
Points dfmOracleDrift(const Points& x, const Points& data, const DfmBridge& bridge, double t);

}  // namespace driftlab
