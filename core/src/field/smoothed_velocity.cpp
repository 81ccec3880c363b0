// INTERNAL: grid construction and kernel smoothing for the exact smoothed velocity. THEORY.md §5.4, §6.5.
// Any thread.
#include "field/smoothed_velocity.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "driftlab/base/error.hpp"

namespace driftlab {

void checkSmoothedSupported(const KernelSpec& kernel, int dim) {
  DRIFTLAB_CHECK(dim == 1 || dim == 2, "velocity: the exact smoothed mode supports d = 1 or 2 (got d = " +
                                           std::to_string(dim) + ")");
  DRIFTLAB_CHECK(isIntegrable(kernel, dim), std::string("velocity: the exact smoothed mode needs an integrable "
                                                        "kernel ('") +
                                                kernelName(kernel.kind) + "' is not integrable in " +
                                                std::to_string(dim) + "-D)");
}

QuadratureGrid smoothingGrid(const Points& particles, const Points& data, const KernelSpec& kernel,
                             int nodes_per_axis) {
  const int dim = int(data.rows());
  DRIFTLAB_CHECK(dim == 1 || dim == 2, "smoothing grid: supports d = 1 or 2 (got d = " + std::to_string(dim) + ")");
  DRIFTLAB_CHECK(nodes_per_axis >= 2, "smoothing grid: needs >= 2 nodes per axis (got " +
                                          std::to_string(nodes_per_axis) + ")");
  // padding: the kernel tail radius where kappa(r) = 1e-10 kappa(0), between 4 h and 12 h (bisection on
  // the monotone log kernel)
  const KernelEvaluator k(kernel, dim);
  const double h = kernel.h;
  const double target = k.logValue(0.0) - std::log(1e10);
  double pad = 12.0 * h;
  if (k.logValue(pad * pad) < target) {
    double lo = 0.0, hi = pad;
    for (int it = 0; it < 60; ++it) {
      const double mid = 0.5 * (lo + hi);
      (k.logValue(mid * mid) < target ? hi : lo) = mid;
    }
    pad = hi;
  }
  pad = std::max(pad, 4.0 * h);

  QuadratureGrid g;
  g.dim = dim;
  for (int a = 0; a < dim; ++a) {
    double lo = data.row(a).minCoeff(), hi = data.row(a).maxCoeff();
    if (particles.cols() > 0) {
      lo = std::min(lo, particles.row(a).minCoeff());
      hi = std::max(hi, particles.row(a).maxCoeff());
    }
    g.lo[std::size_t(a)] = lo - pad;
    g.n[std::size_t(a)] = nodes_per_axis;
    g.step[std::size_t(a)] = (hi - lo + 2.0 * pad) / double(nodes_per_axis - 1);
  }
  return g;
}

Points gridNodes(const QuadratureGrid& grid) {
  Points nodes(grid.dim, grid.size());
  for (long idx = 0; idx < grid.size(); ++idx) {
    const long i0 = idx % grid.n[0];
    nodes(0, idx) = grid.lo[0] + double(i0) * grid.step[0];
    if (grid.dim == 2) nodes(1, idx) = grid.lo[1] + double(idx / grid.n[0]) * grid.step[1];
  }
  return nodes;
}

Points smoothOverGrid(const Points& eval, const QuadratureGrid& grid, const Points& nodes, const Points& values,
                      const KernelEvaluator& kernel) {
  // (k_h * v)(e) = sum_z k(e - z) v(z) dA / Z_k, THEORY.md §5.4
  const double scale = grid.cellVolume() * std::exp(-logNormalizer(kernel.spec(), kernel.dim()));
  Points out = Points::Zero(values.rows(), eval.cols());
  Eigen::VectorXd acc(values.rows());
  for (long e = 0; e < eval.cols(); ++e) {
    acc.setZero();
    for (long z = 0; z < nodes.cols(); ++z) {
      const double w = kernel.value((nodes.col(z) - eval.col(e)).squaredNorm());
      if (w != 0.0) acc.noalias() += w * values.col(z);
    }
    out.col(e) = scale * acc;
  }
  return out;
}

}  // namespace driftlab
