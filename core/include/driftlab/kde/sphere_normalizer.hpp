// Normalizers of the radial kernels on the unit sphere S^{d-1} (THEORY.md §10.6). On the sphere the
// engine evaluates every kernel at the chord r = |x - y| = 2 sin(theta/2), theta the angle between
// x and y, so Z_k = |S^{d-2}| int_0^pi kappa(2 sin(theta/2)) sin^{d-2}(theta) dtheta, finite for
// every kernel (compact sphere), unlike in R^d (kernel.hpp's logNormalizer).
// Pure functions; any thread.
#pragma once

#include "driftlab/kde/kernel.hpp"

namespace driftlab {

// log Z_k over S^{dim-1}, dim >= 3 (throws InvalidArgument below). The Gaussian kernel on S^2 is
// the von Mises-Fisher kernel e^{kappa (x.y - 1)}, kappa = 1/h^2, with the closed form
// log vmfLogNormalizerS2(1/h^2); every other case is Gauss-Legendre quadrature over theta on
// panels graded from h, so a narrow or heavy-tailed kernel is resolved (relative error ~1e-14).
double logSphereNormalizer(const KernelSpec& spec, int dim);

// log of Z = 2 pi (1 - e^{-2 kappa}) / kappa = int_{S^2} e^{kappa (x.mu - 1)} dx, kappa > 0
double vmfLogNormalizerS2(double kappa);

}  // namespace driftlab
