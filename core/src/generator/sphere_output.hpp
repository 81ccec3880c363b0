// The generator's output on the sphere (THEORY.md §10.7): when the field's geometry is sphere or
// sphere_retraction, a sample is the network's raw output g(z) in R^d scaled to unit length,
// x = g / |g|, and the loss gradient flows back through that scaling with the Jacobian
// dx/dg = (I - x x^T) / |g|. Internal to the generator layer (the engine and the tests). Pure
// functions: any thread.
#pragma once

#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

// Below this length the direction of g is float32 rounding of the network's output (its weights
// and activations are float32, ~1e-7 relative), so it is no direction at all: such a sample is
// placed at e_1 and passes no gradient back (its Jacobian 1/|g| would be at least 1e6).
inline constexpr double kSphereOutputMinNorm = 1e-6;

// x_i = g_i / |g_i| column by column; norms (optional) <- |g_i|. A column shorter than
// kSphereOutputMinNorm becomes e_1; a column with a non-finite length becomes NaN, so the
// engine's finite check reports it instead of a silent e_1.
Points normalizeOutput(const Points& g, std::vector<double>* norms = nullptr);

// dL/dg_i = (I - x_i x_i^T) dL/dx_i / |g_i| (0 for a column shorter than kSphereOutputMinNorm);
// x and norms as normalizeOutput returned them.
Points normalizeOutputBackward(const Points& x, const std::vector<double>& norms, const Points& grad_x);

}  // namespace driftlab
