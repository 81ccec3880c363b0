// INTERNAL: the pieces of the 2-D grid path (grid_kde.hpp) -- a geometry shared by any number of
// source sets, and one source set convolved on it (GridSum: stages 1-2 when built, stages 3-4 per
// row on request). kdeRowsGrid uses one GridSum; kdeRowsGridPQ two on one geometry, with their
// nodes interleaved so that a row reads both from the same cache lines. THEORY.md §6.1.
// A built GridSum is read-only: any thread may evaluate rows of it concurrently, on any pool.
#pragma once

#include <algorithm>
#include <cmath>
#include <complex>
#include <initializer_list>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/base/types.hpp"
#include "kde/grid_kde.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab::kde::grid {

// channels of the convolution: 0 = k (sum), 1/2 = -u k (shift numerator), 3/4 = -u gamma k (score)
constexpr int kChannels = 5;
// cell of the node masses far rows are summed over, h / this (grid_far_rows.cpp); a grid whose
// cell is exactly that keeps its deposit for them
constexpr double kFarCellsPerH = 6.0;

struct Box {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
};
// the bounding box of the given 2 x n point sets (NaN coordinates skipped), split over the pool
Box boundingBox(std::initializer_list<const Points*> sets, ThreadPool& pool);

struct Geometry {
  // position of node (0, 0): a multiple of the cell, at least one spare cell below the box (so the
  // geometry, and whatever was built on it, stays the same while the box moves inside a cell)
  double x0 = 0.0, y0 = 0.0;
  double cell = 0.0, inv_cell = 0.0;  // node spacing
  double extent = 0.0;                // side of the box (max over the axes)
  long g = 0;                         // nodes per axis
  int n = 0;                          // FFT size per axis
  int radius = 0;                     // kernel truncation radius in cells (n - g - 1 for a truncated kernel)
  bool operator==(const Geometry&) const = default;
};
// the geometry for `box` at the kernel's bandwidth, or false when the grid declines (the box needs
// more than max_cells at min_cells_per_h, or is not finite)
bool makeGeometry(const Box& box, const KernelEvaluator& kernel, const GridOptions& options, Geometry& geo);

struct CellWeights {
  long i, j;  // lower-left node
  double wx[2], wy[2];
};
// cloud-in-cell / bilinear weights of a point on a g x g node grid with origin (x0, y0)
inline CellWeights cellOf(double x, double y, double x0, double y0, double inv_cell, long g) {
  const double fx = (x - x0) * inv_cell, fy = (y - y0) * inv_cell;
  CellWeights cw;
  cw.i = std::clamp(long(std::floor(fx)), 0L, g - 2);
  cw.j = std::clamp(long(std::floor(fy)), 0L, g - 2);
  const double tx = fx - double(cw.i), ty = fy - double(cw.j);
  cw.wx[0] = 1.0 - tx;
  cw.wx[1] = tx;
  cw.wy[0] = 1.0 - ty;
  cw.wy[1] = ty;
  return cw;
}
inline CellWeights cellOf(double x, double y, const Geometry& geo) {
  return cellOf(x, y, geo.x0, geo.y0, geo.inv_cell, geo.g);
}
// cloud-in-cell: w spread over the cell's four nodes of a g x g grid
inline void depositCic(std::vector<double>& grid, long g, const CellWeights& cw, double w) {
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) grid[std::size_t((cw.i + a) * g + cw.j + b)] += w * cw.wx[a] * cw.wy[b];
}

// the (pre-sharpened) kernel of channel c at the grid offset (a, b) cells
struct GridKernel {
  const KernelEvaluator* kernel;
  double cell;
  int radius;  // offsets beyond this (max norm) are 0: the convolution is truncated there
  bool sharpen;
  double raw(int c, double ux, double uy) const;
  double at(int c, int a, int b) const;
};

// where a GridSum keeps its float nodes: node k's channels at data[k * stride + offset ...].
// Two sums on one geometry share one buffer (stride = both channel counts) so that the four nodes
// of a row are one read for both.
struct NodeStore {
  std::shared_ptr<std::vector<float>> data;
  int stride = 0, offset = 0;
};

// how a row's interpolated sums came out
enum class RowKind {
  Ok,     // resolved by the grid
  Tail,   // Gaussian row in the kernel tail: the narrowed log-domain convolution replaces it
  Exact,  // unresolvable by the grid: recomputed without it (stage 4)
};

