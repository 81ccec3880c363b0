// INTERNAL: the 2-D grid path of the kernel-row primitive (kde_rows.hpp): O(N + M + G^2 log G)
// instead of O(N M), for runs too large for the exact paths (docs/PERFORMANCE.md).
// Sources are binned onto a regular grid with cloud-in-cell (bilinear) weights, the grid is
// convolved by FFT (FFTW, fft1d.hpp) with three kinds of kernels --
// k(u) for the sum, -u k(u) for the mean-shift numerator and -u gamma(|u|) k(u) for the score
// numerator (THEORY.md §6.1; Gaussian: score = shift / h^2) -- and the results are
// interpolated bilinearly back to the evaluation points. Cost O(N + M + G^2 log G).
//
// Accuracy: binning and interpolation each blur the kernel by a tent of width one cell (variance
// cell^2/6 per axis); the sampled kernels are pre-sharpened by k - (cell^2/6) Laplacian(k) to
// cancel the leading term. The cell is h / 6, or h / 8 or h / 12 when the grid then stays within
// 320 cells per axis (a small box, e.g. a collapsed start). Left-out sources (LOO) are removed
// exactly: their grid contribution is the 4 x 4 node sum, subtracted per row.
// Gaussian tails: rows below 1e-4 of (total source weight x k(0)), about 4.3 h and more from every
// source, read a second convolution with the Gaussian narrowed by the deposit variance
// (h_t^2 = h^2 - cell^2/6, unsharpened), interpolated as log A and C/A (the sharpening is a
// first-order fix that over-corrects there).
// Rows the grid cannot resolve -- total below 1e-12 of (total source weight x k(0)), where FFT
// round-off would dominate -- are recomputed: by the exact float32 path when that costs under
// ~4e6 pairs; else (a cloud far from the data, the first steps of many presets) over source masses
// deposited on an h/6 node grid (Gaussian narrowed as above), per 4h tile of rows only over the
// nodes within e^-30 of the tile's largest contribution. Rows that leave their own source out
// (isolated particles) sum over the nodes without their own sources plus exactly among
// themselves. Far scores are good to 0.1-0.4 % RMS, far totals only to tens of percent (measured:
// up to 0.37 in log at 13 h; the tent is not a Gaussian that far out, and the error depends on where
// the nearest sources sit in their cells); totals enter the fields through density ratios, which the
// ratio clamp saturates at such distances.
// The plug-in field takes both sums at once (kdeRowsGridPQ): one geometry for data and particles,
// so their discretization errors largely cancel in s_p - s_q (settled default preset at 1e6: 6-11 %
// relative RMS of the small settled field, against 81 % with a geometry per side), and the data
// side is kept between calls while the data and the geometry (origin on the cell lattice) stay.
// Any thread (uses `pool`).
#pragma once

#include <span>

#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/base/types.hpp"
#include "kde/kde_rows.hpp"

namespace driftlab::kde {

struct GridOptions {
  double cells_per_h = 6.0;  // grid resolution: cells per bandwidth (at least) ...
  int fine_cells = 320;      // ... raised to 8 or 12 when the grid then stays within this many cells per axis
  int max_cells = 1024;      // per axis; a box that needs more uses coarser cells ...
  double min_cells_per_h = 3.0;  // ... down to this resolution, below which the grid declines
  bool sharpen = true;       // pre-sharpen the kernels (see above)
};

struct GridStats {
  int grid = 0;            // cells per axis actually used (G)
  int fft = 0;             // FFT size per axis (n)
  long exact_rows = 0;     // rows recomputed exactly
};

// the grid cell for a bounding box of side `extent` (max over the axes) and bandwidth h, or 0 when
// the grid declines (the box needs more than max_cells at min_cells_per_h, or a non-finite box)
double gridCell(double extent, double h, const GridOptions& options = {});

// true when handled; false when the grid path does not apply (dimension != 2, or the box is too
// large for the bandwidth at max_cells) -- the caller then uses an exact path.
bool kdeRowsGrid(const Points& eval, std::span<const int> exclude, const Points& sources,
                 const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                 RowSums& out, ThreadPool& pool, const GridOptions& options = {}, GridStats* stats = nullptr);

// kdeRowBlocksPQ's grid path (kde_rows.hpp): one geometry (the box of all three sets), both sums
// interpolated in one pass from interleaved nodes and handed over in blocks; rows the grid cannot
// resolve on either side go through the full stages 3-4 afterwards. False when the grid declines.
bool kdeRowsGridPQ(const Points& eval, std::span<const int> exclude_q, const Points& data, const Points& particles,
                   const KernelEvaluator& kernel, const RowOutputs& what, const RowBlockConsumer& consume,
                   ThreadPool& pool, const GridOptions& options = {});

// drops the data-side sums kept between kdeRowsGridPQ calls (and their copies of the data): the
// next call builds anew. Any thread.
void releaseKeptGridSums();

}  // namespace driftlab::kde
