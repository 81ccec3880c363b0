// The generator's normalized output and its backward pass, see sphere_output.hpp (THEORY.md §10.7).
#include "generator/sphere_output.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "driftlab/base/error.hpp"

namespace driftlab {

Points normalizeOutput(const Points& g, std::vector<double>* norms) {
  Points x(g.rows(), g.cols());
  if (norms) norms->assign(static_cast<std::size_t>(g.cols()), 0.0);
  for (Eigen::Index i = 0; i < g.cols(); ++i) {
    const double n = g.col(i).norm();
    if (norms) (*norms)[static_cast<std::size_t>(i)] = n;
    if (!std::isfinite(n)) {
      x.col(i).setConstant(std::numeric_limits<double>::quiet_NaN());
    } else if (n < kSphereOutputMinNorm) {
      x.col(i).setZero();
      if (x.rows() > 0) x(0, i) = 1.0;
    } else {
      x.col(i) = g.col(i) / n;
    }
  }
  return x;
}

Points normalizeOutputBackward(const Points& x, const std::vector<double>& norms, const Points& grad_x) {
  DRIFTLAB_CHECK(x.rows() == grad_x.rows() && x.cols() == grad_x.cols() &&
                     static_cast<Eigen::Index>(norms.size()) == x.cols(),
                 "generator: normalized-output gradient shape " + std::to_string(grad_x.rows()) + "x" +
                     std::to_string(grad_x.cols()) + " does not match the samples " + std::to_string(x.rows()) +
                     "x" + std::to_string(x.cols()));
  Points grad_g(x.rows(), x.cols());
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    const double n = norms[static_cast<std::size_t>(i)];
    // a NaN length keeps its NaN (the engine skips the update); only a short finite one passes 0
    if (n < kSphereOutputMinNorm) {
      grad_g.col(i).setZero();
      continue;
    }
    grad_g.col(i) = (grad_x.col(i) - x.col(i).dot(grad_x.col(i)) * x.col(i)) / n;
  }
  return grad_g;
}

}  // namespace driftlab
