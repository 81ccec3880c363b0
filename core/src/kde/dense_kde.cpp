// INTERNAL: kernel rows for d > 3 by blocked matrix products, THEORY.md §6.1. Any thread.
// The products (the d x |S| x |E| part of the cost) run in the path's precision; the kernel
// values, their row maxima and the per-row totals are float64 either way.
#include "kde/dense_kde.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace driftlab::kde {

namespace {

// evaluation points per block: one block's distance and weight matrices (|S| x 32 each) stay
// in cache for the products; blocks are aligned to absolute indices, so the result does not
// depend on the number of threads
constexpr long kBlock = 32;

template <class Scalar>
void denseRows(const Points& eval, std::span<const int> exclude, const Points& sources, const KernelEvaluator& kernel,
               std::span<const double> source_log_weight, const RowOutputs& what, RowSums& out, ThreadPool& pool) {
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  const long d = eval.rows();
  const long num_eval = eval.cols();
  const long num_src = sources.cols();
  const bool weighted = !source_log_weight.empty();
  const double neg_inf = -std::numeric_limits<double>::infinity();
  out.log_sum.resize(num_eval);
  if (what.score) out.score.setZero(d, num_eval); else out.score.resize(0, 0);
  if (what.shift) out.shift.setZero(d, num_eval); else out.shift.resize(0, 0);
  if (num_eval == 0) return;
  if (num_src == 0) {
    out.log_sum.setConstant(neg_inf);
    return;
  }

  // centred at the sources' mean: |e|^2 + |s|^2 - 2 e.s then loses digits only to the spread of
  // the points, not to their distance from the origin (s - e is unchanged)
  const Eigen::VectorXd centre = sources.rowwise().mean();
  const Points src64 = sources.colwise() - centre;
  const Points ev_all = eval.colwise() - centre;
  const Eigen::VectorXd src_norm2 = src64.colwise().squaredNorm().transpose();
  const Matrix src = src64.template cast<Scalar>();
  const Matrix ev_scalar = ev_all.template cast<Scalar>();

  const long num_blocks = (num_eval + kBlock - 1) / kBlock;
  pool.parallelFor(0, num_blocks, [&](long block_lo, long block_hi, int) {
    // column c of each matrix belongs to evaluation point b0 + c; row s to source s
    Matrix r2(num_src, kBlock), w(num_src, kBlock), wc(num_src, what.score ? kBlock : 0), product;
    Eigen::VectorXd total(kBlock), total_c(kBlock);
    for (long blk = block_lo; blk < block_hi; ++blk) {
      const long b0 = blk * kBlock;
      const long count = std::min(kBlock, num_eval - b0);
      const auto ev = ev_all.middleCols(b0, count);
      r2.leftCols(count).noalias() = Scalar(-2) * src.transpose() * ev_scalar.middleCols(b0, count);
      for (long c = 0; c < count; ++c) {
        const long e = b0 + c;
        const double e2 = ev.col(c).squaredNorm();
        const long skip = exclude.empty() ? -1 : exclude[std::size_t(e)];
        // log-kernel column and its maximum (the softmax of kde_rows.hpp, row max subtracted)
        double row_max = neg_inf;
        for (long s = 0; s < num_src; ++s) {
          const double dist2 = std::max(0.0, double(r2(s, c)) + src_norm2[s] + e2);
          r2(s, c) = Scalar(dist2);
          double l = (s == skip) ? neg_inf : kernel.logValue(dist2);
          if (weighted && s != skip) l += source_log_weight[std::size_t(s)];
          w(s, c) = Scalar(l);
          row_max = std::max(row_max, l);
        }
        if (!(row_max > neg_inf)) {  // no sources left: q-side terms are zero
          out.log_sum[e] = neg_inf;
          w.col(c).setZero();
          if (what.score) wc.col(c).setZero();
          total[c] = total_c[c] = 0.0;
          continue;
        }
        double sum = 0.0, sum_c = 0.0;
        for (long s = 0; s < num_src; ++s) {
          const double l = double(w(s, c));
          const double ws = (l == neg_inf) ? 0.0 : std::exp(l - row_max);
          w(s, c) = Scalar(ws);
          sum += ws;
          if (what.score) {
            const double wcs = ws == 0.0 ? 0.0 : ws * kernel.scoreCoefficient(double(r2(s, c)));
            wc(s, c) = Scalar(wcs);
            sum_c += wcs;
          }
        }
        out.log_sum[e] = row_max + std::log(sum);
        total[c] = sum;
        total_c[c] = sum_c;
      }
      // sum_s omega_s (s - e) = (S w) / sum w - e, and with c(r2) inside for the score
      if (what.shift) {
        auto shift = out.shift.middleCols(b0, count);
        product.noalias() = src * w.leftCols(count);
        shift = product.template cast<double>();
        for (long c = 0; c < count; ++c) {
          if (total[c] > 0.0) shift.col(c) = shift.col(c) / total[c] - ev.col(c);
        }
      }
      if (what.score) {
        auto score = out.score.middleCols(b0, count);
        product.noalias() = src * wc.leftCols(count);
        score = product.template cast<double>();
        for (long c = 0; c < count; ++c) {
          if (total[c] > 0.0) score.col(c) = (score.col(c) - total_c[c] * ev.col(c)) / total[c];
        }
      }
    }
  });
}

}  // namespace

bool kdeRowsDense(FastPrecision precision, const Points& eval, std::span<const int> exclude, const Points& sources,
                  const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                  RowSums& out, ThreadPool& pool) {
  if (eval.rows() <= 3) return false;
  if (precision == FastPrecision::Float32) {
    denseRows<float>(eval, exclude, sources, kernel, source_log_weight, what, out, pool);
  } else {
    denseRows<double>(eval, exclude, sources, kernel, source_log_weight, what, out, pool);
  }
  return true;
}

}  // namespace driftlab::kde
