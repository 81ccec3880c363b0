// Linear decay rates of Fourier modes under the drifting flow, THEORY.md §3.5 [D]. Pure; any thread.
#include <cmath>

#include "driftlab/field/spectral.hpp"

namespace driftlab {

// lambda = |omega|^2 G_hat / Z_k with G = h^2 kappa (Gaussian shadow), G_hat / Z_k = h^2 exp(-h^2 w^2 / 2)
double gaussianLinearRate(double h, double omega_norm) {
  const double hw2 = h * h * omega_norm * omega_norm;
  return hw2 * std::exp(-0.5 * hw2);
}

// Laplacian: G = h^2 (1 + r/h) e^{-r/h}; its transform is h^2 Z_M32 (1 + h^2 w^2)^(-(d+3)/2), and
// Z_M32 / Z_Lap = d + 1 (THEORY.md §2.1 normalizers), so lambda = (d+1) h^2 w^2 (1 + h^2 w^2)^(-(d+3)/2)
double laplacianLinearRate(double h, double omega_norm, int dim) {
  const double hw2 = h * h * omega_norm * omega_norm;
  return double(dim + 1) * hw2 * std::pow(1.0 + hw2, -0.5 * double(dim + 3));
}

}  // namespace driftlab
