// The smoothed divergence functional F(X) = D(p_hat, q_hat_X) by grid quadrature (THEORY.md §5.4, §8.5), on
// the same grid the ExactSmoothed velocity uses, so that -N dF/dx_i equals that velocity (THEORY.md §13
// item 12). For tests, the objective curve and the UI. d = 1 or 2. Pure functions; any thread.
#pragma once

#include <array>

#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/types.hpp"
#include "driftlab/field/velocity.hpp"

namespace driftlab {

// a regular grid: node k along axis a is lo[a] + k step[a], k = 0 .. n[a] - 1 (axis 0 varies fastest)
struct QuadratureGrid {
  int dim = 1;
  std::array<double, 2> lo{0.0, 0.0};
  std::array<double, 2> step{1.0, 1.0};
  std::array<int, 2> n{1, 1};
  long size() const { return dim == 1 ? long(n[0]) : long(n[0]) * long(n[1]); }
  double cellVolume() const { return dim == 1 ? step[0] : step[0] * step[1]; }
};

// The ExactSmoothed grid for bandwidth kernel.h: nodes_per_axis nodes over the bounding box of particles and
// data padded by max(4 h, tail) where tail is the radius at which kappa drops to 1e-10 kappa(0), capped at
// 12 h. Throws InvalidArgument for d > 2 or nodes_per_axis < 2.
QuadratureGrid smoothingGrid(const Points& particles, const Points& data, const KernelSpec& kernel,
                             int nodes_per_axis);
// the nodes as a d x size() point set
Points gridNodes(const QuadratureGrid& grid);

// F(X) = sum over the active terms of weight * F_term, each by quadrature sum_z (...) dA with the full
// (no leave-one-out) normalized KDEs at bandwidth opt.kernel.h and no ratio clamp:
//   f-divergences: sum_z p_hat f(q_hat / p_hat) dA (f of THEORY.md §5.2; chi2 Half is half of Full);
//   mmd: (1 / (2 Z_k)) sum_z (mu_p - mu_q)^2 dA with the unnormalized means mu = (1/n) sum k(z, .), whose
//        smoothed particle gradient is the smoothed mmd velocity;
//   drift: h^2 KL(q_hat || p_hat) for the Gaussian kernel (exact: V = h^2 (score_p - score_q)), else the
//        forward KL (the field is not a gradient then); drift_double and sinkhorn: the forward KL.
// Throws InvalidArgument when the kernel is not integrable or d > 2.
double smoothedFunctional(const Points& particles, const Points& data, const VelocityOptions& opt,
                          const QuadratureGrid& grid);

}  // namespace driftlab
