// INTERNAL: the blocked log-sum-exp kernel-row primitive every field is built on. THEORY.md §6.1.
// For each evaluation point e (a column of eval) and a source set S (data or particles):
//   log_sum[e]  = log sum_s exp(lw_s) k(e, s)                    (lw = optional per-source log weight)
//   score[:, e] = sum_s omega_s c(|s - e|^2) (s - e)             (c = KernelEvaluator::scoreCoefficient)
//   shift[:, e] = sum_s omega_s (s - e)                          (mean-shift vector)
// with softmax weights omega_s = exp(lw_s) k(e, s) / sum_s' exp(lw_s') k(e, s'), computed with the row
// maximum subtracted, so a point 100 h from every source still gets exact weights (THEORY.md §13 item 26).
// A row whose source set is empty (e.g. N = 1 with leave-one-out) gets log_sum = -inf and score = shift = 0:
// callers treat its q-side terms as zero.
// Any thread; no state. Never forms an E x |S| matrix (one row buffer of |S| entries per call).
#pragma once

#include <functional>
#include <span>

#include "driftlab/kde/compute_path.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab::kde {

struct RowOutputs {
  bool score = true;
  bool shift = true;
};

struct RowSums {
  Vec log_sum;   // E
  Points score;  // d x E (0 x 0 when not requested)
  Points shift;  // d x E (0 x 0 when not requested)
};

// THE dispatch point: every kernel row sum in core/ goes through here, so a faster path (float32 SIMD,
// threads, FFT grid) can be routed in one place. `path` is the caller's choice (compute_path.hpp; the
// run's parameters, VelocityOptions::path): there is no default, so no sum silently runs at float64 cost
// or at float32 precision. exclude[e] = source column to leave out for row e, or -1;
// an empty span excludes nothing. source_log_weight: one entry per source column or empty (all 0).
void kdeRows(ComputePath path, const Points& eval, std::span<const int> exclude, const Points& sources,
             const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
             RowSums& out);

// Kernel rows of the data (p) and the particles (q) at the same evaluation points, in blocks: the
// plug-in field needs both per row and nothing else, so the grid path computes the two in one pass
// and hands them over while a block is in cache (at a million rows, writing and re-reading full
// RowSums cost as much as the sums themselves). Row i of a block is evaluation column
// rows ? rows[i] : first_row + i; arrays hold `count` entries (score / shift: d x count,
// column-major; null when not requested), as in RowSums.
struct RowBlockPQ {
  long count = 0;
  const long* rows = nullptr;
  long first_row = 0;
  const double* p_log_sum = nullptr;
  const double* q_log_sum = nullptr;
  const double* p_score = nullptr;
  const double* q_score = nullptr;
  const double* p_shift = nullptr;
  const double* q_shift = nullptr;
  long row(long i) const { return rows ? rows[i] : first_row + i; }
};
// called concurrently from the thread pool's threads, each time with other rows
using RowBlockConsumer = std::function<void(const RowBlockPQ&)>;

// p rows over `data` (no exclusion), q rows over `particles` leaving exclude_q[e] out; the same
// dispatch as kdeRows (the grid path fuses both sums when it takes both). Every row is handed
// to `consume` exactly once.
void kdeRowBlocksPQ(ComputePath path, const Points& eval, std::span<const int> exclude_q, const Points& data,
                    const Points& particles, const KernelEvaluator& kernel, const RowOutputs& what,
                    const RowBlockConsumer& consume);

// hands computed rows of both sets to `consume` in blocks over `pool`: entry i of
// p and q is evaluation column rows[i] (rows null: column i)
void consumeRowSums(const RowSums& p, const RowSums& q, const long* rows, const RowOutputs& what,
                    const RowBlockConsumer& consume, ThreadPool& pool);

// the float64 single-threaded reference implementation (tests compare fast paths against it)
void kdeRowsReference(const Points& eval, std::span<const int> exclude, const Points& sources,
                      const KernelEvaluator& kernel, std::span<const double> source_log_weight,
                      const RowOutputs& what, RowSums& out);

}  // namespace driftlab::kde
