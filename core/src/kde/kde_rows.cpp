// INTERNAL: float64 reference of the kernel-row primitive and its dispatch point. THEORY.md §6.1.
// Any thread.
#include "kde/kde_rows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "driftlab/kde/compute_path.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "kde/dense_kde.hpp"
#include "kde/fast_kde.hpp"
#include "kde/grid_kde.hpp"

namespace driftlab::kde {

void kdeRows(ComputePath path, const Points& eval, std::span<const int> exclude, const Points& sources,
             const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
             RowSums& out) {
  // dispatch (compute_path.hpp): the caller's path, resolved for this sum's size, on the current
  // thread pool; a fast path that does not cover the case (d > 3; grid: d != 2 or a box too wide for
  // h) declines, and the next one takes over: grid -> SIMD float32 or float64 (d <= 3) -> blocked
  // matrix products (d > 3, in the path's precision) -> this reference
  ThreadPool& pool = currentThreadPool();
  const ComputePath resolved = resolveComputePath(path, int(eval.rows()), long(eval.cols()), long(sources.cols()));
  if (resolved == ComputePath::Grid && kdeRowsGrid(eval, exclude, sources, kernel, source_log_weight, what, out, pool))
    return;
  const FastPrecision precision = resolved == ComputePath::Exact64 ? FastPrecision::Float64 : FastPrecision::Float32;
  if (kdeRowsFast(precision, eval, exclude, sources, kernel, source_log_weight, what, out, pool)) return;
  if (kdeRowsDense(precision, eval, exclude, sources, kernel, source_log_weight, what, out, pool)) return;
  kdeRowsReference(eval, exclude, sources, kernel, source_log_weight, what, out);
}

void kdeRowBlocksPQ(ComputePath path, const Points& eval, std::span<const int> exclude_q, const Points& data,
                    const Points& particles, const KernelEvaluator& kernel, const RowOutputs& what,
                    const RowBlockConsumer& consume) {
  ThreadPool& pool = currentThreadPool();
  const int d = int(eval.rows());
  const long num_eval = eval.cols();
  if (resolveComputePath(path, d, num_eval, long(data.cols())) == ComputePath::Grid &&
      resolveComputePath(path, d, num_eval, long(particles.cols())) == ComputePath::Grid &&
      kdeRowsGridPQ(eval, exclude_q, data, particles, kernel, what, consume, pool))
    return;
  RowSums p, q;
  kdeRows(path, eval, {}, data, kernel, {}, what, p);
  kdeRows(path, eval, exclude_q, particles, kernel, {}, what, q);
  consumeRowSums(p, q, nullptr, what, consume, pool);
}

void consumeRowSums(const RowSums& p, const RowSums& q, const long* rows, const RowOutputs& what,
                    const RowBlockConsumer& consume, ThreadPool& pool) {
  pool.parallelFor(0, p.log_sum.size(), [&](long lo, long hi, int) {
    RowBlockPQ block;
    block.count = hi - lo;
    block.rows = rows ? rows + lo : nullptr;
    block.first_row = lo;
    block.p_log_sum = p.log_sum.data() + lo;
    block.q_log_sum = q.log_sum.data() + lo;
    if (what.score) {
      block.p_score = p.score.data() + p.score.rows() * lo;
      block.q_score = q.score.data() + q.score.rows() * lo;
    }
    if (what.shift) {
      block.p_shift = p.shift.data() + p.shift.rows() * lo;
      block.q_shift = q.shift.data() + q.shift.rows() * lo;
    }
    consume(block);
  }, 2048);
}

void kdeRowsReference(const Points& eval, std::span<const int> exclude, const Points& sources,
                      const KernelEvaluator& kernel, std::span<const double> source_log_weight,
                      const RowOutputs& what, RowSums& out) {
  const long d = eval.rows();
  const long num_eval = eval.cols();
  const long num_src = sources.cols();
  const bool weighted = !source_log_weight.empty();
  out.log_sum.resize(num_eval);
  if (what.score) out.score.setZero(d, num_eval); else out.score.resize(0, 0);
  if (what.shift) out.shift.setZero(d, num_eval); else out.shift.resize(0, 0);

  // per-row buffers: log kernel values and squared distances of one row (O(|S|), not O(E |S|));
  // raw column-major pointers: point s occupies src[s d .. s d + d - 1]
  std::vector<double> logk(static_cast<std::size_t>(num_src)), r2(static_cast<std::size_t>(num_src));
  std::vector<double> acc_score(static_cast<std::size_t>(d)), acc_shift(static_cast<std::size_t>(d));
  const double neg_inf = -std::numeric_limits<double>::infinity();
  const double* src = sources.data();

  for (long e = 0; e < num_eval; ++e) {
    const long skip = exclude.empty() ? -1 : exclude[std::size_t(e)];
    const double* ev = eval.data() + e * d;
    // step 1: log-kernel row and its maximum
    double row_max = neg_inf;
    for (long s = 0; s < num_src; ++s) {
      const double* ps = src + s * d;
      double dist2 = 0.0;
      for (long a = 0; a < d; ++a) {
        const double diff = ps[a] - ev[a];
        dist2 += diff * diff;
      }
      r2[std::size_t(s)] = dist2;
      double l = kernel.logValue(dist2);
      if (weighted) l += source_log_weight[std::size_t(s)];
      logk[std::size_t(s)] = l;
      row_max = std::max(row_max, l);
    }
    if (skip >= 0 && skip < num_src) {  // leave-one-out: recompute the max without the excluded source
      logk[std::size_t(skip)] = neg_inf;
      row_max = neg_inf;
      for (long s = 0; s < num_src; ++s) row_max = std::max(row_max, logk[std::size_t(s)]);
    }
    if (!(row_max > neg_inf)) {  // no sources (or all weights -inf): q-side terms are zero
      out.log_sum[e] = neg_inf;
      continue;
    }
    // steps 2-4: softmax-weighted sums with the row max subtracted
    double total = 0.0;
    std::fill(acc_score.begin(), acc_score.end(), 0.0);
    std::fill(acc_shift.begin(), acc_shift.end(), 0.0);
    for (long s = 0; s < num_src; ++s) {
      const double l = logk[std::size_t(s)];
      if (l == neg_inf) continue;
      const double w = std::exp(l - row_max);
      total += w;
      if (!what.score && !what.shift) continue;
      const double* ps = src + s * d;
      const double wc = what.score ? w * kernel.scoreCoefficient(r2[std::size_t(s)]) : 0.0;
      for (long a = 0; a < d; ++a) {
        const double diff = ps[a] - ev[a];
        acc_shift[std::size_t(a)] += w * diff;
        acc_score[std::size_t(a)] += wc * diff;
      }
    }
    out.log_sum[e] = row_max + std::log(total);
    for (long a = 0; a < d; ++a) {
      if (what.score) out.score(a, e) = acc_score[std::size_t(a)] / total;
      if (what.shift) out.shift(a, e) = acc_shift[std::size_t(a)] / total;
    }
  }
}

}  // namespace driftlab::kde
