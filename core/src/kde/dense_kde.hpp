// INTERNAL: kernel rows for dimensions above 3 (the SIMD path covers d <= 3) by blocked matrix
// products: squared distances as |e|^2 + |s|^2 - 2 e.s and the weighted sums as the source matrix
// times the weight matrix, in float64 or float32 (the exact path). THEORY.md §6.1. Any thread; no state.
#pragma once

#include <span>

#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/base/types.hpp"
#include "kde/fast_kde.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab::kde {

// the same outputs as kdeRowsReference (kde_rows.hpp); declines (returns false) for d <= 3.
// Float32: the distance and weighted-sum products in float (~1e-5 relative, as the SIMD float32
// path), everything else float64
bool kdeRowsDense(FastPrecision precision, const Points& eval, std::span<const int> exclude, const Points& sources,
                  const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                  RowSums& out, ThreadPool& pool);

}  // namespace driftlab::kde
