// What Diffusion Flow Matching trains on, drawn for the eye (THEORY.md §12.2): sample paths of the
// Brownian bridge X_t = (1 - t) x_0 + t x_1 + sigma B_t between a source draw x_0 ~ N(0, s0^2 I)
// and a data point x_1, where B is a standard Brownian bridge (B_0 = B_1 = 0, Var B_t = t (1 - t)),
// so X_t has the bridge's marginal law at every t; and that marginal's density over the whole data,
//   p_t(x) = (1/M) sum_j N(x; t y_j, v_t I),
// the law the sampler's particles should have at time t. Pure functions; any thread.
#pragma once

#include <cstdint>

#include "driftlab/base/types.hpp"
#include "driftlab/field/dfm_drift.hpp"

namespace driftlab {

// `paths` bridges, each at knots + 1 equally spaced times t_k = k / knots (k = 0..knots):
// d x (paths (knots + 1)), path p's points in columns p (knots + 1) .. p (knots + 1) + knots.
// Path p joins a source draw to the data point drawn for it; both and the noise come from seed.
// Throws InvalidArgument for empty data, paths < 1 or knots < 1.
Points sampleBridgePaths(const Points& data, const DfmBridge& bridge, int paths, int knots, std::uint64_t seed);

// log p_t at every column of x (d x E), data d x M, t in [0, 1] (t = 1 needs sigma or s0 to leave
// v_1 = 0 undefined: throws InvalidArgument when v_t = 0). Log-sum-exp in float64.
Vec bridgeMarginalLogDensity(const Points& x, const Points& data, const DfmBridge& bridge, double t);

}  // namespace driftlab
