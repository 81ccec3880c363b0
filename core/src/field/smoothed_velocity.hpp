// INTERNAL: the kernel-smoothing step of the exact smoothed velocity, THEORY.md §5.4 and §6.5:
// out(e) = sum_z k_h(e - z) values(z) dA / Z_k over the nodes z of a QuadratureGrid. Any thread.
#pragma once

#include "driftlab/field/functional.hpp"
#include "driftlab/kde/kernel.hpp"

namespace driftlab {

// values: r x G (any number r of stacked components per node); returns r x E. Blocked over eval points;
// kernel values by plain exp (every eval point lies inside the padded box, so nothing underflows that
// matters). Requires an integrable kernel (checked by the caller).
Points smoothOverGrid(const Points& eval, const QuadratureGrid& grid, const Points& nodes, const Points& values,
                      const KernelEvaluator& kernel);

// throws InvalidArgument unless d is 1 or 2 and the kernel is integrable in d dimensions
void checkSmoothedSupported(const KernelSpec& kernel, int dim);

}  // namespace driftlab
