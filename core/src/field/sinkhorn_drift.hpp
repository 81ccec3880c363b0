// INTERNAL: Sinkhorn drift, THEORY.md §4.6 [arXiv:2603.09936 template; D]. Any thread.
#pragma once

#include <span>

#include "driftlab/kde/compute_path.hpp"
#include "field/field_parts.hpp"

namespace driftlab {

// V(e) = T^{qp}(e) - T^{qq}(e): barycentric maps of the entropic plans pi^{qp} (particles -> data) and
// pi^{qq} (particles -> particles), cost |x - y|^2 / 2, regularization eps, uniform marginals, `iterations`
// log-domain Sinkhorn iterations (each = row potential update, then column potential update) started from
// zero potentials. The map at any point e uses the converged column potential g: T(e) = softmax_j((g_j -
// c(e, y_j)) / eps)-weighted mean, so iterations = 0 is the Gaussian DM mean shift with h^2 = eps (item 24).
// mask_self: the qq plan has no diagonal (cost +inf), matching DM's self-mask; self_index[e] >= 0 drops
// e's own column from T^{qq}(e). Cost O(iterations N (N + M)); only dual vectors are stored.
// Returns attraction = T^{qp}(e) - e, repulsion = -(T^{qq}(e) - e).
FieldParts sinkhornDriftField(ComputePath path, const Points& eval, std::span<const int> self_index,
                              const Points& particles, const Points& data, double eps, bool mask_self, int iterations);

}  // namespace driftlab