// rows ahead whose nodes the interpolation loops prefetch (GridSum::prefetch)
constexpr long kPrefetchAhead = 8;
// rows whose left-out source is nearly all of their total: the float nodes' round-off would be the
// remainder, so they are recomputed exactly (RowKind::Exact)
constexpr double kSelfDominated = 1e-4;

class GridSum {
 public:
  // stages 1-2: deposit `sources` on `geo`, convolve with the channels `what` needs (on `pool`).
  // `nodes` with no buffer: the sum owns one (stride = its channel count). `sources`, `kernel`
  // and `source_log_weight` must outlive this.
  GridSum(const Geometry& geo, const Points& sources, const KernelEvaluator& kernel,
          std::span<const double> source_log_weight, const RowOutputs& what, ThreadPool& pool,
          const GridOptions& options, NodeStore nodes = {});
  GridSum(const GridSum&) = delete;
  GridSum& operator=(const GridSum&) = delete;

  // node channels the kernel and `what` need (1, 3 or 5); both sums of kdeRowsGridPQ agree on it
  static int channelCount(const KernelEvaluator& kernel, const RowOutputs& what);
  int channelCount() const { return int(active_.size()); }
  const Geometry& geometry() const { return geo_; }
  double maxLogWeight() const { return max_lw_; }

  // stages 3-4 for every column of eval (all inside the geometry's box): what kdeRowsGrid returns.
  // exclude[e]: source column left out of row e, or -1; empty: none.
  void evaluate(const Points& eval, std::span<const int> exclude, RowSums& out, ThreadPool& pool,
                GridStats* stats = nullptr) const;

  // stage 3 for one row at (ex, ey) in cell cw, NC = channelCount(): acc = [A, C...] in units of
  // exp(maxLogWeight()), with the left-out source `self` (or -1) removed
  template <int NC>
  RowKind interpolateRow(double ex, double ey, const CellWeights& cw, long self, double acc[NC]) const;
  // from acc: the linear total (log_sum before its log), score and shift (2 each) as requested
  template <int NC>
  void rowOutputs(const double acc[NC], double* total, double* score, double* shift) const;
  // hint the four nodes of a cell (every sum sharing the node buffer) to the cache: rows arrive
  // in arbitrary order, and overlapping these misses roughly halves the interpolation
  void prefetch(const CellWeights& cw) const {
    const float* p0 = nodes_.data->data() + (cw.i * geo_.g + cw.j) * nodes_.stride;
    __builtin_prefetch(p0);
    __builtin_prefetch(p0 + 2 * nodes_.stride - 1);
    __builtin_prefetch(p0 + geo_.g * nodes_.stride);
    __builtin_prefetch(p0 + (geo_.g + 2) * nodes_.stride - 1);
  }

 private:
  template <int NC>
  void interpolateAll(const Points& eval, std::span<const int> exclude, RowSums& out, ThreadPool& pool,
                      std::vector<std::vector<long>>& exact, std::vector<std::vector<long>>& tail) const;
  void tailRows(const Points& eval, const std::vector<long>& rows, RowSums& out, ThreadPool& pool) const;
  void farRows(const Points& eval, std::span<const int> exclude, const std::vector<long>& far, RowSums& out,
               ThreadPool& pool) const;
  double weightOf(long s) const {
    return weighted_ ? std::exp(source_log_weight_[std::size_t(s)] - max_lw_) : 1.0;
  }

  Geometry geo_;
  const Points& sources_;
  const KernelEvaluator& kernel_;
  std::span<const double> source_log_weight_;
  RowOutputs what_;
  GridKernel gk_;
  bool gauss_ = false, weighted_ = false;
  double h_ = 0.0, inv_h2_ = 0.0, max_lw_ = 0.0, total_weight_ = 0.0;
  std::vector<int> active_;                    // kernel channels convolved, in node order
  std::vector<std::complex<double>> rho_hat_;  // spectrum of the deposit (the tail convolution reuses it)
  std::vector<double> deposit_;                // node masses, kept when the cell is the far rows' h/6
  bool deposit_is_far_grid_ = false;
  NodeStore nodes_;
  // the left-out source's own contribution at offsets -1..1 cells, per node channel k
  double self_table_[kChannels][3][3] = {};
  // node channel k is odd in one axis, so a row at its own source's position loses nothing by it
  bool self_cancels_[kChannels] = {};
  double resolvable_ = 0.0, tail_level_ = 0.0;
};

