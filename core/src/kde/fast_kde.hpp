// INTERNAL: the exact fast path of the kernel-row primitive (kde_rows.hpp): the same sums as
// kdeRowsReference, computed with SIMD lanes (simd_exp.hpp), blocked so that a tile of sources
// stays in L1 while a block of rows sweeps it, and split over the rows by the thread pool.
// THEORY.md §6.1; measured speed and accuracy in docs/PERFORMANCE.md.
//
// Log-sum-exp: every kernel here is radially decreasing, so log k <= log k(0). A first pass
// uses the fixed shift log k(0) + max(log weight) (no per-pair max bookkeeping); a row whose
// shifted sum falls below e^-50 (float) / e^-600 (double), i.e. a point far from all sources,
// is recomputed with its own shift log k(min r^2) + max(log weight) (two passes), and, should
// that still underflow (only possible with weights), by a scalar float64 loop with the exact
// row maximum. So far points get the same weights as in the reference (THEORY.md §13 item 26).
// Precision: Exact32 accumulates in float lanes over one source tile (<= 2048 sources) and adds
// the tile sums in double; coordinates are centred on the bounding box before the float copy.
// Any thread (uses `pool` for the rows; safe to call concurrently with different outputs).
#pragma once

#include <span>

#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/base/types.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab::kde {

enum class FastPrecision { Float32, Float64 };

// true when handled; false when this path does not cover the case (dimension > 3), so the
// caller should use kdeRowsReference.
bool kdeRowsFast(FastPrecision precision, const Points& eval, std::span<const int> exclude, const Points& sources,
                 const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                 RowSums& out, ThreadPool& pool);

}  // namespace driftlab::kde
