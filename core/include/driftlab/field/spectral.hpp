// Linearized spectral picture of the drifting flow around q = p = uniform, THEORY.md §3.5 [D]:
// a Fourier mode e^{i omega . x} of delta q decays at rate lambda(omega) = |omega|^2 G_hat(omega) / Z_k
// (DM units, shadow potential G of THEORY.md §2.3). Pure functions; any thread.
#pragma once

namespace driftlab {

// Gaussian kernel: lambda = h^2 |omega|^2 exp(-h^2 |omega|^2 / 2); maximal at |omega| = sqrt(2)/h with value
// 2/e, exponentially slow for |omega| >> 1/h (THEORY.md §3.5, §13 item 25)
double gaussianLinearRate(double h, double omega_norm);

// Laplacian kernel (shadow G = h^2 Matern-3/2): lambda = (d + 1) h^2 |omega|^2 (1 + h^2 |omega|^2)^(-(d+3)/2),
// algebraic decay: the "Laplacian preference" of THEORY.md §3.5
double laplacianLinearRate(double h, double omega_norm, int dim);

}  // namespace driftlab
