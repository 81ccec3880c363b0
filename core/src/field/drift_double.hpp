// INTERNAL: DM Algorithm 2 double normalization (THEORY.md §4.4) and its balanced (Sinkhorn-like) variant
// (THEORY.md §4.6, last paragraph). Streaming over rows and columns: no N x (N + M) matrix. Any thread.
#pragma once

#include <span>

#include "driftlab/kde/compute_path.hpp"
#include "driftlab/kde/kernel.hpp"
#include "field/field_parts.hpp"

namespace driftlab {

// Alg. 2 field at eval points. Rows are the eval points; columns are data (positives) and particles
// (negatives); column masses C_s are sums over the particles only (the generated axis), so an eval point
// that is not a particle acts as an extra row. mask_self: an eval point's own column (self_index[e] >= 0)
// is removed from its negatives and from that column's mass (DM's +1e6 distance mask, i.e. weight 0).
// Returns attraction = W+ (y+ - x) part, repulsion = -W- (y- - x) part.
FieldParts driftDoubleField(ComputePath path, const Points& eval, std::span<const int> self_index,
                            const Points& particles, const Points& data, const KernelEvaluator& kernel,
                            bool mask_self);

// Balanced Alg. 2 at the particles: logits L_is = log k(x_i, s) iterated as L <- L - lse_row/2 - lse_col/2
// (simultaneous updates), then W+ = A+ rowsum(A-), W- = A- rowsum(A+) with A = exp(L). iterations = 1 is
// exactly Alg. 2 (THEORY.md §13 item 24). Cost O(iterations N (N + M)).
Points balancedDriftAtParticles(ComputePath path, const Points& particles, const Points& data,
                                const KernelEvaluator& kernel, bool mask_self, int iterations);

}  // namespace driftlab