template <int NC>
RowKind GridSum::interpolateRow(double ex, double ey, const CellWeights& cw, long self, double acc[NC]) const {
  const long g = geo_.g, st = nodes_.stride;
  const float* n00 = nodes_.data->data() + (cw.i * g + cw.j) * st + nodes_.offset;
  const float* n01 = n00 + st;
  const float* n10 = n00 + g * st;
  const float* n11 = n10 + st;
  const double w00 = cw.wx[0] * cw.wy[0], w01 = cw.wx[0] * cw.wy[1];
  const double w10 = cw.wx[1] * cw.wy[0], w11 = cw.wx[1] * cw.wy[1];
  // bilinear A and numerators C_k. Written per channel over the four nodes, fully unrolled, so that
  // lin[] lives in registers: accumulated node by node it stayed on the stack and every row paid
  // store-forwarding stalls (scalar stores read back as one vector load)
  double lin[NC];
#pragma GCC unroll 8
  for (int k = 0; k < NC; ++k)
    lin[k] = w00 * double(n00[k]) + w01 * double(n01[k]) + w10 * double(n10[k]) + w11 * double(n11[k]);
#pragma GCC unroll 8
  for (int k = 0; k < NC; ++k) acc[k] = lin[k];
  double self_share = 0.0;  // the left-out source's part of the total A
  // the binned self contribution cancels exactly from the bilinear values
  if (self >= 0 && self < sources_.cols()) {
    const double w = weightOf(self);
    const double sx = sources_(0, self), sy = sources_(1, self);
    if (sx == ex && sy == ey) {
      // the usual case (a particle leaving itself out): same cell, same weights, so the 4 x 4 node
      // sum folds into 3 x 3 offset products
      const double xx[3] = {cw.wx[0] * cw.wx[1], cw.wx[0] * cw.wx[0] + cw.wx[1] * cw.wx[1], cw.wx[0] * cw.wx[1]};
      const double yy[3] = {cw.wy[0] * cw.wy[1], cw.wy[0] * cw.wy[0] + cw.wy[1] * cw.wy[1], cw.wy[0] * cw.wy[1]};
#pragma GCC unroll 8
      for (int k = 0; k < NC; ++k) {
        if (self_cancels_[k]) continue;
        const auto& tab = self_table_[k];
        double sub = 0.0;
        for (int da = 0; da < 3; ++da) sub += xx[da] * (yy[0] * tab[da][0] + yy[1] * tab[da][1] + yy[2] * tab[da][2]);
        acc[k] -= w * sub;
        if (k == 0) self_share = w * sub;
      }
    } else {
      const CellWeights cs = cellOf(sx, sy, geo_);
#pragma GCC unroll 8
      for (int k = 0; k < NC; ++k) {
        double sub = 0.0;
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b)
            for (int a2 = 0; a2 < 2; ++a2)
              for (int b2 = 0; b2 < 2; ++b2) {
                const long da = (cw.i + a) - (cs.i + a2), db = (cw.j + b) - (cs.j + b2);
                const double kv = (std::abs(da) <= 1 && std::abs(db) <= 1) ? self_table_[k][da + 1][db + 1]
                                                                           : gk_.at(active_[std::size_t(k)], int(da), int(db));
                sub += cw.wx[a] * cw.wy[b] * cs.wx[a2] * cs.wy[b2] * kv;
              }
        acc[k] -= w * sub;
        if (k == 0) self_share = w * sub;
      }
    }
  }
  const double total = acc[0];
  if (!(total > resolvable_) || !(total > kSelfDominated * lin[0])) return RowKind::Exact;
  // unless the row's own left-out source is a visible part of its total (then the linear values,
  // from which it cancels exactly, stay)
  if (gauss_ && total < tail_level_ && self_share <= 1e-3 * lin[0]) return RowKind::Tail;
  return RowKind::Ok;
}

template <int NC>
void GridSum::rowOutputs(const double acc[NC], double* total, double* score, double* shift) const {
  *total = acc[0];
  if constexpr (NC > 1) {
    // acc[1], acc[2]: the shift numerators (channels 1, 2; the Gaussian score is shift / h^2), or,
    // for another kernel's score alone, its score numerators (channels 3, 4); NC == 5: shift
    // numerators, then score numerators
    const double inv = 1.0 / acc[0];
    const double m1 = acc[1] * inv, m2 = acc[2] * inv;
    if (what_.shift) {
      shift[0] = m1;
      shift[1] = m2;
    }
    if (what_.score) {
      if constexpr (NC == 5) {
        score[0] = acc[3] * inv;
        score[1] = acc[4] * inv;
      } else {
        score[0] = gauss_ ? m1 * inv_h2_ : m1;
        score[1] = gauss_ ? m2 * inv_h2_ : m2;
      }
    }
  }
}

}  // namespace driftlab::kde::grid
