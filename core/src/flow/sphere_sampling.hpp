// Random points on the unit sphere S^{d-1}: the von Mises-Fisher sampler behind the built-in S^2
// datasets and the moves behind the sphere layouts (THEORY.md §10.1, §10.5). Internal to
// core/src/flow. Any thread: every caller owns its random generator.
#pragma once

#include "base/rng.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab::sphere_sampling {

// w = x . mu of a von Mises-Fisher draw on S^2 with concentration kappa > 0, from u in (0, 1]: the
// closed-form inverse CDF w = 1 + log(u + (1 - u) e^{-2 kappa}) / kappa (on S^2 the density of w
// is proportional to e^{kappa w} on [-1, 1], so no rejection step is needed). Clamped to [-1, 1].
double vmfCosine(double kappa, double u);

// one vMF draw on S^2 around the unit 3-vector mu: w from vmfCosine, the angle about mu uniform
Vec vmfSample(const Vec& mu, double kappa, seeded::Rng& rng);

// a unit vector of the tangent space at the unit vector x, uniform over its directions (a standard
// normal vector projected by I - x x^T); d >= 2
Vec randomTangentDirection(const Vec& x, seeded::Rng& rng);

// Exp_x(t) = cos|t| x + sin|t| t / |t| for a tangent vector t at the unit vector x (THEORY.md
// §10.1), scaled to unit length again so that rounding leaves no trace
Vec expMap(const Vec& x, const Vec& t);

// uniform on S^{d-1}: a standard normal vector scaled to unit length
Vec uniformOnSphere(Eigen::Index d, seeded::Rng& rng);

}  // namespace driftlab::sphere_sampling
