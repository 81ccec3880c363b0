// INTERNAL: Sinkhorn drift with log-domain potentials, THEORY.md §4.6. Any thread.
#include "field/sinkhorn_drift.hpp"

#include <cmath>
#include <numeric>
#include <vector>

#include "driftlab/kde/kernel.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab {

namespace {

// Column potential gamma = g / eps of the entropic plan between rows (law a = uniform on `rows`) and
// columns (law b = uniform on `cols`); log k = -c / eps for the Gaussian kernel with h^2 = eps.
//   phi_i   = -lse_j(log b + gamma_j + l_ij)   (row update)
//   gamma_j = -lse_i(log a + phi_i + l_ij)     (column update)
// A potential that is not finite (a row or column with no partner under the mask) is reset to 0: it
// carries no weight in any plan entry.
std::vector<double> columnPotential(ComputePath path, const Points& rows, const Points& cols,
                                    const KernelEvaluator& kernel, std::span<const int> mask, int iterations) {
  const double log_a = -std::log(double(rows.cols()));
  const double log_b = -std::log(double(cols.cols()));
  std::vector<double> phi(std::size_t(rows.cols()), 0.0), gamma(std::size_t(cols.cols()), 0.0);
  std::vector<double> lw;
  kde::RowSums sums;
  const kde::RowOutputs none{false, false};
  for (int it = 0; it < iterations; ++it) {
    lw.resize(gamma.size());
    for (std::size_t j = 0; j < gamma.size(); ++j) lw[j] = log_b + gamma[j];
    kde::kdeRows(path, rows, mask, cols, kernel, lw, none, sums);
    for (std::size_t i = 0; i < phi.size(); ++i) {
      phi[i] = -sums.log_sum[long(i)];
      if (!std::isfinite(phi[i])) phi[i] = 0.0;
    }
    lw.resize(phi.size());
    for (std::size_t i = 0; i < phi.size(); ++i) lw[i] = log_a + phi[i];
    kde::kdeRows(path, cols, mask, rows, kernel, lw, none, sums);  // symmetric kernel: column sums as rows
    for (std::size_t j = 0; j < gamma.size(); ++j) {
      gamma[j] = -sums.log_sum[long(j)];
      if (!std::isfinite(gamma[j])) gamma[j] = 0.0;
    }
  }
  return gamma;
}

}  // namespace

FieldParts sinkhornDriftField(ComputePath path, const Points& eval, std::span<const int> self_index,
                              const Points& particles, const Points& data, double eps, bool mask_self, int iterations) {
  const long d = eval.rows();
  FieldParts out{Points::Zero(d, eval.cols()), Points::Zero(d, eval.cols())};
  if (eval.cols() == 0) return out;
  KernelSpec spec;
  spec.kind = KernelKind::Gaussian;
  spec.h = std::sqrt(eps);
  const KernelEvaluator kernel(spec, int(d));
  const kde::RowOutputs shift_only{false, true};
  kde::RowSums sums;

  // qp plan: barycentric map toward the data
  const std::vector<double> gamma_qp = columnPotential(path, particles, data, kernel, {}, iterations);
  kde::kdeRows(path, eval, {}, data, kernel, gamma_qp, shift_only, sums);
  out.attraction = sums.shift;
  if (particles.cols() == 0) return out;

  // qq plan: barycentric map toward the particles (diagonal masked when mask_self)
  std::vector<int> ident(std::size_t(particles.cols()));
  std::iota(ident.begin(), ident.end(), 0);
  const std::span<const int> mask = mask_self ? std::span<const int>(ident) : std::span<const int>();
  const std::vector<double> gamma_qq = columnPotential(path, particles, particles, kernel, mask, iterations);
  kde::kdeRows(path, eval, mask_self ? self_index : std::span<const int>(), particles, kernel, gamma_qq, shift_only,
               sums);
  out.repulsion = -sums.shift;
  return out;
}

}  // namespace driftlab
