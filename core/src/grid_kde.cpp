// INTERNAL: 2-D grid path of the kernel-row sums (binning + FFT convolution + interpolation).
// See grid_kde.hpp. MATH.md §3.7 steps 1-4. Any thread.
#include "grid_kde.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <memory>
#include <mutex>
#include <type_traits>
#include <vector>

#include "fast_kde.hpp"
#include "fft1d.hpp"
#include "simd_exp.hpp"

namespace driftlab::kde {
namespace {

using Complex = std::complex<double>;

// a row total below this fraction of (total source weight x k(0)) is within ~1e3 FFT round-offs
// of zero and is recomputed exactly (grid_kde.hpp)
constexpr double kResolvable = 1e-12;
// at most this many exact kernel pairs for those rows per call (~2 ms on 2 cores)
constexpr double kFarPairBudget = 4e6;
// ... and only with at most this many sources
constexpr long kExactFarSources = 100000;
// cell of the node masses those rows are summed over (coarser than the FFT grid: cost ~ nodes)
constexpr double kFarCellsPerH = 6.0;
// at most this many (row, node) pairs for those rows per call (~1 s on 2 cores; reached only by
// a million-particle cloud far from the data at a very small h, e.g. multiscale's 0.02 at t = 0)
constexpr double kFarNodePairBudget = 4e9;
// Gaussian rows whose total is below this fraction of (total source weight x k(0)) -- about 4.5 h
// and more from every source -- take the tail convolution (see the interpolation)
constexpr double kTailLevel = 1e-5;
// a left-out row whose remainder is below this fraction of its binned total is recomputed exactly
// (the remainder would be float round-off of the float nodes)
constexpr double kSelfDominated = 1e-4;
// rows ahead whose grid nodes are prefetched in the interpolation loop
constexpr long kPrefetchAhead = 8;

// channels of the convolution: 0 = k (sum), 1/2 = -u k (shift numerator), 3/4 = -u gamma k (score)
constexpr int kChannels = 5;

int fastFftSize(int n) {  // smallest 2^a 3^b 5^c >= n (sizes FFTW's codelets handle fastest)
  for (int m = std::max(n, 1);; ++m) {
    int r = m;
    for (int p : {2, 3, 5})
      while (r % p == 0) r /= p;
    if (r == 1) return m;
  }
}

// radius (in units of h) beyond which k(r)/k(0) < e^-40; infinite for the heavy-tailed kernels
double supportInH(KernelKind kind) {
  switch (kind) {
    case KernelKind::Gaussian: return std::sqrt(80.0);
    case KernelKind::Laplacian: return 40.0;
    case KernelKind::Matern32: return 45.0;
    default: return std::numeric_limits<double>::infinity();
  }
}

// the (pre-sharpened) kernel of channel c at the grid offset (a, b) cells
struct GridKernel {
  const KernelEvaluator* kernel;
  double cell;
  int radius;  // offsets beyond this (max norm) are 0: the convolution is truncated there
  bool sharpen;

  double raw(int c, double ux, double uy) const {
    const double r2 = ux * ux + uy * uy;
    const double k = kernel->value(r2);
    switch (c) {
      case 0: return k;
      case 1: return -ux * k;
      case 2: return -uy * k;
      case 3: return -ux * kernel->scoreCoefficient(r2) * k;
      default: return -uy * kernel->scoreCoefficient(r2) * k;
    }
  }
  double at(int c, int a, int b) const {
    if (std::max(std::abs(a), std::abs(b)) > radius) return 0.0;
    const double ux = a * cell, uy = b * cell;
    const double k0 = raw(c, ux, uy);
    if (!sharpen) return k0;
    // k - (cell^2/6) Laplacian(k): cancels the mean blur of CIC binning + bilinear interpolation
    const double lap = raw(c, ux + cell, uy) + raw(c, ux - cell, uy) + raw(c, ux, uy + cell) +
                       raw(c, ux, uy - cell) - 4.0 * k0;
    return k0 - lap / 6.0;
  }
};

// 1-D FFTs along rows [r0, r1) of an n x n row-major complex array (in place), through an aligned
// buffer per chunk (fft1d.hpp)
void fftRows(std::vector<Complex>& a, int n, int r0, int r1, bool inverse, ThreadPool& pool) {
  pool.parallelFor(r0, r1, [&](long lo, long hi, int) {
    FftBuffer buf(n);
    for (long r = lo; r < hi; ++r) {
      Complex* row = a.data() + r * n;
      std::copy(row, row + n, buf.data());
      fftInPlace(buf, inverse);
      std::copy(buf.data(), buf.data() + n, row);
    }
  }, 4);
}

// 1-D FFTs along columns [c0, c1); output rows beyond keep_rows are not written back
void fftCols(std::vector<Complex>& a, int n, int c0, int c1, bool inverse, int keep_rows, ThreadPool& pool) {
  pool.parallelFor(c0, c1, [&](long lo, long hi, int) {
    FftBuffer buf(n);
    Complex* col = buf.data();
    for (long c = lo; c < hi; ++c) {
      for (int r = 0; r < n; ++r) col[r] = a[std::size_t(r) * n + c];
      fftInPlace(buf, inverse);
      for (int r = 0; r < keep_rows; ++r) a[std::size_t(r) * n + c] = col[r];
    }
  }, 4);
}

// spectra of the channel kernels, cached: they depend only on (n, cell, kernel) and the
// kernel changes far less often than the particles move
struct SpectraKey {
  int n, radius;
  double cell;
  KernelSpec spec;
  int dim;
  bool sharpen;
  unsigned channels;  // bit c set: channel c is needed
  bool operator==(const SpectraKey& o) const {
    return channels == o.channels && n == o.n && radius == o.radius && cell == o.cell && spec.kind == o.spec.kind && spec.h == o.spec.h &&
           spec.nu == o.spec.nu && spec.beta == o.spec.beta && spec.c == o.spec.c && dim == o.dim &&
           sharpen == o.sharpen;
  }
};
struct Spectra {
  SpectraKey key;
  std::vector<Complex> channel[kChannels];
};

std::shared_ptr<const Spectra> kernelSpectra(const SpectraKey& key, const GridKernel& gk, ThreadPool& pool) {
  static std::mutex mutex;
  // most recent last, at most 8: a step's two sums, the display grids and the densities each
  // have their own FFT size or channel set
  static std::vector<std::shared_ptr<const Spectra>> cache;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (const auto& s : cache)
      if (s->key == key) return s;
  }
  auto spectra = std::make_shared<Spectra>();
  spectra->key = key;
  const int n = key.n, rad = key.radius;
  for (int c = 0; c < kChannels; ++c) {
    if (!(key.channels & (1u << c))) continue;
    std::vector<Complex>& a = spectra->channel[c];
    a.assign(std::size_t(n) * n, Complex(0.0, 0.0));
    pool.parallelFor(-rad, rad + 1, [&](long lo, long hi, int) {
      for (long ia = lo; ia < hi; ++ia)
        for (int ib = -rad; ib <= rad; ++ib) {
          const int row = int((ia + n) % n), col = (ib + n) % n;
          // row index = x offset, column index = y offset (the grids below use the same layout)
          a[std::size_t(row) * n + col] = gk.at(c, int(ia), ib);
        }
    }, 4);
    fftRows(a, n, 0, n, false, pool);
    fftCols(a, n, 0, n, false, n, pool);
  }
  std::lock_guard<std::mutex> lock(mutex);
  cache.push_back(spectra);
  if (cache.size() > 8) cache.erase(cache.begin());
  return spectra;
}

struct CellWeights {
  long i, j;          // lower-left node
  double wx[2], wy[2];
};

// cloud-in-cell: w spread over the cell's four nodes of a g x g grid
inline void depositCic(std::vector<double>& grid, long g, const CellWeights& cw, double w) {
  for (int a = 0; a < 2; ++a)
    for (int b = 0; b < 2; ++b) grid[std::size_t((cw.i + a) * g + cw.j + b)] += w * cw.wx[a] * cw.wy[b];
}

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

}  // namespace

double gridCell(double extent, double h, const GridOptions& options) {
  if (!std::isfinite(extent) || !(h > 0.0)) return 0.0;
  // the finest of the allowed steps that keeps the grid within fine_cells per axis (a small box
  // gets finer cells for free; discrete steps keep the cached spectra valid while the box moves),
  // never coarser than cells_per_h unless the box needs more than max_cells
  double cells_per_h = options.cells_per_h;
  for (double cph : {12.0, 8.0})
    if (cph > cells_per_h && extent * cph / h + 3 <= options.fine_cells) {
      cells_per_h = cph;
      break;
    }
  double cell = h / cells_per_h;
  if (extent / cell + 3 > options.max_cells) cell = extent / (options.max_cells - 3);
  return h / cell >= options.min_cells_per_h ? cell : 0.0;
}

bool kdeRowsGrid(const Points& eval, std::span<const int> exclude, const Points& sources,
                 const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                 RowSums& out, ThreadPool& pool, const GridOptions& options, GridStats* stats) {
  if (eval.rows() != 2 || sources.rows() != 2 || sources.cols() == 0) return false;
  const long num_eval = eval.cols(), num_src = sources.cols();
  const double h = kernel.spec().h;

  // grid geometry: the bounding box of everything (split over the pool), one spare cell each side
  struct Box {
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  };
  std::vector<Box> boxes(static_cast<std::size_t>(pool.size()));
  for (const Points* pts : {&eval, &sources})
    pool.parallelFor(0, pts->cols(), [&](long lo, long hi, int t) {
      Box& b = boxes[std::size_t(t)];
      const double* xy = pts->data();  // x0 y0 x1 y1 ...: column-major 2 x n
      long i = lo;
      using L = simd::Lanes<double>;
      if constexpr (L::kWidth % 2 == 0) {
        // lanes alternate x, y: min/max over whole vectors, then fold the even and odd lanes.
        // NaN coordinates are skipped, as std::min/max below skip them (min_pd keeps its second
        // operand when one is NaN)
        constexpr long kPerVector = L::kWidth / 2;
        typename L::V lo_v = L::set1(std::numeric_limits<double>::infinity());
        typename L::V hi_v = L::set1(-std::numeric_limits<double>::infinity());
        for (; i + kPerVector <= hi; i += kPerVector) {
          const typename L::V v = L::load(xy + 2 * i);
          lo_v = L::min(v, lo_v);
          hi_v = L::max(v, hi_v);
        }
        double lo_lanes[L::kWidth], hi_lanes[L::kWidth];
        L::store(lo_lanes, lo_v);
        L::store(hi_lanes, hi_v);
        for (int k = 0; k < L::kWidth; k += 2) {
          b.x0 = std::min(b.x0, lo_lanes[k]);
          b.y0 = std::min(b.y0, lo_lanes[k + 1]);
          b.x1 = std::max(b.x1, hi_lanes[k]);
          b.y1 = std::max(b.y1, hi_lanes[k + 1]);
        }
      }
      for (; i < hi; ++i) {
        b.x0 = std::min(b.x0, xy[2 * i]);
        b.x1 = std::max(b.x1, xy[2 * i]);
        b.y0 = std::min(b.y0, xy[2 * i + 1]);
        b.y1 = std::max(b.y1, xy[2 * i + 1]);
      }
    }, 16384);
  double x0 = sources(0, 0), x1 = x0, y0 = sources(1, 0), y1 = y0;
  for (const Box& b : boxes) {
    x0 = std::min(x0, b.x0);
    x1 = std::max(x1, b.x1);
    y0 = std::min(y0, b.y0);
    y1 = std::max(y1, b.y1);
  }
  const double extent = std::max(x1 - x0, y1 - y0);
  const double cell = gridCell(extent, h, options);
  if (!(cell > 0.0)) return false;
  // FFT size first, then the grid fills it: n only changes when the box crosses a size step, so
  // the cached kernel spectra (keyed by n) survive most steps of a moving particle cloud
  const long g_needed = long(std::ceil(extent / cell)) + 3;
  const double support = supportInH(kernel.spec().kind) * h / cell;
  long g = 0;
  int radius = 0, n = 0;
  if (std::isfinite(support) && std::ceil(support) + 1 < double(g_needed)) {
    radius = int(std::ceil(support)) + 1;  // truncated kernel: circular padding by the radius
    n = fastFftSize(int(g_needed) + radius + 1);
    g = n - radius - 1;
  } else {  // heavy tail (or a kernel wider than the box): full linear convolution
    n = fastFftSize(int(2 * g_needed));
    g = n / 2;
    radius = int(g) - 1;
  }
  x0 -= cell;
  y0 -= cell;
  const double inv_cell = 1.0 / cell;

  const bool gauss = kernel.spec().kind == KernelKind::Gaussian;
  bool need[kChannels] = {true, what.shift || (gauss && what.score), what.shift || (gauss && what.score),
                          !gauss && what.score, !gauss && what.score};
  const GridKernel gk{&kernel, cell, radius, options.sharpen};
  unsigned channel_mask = 0;
  for (int c = 0; c < kChannels; ++c)
    if (need[c]) channel_mask |= 1u << c;
  const SpectraKey key{n, radius, cell, kernel.spec(), kernel.dim(), options.sharpen, channel_mask};
  const std::shared_ptr<const Spectra> spectra = kernelSpectra(key, gk, pool);

  // source weights exp(lw - max lw)
  double max_lw = 0.0;
  const bool weighted = !source_log_weight.empty();
  if (weighted) {
    max_lw = -std::numeric_limits<double>::infinity();
    for (double w : source_log_weight) max_lw = std::max(max_lw, w);
    if (!(max_lw > -std::numeric_limits<double>::infinity())) return false;
  }
  auto weightOf = [&](long s) { return weighted ? std::exp(source_log_weight[std::size_t(s)] - max_lw) : 1.0; };

  // 1. cloud-in-cell deposit, one private grid per thread, then summed into the FFT buffer
  const int threads = pool.size();
  std::vector<std::vector<double>> partial(static_cast<std::size_t>(threads));
  pool.parallelFor(0, num_src, [&](long lo, long hi, int t) {
    std::vector<double>& rho = partial[std::size_t(t)];
    rho.assign(std::size_t(g * g), 0.0);
    for (long s = lo; s < hi; ++s) {
      const CellWeights cw = cellOf(sources(0, s), sources(1, s), x0, y0, inv_cell, g);
      depositCic(rho, g, cw, weightOf(s));
    }
  }, 4096);
  std::vector<Complex> rho_hat(std::size_t(n) * n, Complex(0.0, 0.0));
  double total_weight = double(num_src);
  if (weighted) {
    total_weight = 0.0;
    for (long s = 0; s < num_src; ++s) total_weight += weightOf(s);
  }
  pool.parallelFor(0, g, [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i)
      for (long j = 0; j < g; ++j) {
        double v = 0.0;
        for (const auto& p : partial)
          if (!p.empty()) v += p[std::size_t(i * g + j)];
        rho_hat[std::size_t(i) * n + j] = Complex(v, 0.0);
      }
  }, 8);
  partial.clear();
  partial.shrink_to_fit();
  // at cell h/6 the deposit doubles as the node masses of far rows (step 4): kept (g^2 doubles)
  const bool deposit_is_far_grid = std::abs(cell * kFarCellsPerH - h) <= 1e-12 * h;
  std::vector<double> deposit;
  auto keepDeposit = [&] {
    deposit.resize(std::size_t(g * g));
    pool.parallelFor(0, g, [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i)
        for (long j = 0; j < g; ++j) deposit[std::size_t(i * g + j)] = rho_hat[std::size_t(i) * n + j].real();
    }, 8);
  };
  if (deposit_is_far_grid) keepDeposit();
  // 2. forward FFT (rows >= g are zero), products with the kernel spectra, two real channels per
  //    inverse FFT (real part + i imaginary part), only the g x g corner is needed back
  fftRows(rho_hat, n, 0, int(g), false, pool);
  fftCols(rho_hat, n, 0, n, false, n, pool);
  std::vector<int> active;
  for (int c = 0; c < kChannels; ++c)
    if (need[c]) active.push_back(c);
  // the active channels of a node side by side, so the 2 x 2 nodes a row interpolates from cost
  // two cache lines instead of two per channel (double: leave-one-out subtracts the self term,
  // which can be nearly all of an isolated particle's total)
  const int nc = int(active.size());
  // field[(node) * count + k]: the convolution of the deposit with the channels chans[k]
  auto convolve = [&](const Spectra& spec, const std::vector<int>& chans) {
    const int count = int(chans.size());
    std::vector<double> out_field(std::size_t(g * g * count));
    std::vector<Complex> work(std::size_t(n) * n);
    for (int k = 0; k < count; k += 2) {
      const int ca = chans[std::size_t(k)];
      const int cb = k + 1 < count ? chans[std::size_t(k + 1)] : -1;
      pool.parallelFor(0, long(n) * n, [&](long lo, long hi, int) {
        for (long i = lo; i < hi; ++i) {
          Complex v = rho_hat[std::size_t(i)] * spec.channel[ca][std::size_t(i)];
          if (cb >= 0) v += Complex(0.0, 1.0) * rho_hat[std::size_t(i)] * spec.channel[cb][std::size_t(i)];
          work[std::size_t(i)] = v;
        }
      }, 4096);
      fftCols(work, n, 0, n, true, int(g), pool);
      fftRows(work, n, 0, int(g), true, pool);
      for (long i = 0; i < g; ++i)
        for (long j = 0; j < g; ++j) {  // Eigen's inverse FFT is normalized
          const Complex v = work[std::size_t(i) * n + j];
          out_field[std::size_t((i * g + j) * count + k)] = v.real();
          if (cb >= 0) out_field[std::size_t((i * g + j) * count + k + 1)] = v.imag();
        }
    }
    return out_field;
  };
  std::vector<double> field = convolve(*spectra, active);
  // Gaussian tails (issue 4): beyond ~4.5 h from every source the sharpened kernel over-corrects
  // (k - (c^2/6) Laplacian k is a first-order fix) and bilinear interpolation of an exponential is
  // biased, together 5-10 % at 6-7 h. Rows there use a second convolution with the Gaussian
  // narrowed by the deposit variance (h_t^2 = h^2 - c^2/6, no sharpening), interpolated in the
  // log domain: log A and C/A are nearly linear across a cell in the tail.
  // Computed only when some row needs it (the interpolation lists them): in a settled flow no
  // particle is that far from the data or from the other particles.
  const bool use_tail = gauss;
  const double tail_h2 = h * h - cell * cell / 6.0;
  std::vector<float> tail_node;  // [log A, C_x/A, C_y/A] per node; log A = -inf below resolvable
  auto buildTailNodes = [&] {
    KernelSpec tail_spec = kernel.spec();
    tail_spec.h = std::sqrt(tail_h2);
    const KernelEvaluator tail_kernel(tail_spec, kernel.dim());
    const GridKernel tail_gk{&tail_kernel, cell, radius, false};
    const SpectraKey tail_key{n, radius, cell, tail_spec, kernel.dim(), false, 0b111u};
    const std::vector<double> tail_field = convolve(*kernelSpectra(tail_key, tail_gk, pool), {0, 1, 2});
    const double floor_level = kResolvable * total_weight * kernel.value(0.0);
    tail_node.resize(tail_field.size());
    pool.parallelFor(0, g * g, [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i) {
        const double a = tail_field[std::size_t(3 * i)];
        const bool ok = a > floor_level;
        tail_node[std::size_t(3 * i)] = ok ? float(std::log(a)) : -std::numeric_limits<float>::infinity();
        tail_node[std::size_t(3 * i + 1)] = ok ? float(tail_field[std::size_t(3 * i + 1)] / a) : 0.f;
        tail_node[std::size_t(3 * i + 2)] = ok ? float(tail_field[std::size_t(3 * i + 2)] / a) : 0.f;
      }
    }, 4096);
  };

  // nodes hold [A, C_1, ..., C_{nc-1}] side by side (the field buffer itself), interpolated
  // bilinearly, consistent with the pre-sharpened kernels
  const double resolvable = kResolvable * total_weight * kernel.value(0.0);
  // Stored as float: at a million rows the interpolation is bound by random node reads, and float
  // nodes (12 bytes for 3 channels) keep a 300 x 300 grid inside L2. Float round-off (~6e-8 of a
  // node's value) only matters where a left-out particle is nearly all of its own total; such
  // rows are recomputed exactly below (kSelfDominated).
  std::vector<float> node(field.size());
  pool.parallelFor(0, long(field.size()), [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i) node[std::size_t(i)] = float(field[std::size_t(i)]);
  }, 1 << 16);
  field.clear();
  field.shrink_to_fit();

  // self-contribution table for a left-out source at the evaluation point: offsets -1..1 cells
  double self_table[kChannels][3][3];
  for (int c = 0; c < kChannels; ++c)
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b) self_table[c][a + 1][b + 1] = need[c] ? gk.at(c, a, b) : 0.0;
  // The numerator channels (-u k(u), ...) are odd in one axis. A row at its own source's position
  // weighs offsets -1 and +1 alike, so their self terms cancel to zero: skipping them halves the
  // leave-one-out work per row. Checked on the table itself, so a kernel without the symmetry
  // still gets the full sum.
  bool self_cancels[kChannels] = {};
  for (int c = 0; c < kChannels; ++c) {
    bool odd_a = true, odd_b = true;
    for (int k = 0; k < 3; ++k) {
      odd_a = odd_a && self_table[c][0][k] == -self_table[c][2][k] && self_table[c][1][k] == 0.0;
      odd_b = odd_b && self_table[c][k][0] == -self_table[c][k][2] && self_table[c][k][1] == 0.0;
    }
    self_cancels[c] = need[c] && (odd_a || odd_b);
  }

  // 3. bilinear interpolation back to the rows; rows below the resolvable level go exact.
  //    log_sum first holds the row total; one vectorised log pass follows.
  out.log_sum.resize(num_eval);
  // every row is written below (or by step 4), so no zero fill
  out.score.resize(what.score ? 2 : 0, what.score ? num_eval : 0);
  out.shift.resize(what.shift ? 2 : 0, what.shift ? num_eval : 0);
  const double inv_h2 = 1.0 / (h * h);
  const double tail_level = kTailLevel * total_weight * kernel.value(0.0);
  const double tail_to_h = use_tail ? h * h / tail_h2 : 1.0;
  const bool want_score = what.score, want_shift = what.shift;
  double* const log_sum_out = out.log_sum.data();
  double* const score_out = out.score.data();
  double* const shift_out = out.shift.data();
  std::vector<std::vector<long>> exact_rows(static_cast<std::size_t>(threads));
  std::vector<std::vector<long>> tail_rows(static_cast<std::size_t>(threads));
  auto interpolate = [&](auto nc_constant) {
    constexpr int NC = decltype(nc_constant)::value;
    int chan[NC];
    for (int k = 0; k < NC; ++k) chan[k] = active[std::size_t(k)];
    pool.parallelFor(0, num_eval, [&](long lo, long hi, int t) {
      for (long e = lo; e < hi; ++e) {
        const CellWeights cw = cellOf(eval(0, e), eval(1, e), x0, y0, inv_cell, g);
        // software prefetch of the nodes a few rows ahead: rows come in arbitrary order, so
        // the node reads are cache misses; overlapping them roughly halves this loop
        if (e + kPrefetchAhead < hi) {
          const CellWeights ahead =
              cellOf(eval(0, e + kPrefetchAhead), eval(1, e + kPrefetchAhead), x0, y0, inv_cell, g);
          const float* p0 = &node[std::size_t((ahead.i * g + ahead.j) * NC)];
          __builtin_prefetch(p0);
          __builtin_prefetch(p0 + 2 * NC - 1);
          __builtin_prefetch(p0 + g * NC);
          __builtin_prefetch(p0 + (g + 2) * NC - 1);
        }
        // bilinear A and numerators C_k. Written per channel over the four nodes, fully unrolled,
        // so that lin[] lives in registers: accumulated node by node it stayed on the stack and
        // every row paid store-forwarding stalls (scalar stores read back as one vector load),
        // about a third of this loop's time
        const float* n00 = &node[std::size_t((cw.i * g + cw.j) * NC)];
        const float* n01 = n00 + NC;
        const float* n10 = n00 + g * NC;
        const float* n11 = n10 + NC;
        const double w00 = cw.wx[0] * cw.wy[0], w01 = cw.wx[0] * cw.wy[1];
        const double w10 = cw.wx[1] * cw.wy[0], w11 = cw.wx[1] * cw.wy[1];
        double lin[NC];
#pragma GCC unroll 8
        for (int k = 0; k < NC; ++k)
          lin[k] = w00 * double(n00[k]) + w01 * double(n01[k]) + w10 * double(n10[k]) + w11 * double(n11[k]);
        // acc[] and the self share stay in registers (fully unrolled over NC, no array read back
        // as a vector after scalar stores; see lin above)
        double acc[NC];
#pragma GCC unroll 8
        for (int k = 0; k < NC; ++k) acc[k] = lin[k];
        double self_share = 0.0;  // the left-out source's part of the total A
        const long self = exclude.empty() ? -1 : exclude[std::size_t(e)];
        // the binned self contribution cancels exactly from the bilinear values
        if (self >= 0 && self < num_src) {
          const double w = weightOf(self);
          if (sources(0, self) == eval(0, e) && sources(1, self) == eval(1, e)) {
            // the usual case (a particle leaving itself out): same cell, same weights, so the
            // 4 x 4 node sum folds into 3 x 3 offset products
            const double xx[3] = {cw.wx[0] * cw.wx[1], cw.wx[0] * cw.wx[0] + cw.wx[1] * cw.wx[1], cw.wx[0] * cw.wx[1]};
            const double yy[3] = {cw.wy[0] * cw.wy[1], cw.wy[0] * cw.wy[0] + cw.wy[1] * cw.wy[1], cw.wy[0] * cw.wy[1]};
#pragma GCC unroll 8
            for (int k = 0; k < NC; ++k) {
              if (self_cancels[chan[k]]) continue;  // zero (see self_cancels)
              const auto& tab = self_table[chan[k]];
              double sub = 0.0;
              for (int da = 0; da < 3; ++da)
                sub += xx[da] * (yy[0] * tab[da][0] + yy[1] * tab[da][1] + yy[2] * tab[da][2]);
              acc[k] -= w * sub;
              if (k == 0) self_share = w * sub;
            }
          } else {
            const CellWeights cs = cellOf(sources(0, self), sources(1, self), x0, y0, inv_cell, g);
#pragma GCC unroll 8
            for (int k = 0; k < NC; ++k) {
              double sub = 0.0;
              for (int a = 0; a < 2; ++a)
                for (int b = 0; b < 2; ++b)
                  for (int a2 = 0; a2 < 2; ++a2)
                    for (int b2 = 0; b2 < 2; ++b2) {
                      const long da = (cw.i + a) - (cs.i + a2), db = (cw.j + b) - (cs.j + b2);
                      const double kv = (std::abs(da) <= 1 && std::abs(db) <= 1)
                                            ? self_table[chan[k]][da + 1][db + 1]
                                            : gk.at(chan[k], int(da), int(db));
                      sub += cw.wx[a] * cw.wy[b] * cs.wx[a2] * cs.wy[b2] * kv;
                    }
              acc[k] -= w * sub;
              if (k == 0) self_share = w * sub;
            }
          }
        }
        const double total = acc[0];
        if (!(total > resolvable) || !(total > kSelfDominated * lin[0])) {
          exact_rows[std::size_t(t)].push_back(e);
          log_sum_out[e] = 1.0;  // placeholder, replaced by the exact row below
          continue;
        }
        // Gaussian tail rows (above), unless the row's own left-out source is a visible part of its
        // total (then the linear values, from which it cancels exactly, stay)
        if (use_tail && total < tail_level && self_share <= 1e-3 * lin[0]) tail_rows[std::size_t(t)].push_back(e);
        log_sum_out[e] = total;
        if constexpr (NC > 1) {
          // acc[1], acc[2]: the shift numerators (channels 1, 2; the Gaussian score is shift / h^2),
          // or, for another kernel's score alone, its score numerators (channels 3, 4);
          // NC == 5: shift numerators, then score numerators
          const double inv = 1.0 / total;
          const double m1 = acc[1] * inv, m2 = acc[2] * inv;
          if (want_shift) {
            shift_out[2 * e] = m1;
            shift_out[2 * e + 1] = m2;
          }
          if (want_score) {
            if constexpr (NC == 5) {
              score_out[2 * e] = acc[3] * inv;
              score_out[2 * e + 1] = acc[4] * inv;
            } else {
              score_out[2 * e] = gauss ? m1 * inv_h2 : m1;
              score_out[2 * e + 1] = gauss ? m2 * inv_h2 : m2;
            }
          }
        }
      }
    }, 1024);
  };
  switch (nc) {
    case 1: interpolate(std::integral_constant<int, 1>{}); break;
    case 3: interpolate(std::integral_constant<int, 3>{}); break;
    default: interpolate(std::integral_constant<int, 5>{}); break;
  }
  std::vector<long> tail;
  for (const auto& r : tail_rows) tail.insert(tail.end(), r.begin(), r.end());
  if (!tail.empty()) {
    // log-domain values of the narrowed convolution replace the linear ones
    buildTailNodes();
    pool.parallelFor(0, long(tail.size()), [&](long lo, long hi, int) {
      for (long r = lo; r < hi; ++r) {
        const long e = tail[std::size_t(r)];
        const CellWeights cw = cellOf(eval(0, e), eval(1, e), x0, y0, inv_cell, g);
        double log_a = 0.0, ratio_x = 0.0, ratio_y = 0.0;
        bool resolved = true;
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b) {
            const float* nd = &tail_node[std::size_t(((cw.i + a) * g + cw.j + b) * 3)];
            const double w = cw.wx[a] * cw.wy[b];
            resolved = resolved && std::isfinite(nd[0]);
            log_a += w * nd[0];
            ratio_x += w * nd[1];
            ratio_y += w * nd[2];
          }
        if (!resolved) continue;
        // back to bandwidth h: A_h = A_t h^2/h_t^2 (d = 2); shift = h^2 score = (C/A)_t h^2/h_t^2
        log_sum_out[e] = std::exp(log_a) * tail_to_h;
        if (want_shift) {
          shift_out[2 * e] = ratio_x * tail_to_h;
          shift_out[2 * e + 1] = ratio_y * tail_to_h;
        }
        if (want_score) {
          score_out[2 * e] = ratio_x / tail_h2;
          score_out[2 * e + 1] = ratio_y / tail_h2;
        }
      }
    }, 256);
  }
  rho_hat.clear();
  rho_hat.shrink_to_fit();
  {
    using L = simd::Lanes<double>;
    double* ls = out.log_sum.data();
    const long vec_end = num_eval - num_eval % L::kWidth;
    pool.parallelFor(0, vec_end / L::kWidth, [&](long lo, long hi, int) {
      for (long i = lo * L::kWidth; i < hi * L::kWidth; i += L::kWidth)
        L::store(ls + i, L::add(simd::vlog<double>(L::load(ls + i)), L::set1(max_lw)));
    }, 1024);
    for (long i = vec_end; i < num_eval; ++i) ls[i] = std::log(ls[i]) + max_lw;
  }

  // 4. unresolvable rows (far from all sources): exact float32 path on those rows only
  std::vector<long> far;
  for (const auto& r : exact_rows) far.insert(far.end(), r.begin(), r.end());
  if (stats) {
    stats->grid = int(g);
    stats->fft = n;
    stats->exact_rows = long(far.size());
  }
  if (far.empty()) return true;
  auto store = [&](const std::vector<long>& rows, const RowSums& sub) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const long e = rows[i];
      out.log_sum[e] = sub.log_sum[long(i)];
      if (what.shift) out.shift.col(e) = sub.shift.col(long(i));
      if (what.score) out.score.col(e) = sub.score.col(long(i));
    }
  };
  auto rowsOf = [&](const std::vector<long>& rows) {
    Points pts(2, long(rows.size()));
    for (std::size_t i = 0; i < rows.size(); ++i) pts.col(long(i)) = eval.col(rows[i]);
    return pts;
  };
  std::vector<long> far_self, far_plain;  // rows that leave their own source out, and the others
  for (long e : far) {
    const long self = exclude.empty() ? -1 : exclude[std::size_t(e)];
    (self >= 0 && self < num_src ? far_self : far_plain).push_back(e);
  }
  if (double(far.size()) * double(num_src) <= kFarPairBudget && num_src <= kExactFarSources) {
    // affordable: exact sums over the sources (above kExactFarSources the float copy of all
    // sources alone costs more than node sums)
    std::vector<int> sub_ex(exclude.empty() ? 0 : far.size());
    for (std::size_t i = 0; i < sub_ex.size(); ++i) sub_ex[i] = exclude[std::size_t(far[i])];
    RowSums sub;
    kdeRowsFast(FastPrecision::Float32, rowsOf(far), sub_ex, sources, kernel, source_log_weight, what, sub, pool);
    store(far, sub);
    return true;
  }
  // Many far rows (a cloud far from the data): sums over deposited node masses instead of the
  // sources -- a far row sees every source through its kernel tail, so the node count, not the
  // source count, sets the cost. Binning blurs each source by the CIC tent (variance cell^2/6 per
  // axis); for the Gaussian, whose log-gradient grows with the distance, that blur would bias far
  // scores by up to tens of percent, so the node sums use the narrowed bandwidth
  // h_eff^2 = h^2 - cell^2/6: tent * k_{h_eff} ~ (h_eff/h)^d k_h. The other truncated kernels have
  // bounded log-gradients (|grad log k| <= ~2/h), where the blur moves a far score by < 0.3 %.
  // `skip` leaves sources out of the deposit (see far_self below).
  auto nodeSums = [&](const std::vector<long>& rows, const std::vector<char>& skip, RowSums& sums) {
    const double node_cell = h / kFarCellsPerH;
    long node_g = 0;
    std::vector<double> node_mass;
    if (deposit_is_far_grid) {
      // the FFT grid's deposit; a skipped source's four nodes hold only its own mass (another
      // source there would be within two cells of a far row), so they are zeroed outright
      // rather than subtracted (which would leave round-off far above a far row's sum)
      node_g = g;
      node_mass = deposit;
      for (long s = 0; s < long(skip.size()); ++s) {
        if (!skip[std::size_t(s)]) continue;
        const CellWeights cw = cellOf(sources(0, s), sources(1, s), x0, y0, inv_cell, g);
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b) node_mass[std::size_t((cw.i + a) * g + cw.j + b)] = 0.0;
      }
    } else {
      node_g = long(std::ceil(extent / node_cell)) + 3;
      node_mass.assign(std::size_t(node_g * node_g), 0.0);
      for (long s = 0; s < num_src; ++s) {
        if (!skip.empty() && skip[std::size_t(s)]) continue;
        const CellWeights cw = cellOf(sources(0, s), sources(1, s), x0, y0, 1.0 / node_cell, node_g);
        depositCic(node_mass, node_g, cw, weightOf(s));
      }
    }
    std::vector<long> nonempty;
    for (long k = 0; k < node_g * node_g; ++k)
      if (node_mass[std::size_t(k)] > 0.0) nonempty.push_back(k);
    const long num_nodes = long(nonempty.size());
    if (num_nodes == 0) {  // every source skipped: empty sums
      sums.log_sum.setConstant(long(rows.size()), -std::numeric_limits<double>::infinity());
      sums.score.setZero(what.score ? 2 : 0, what.score ? long(rows.size()) : 0);
      sums.shift.setZero(what.shift ? 2 : 0, what.shift ? long(rows.size()) : 0);
      return;
    }
    std::vector<double> node_x(static_cast<std::size_t>(num_nodes)), node_y(node_x.size()), node_lw(node_x.size());
    for (long k = 0; k < num_nodes; ++k) {
      const long id = nonempty[std::size_t(k)];
      node_x[std::size_t(k)] = x0 + double(id / node_g) * node_cell;
      node_y[std::size_t(k)] = y0 + double(id % node_g) * node_cell;
      node_lw[std::size_t(k)] = std::log(node_mass[std::size_t(id)]) + max_lw;
    }
    KernelSpec node_spec = kernel.spec();
    if (gauss) node_spec.h = std::sqrt(h * h - node_cell * node_cell / 6.0);
    const KernelEvaluator node_kernel(node_spec, kernel.dim());
    sums.log_sum.resize(long(rows.size()));
    sums.score.resize(what.score ? 2 : 0, what.score ? long(rows.size()) : 0);
    sums.shift.resize(what.shift ? 2 : 0, what.shift ? long(rows.size()) : 0);
    // Rows in square tiles; per tile only the nodes that can reach e^-30 of the tile's largest
    // contribution (bounds from the tile's radius) -- a far row's sum comes from a thin shell of
    // nodes, so this cuts the pairs many-fold without changing the sums beyond ~1e-12. Nodes are
    // grouped in 8 x 8 blocks, tested per block first (tiles x blocks, not tiles x nodes).
    const double tile = std::max(2.0 * h, extent / 64.0);
    const long tiles_per_axis = long(std::ceil((extent + 2.0 * cell) / tile)) + 1;
    std::vector<std::vector<long>> tile_rows(std::size_t(tiles_per_axis * tiles_per_axis));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const long e = rows[i];
      const long tx = std::clamp(long((eval(0, e) - x0) / tile), 0L, tiles_per_axis - 1);
      const long ty = std::clamp(long((eval(1, e) - y0) / tile), 0L, tiles_per_axis - 1);
      tile_rows[std::size_t(tx * tiles_per_axis + ty)].push_back(long(i));
    }
    const double tile_radius = tile * std::sqrt(0.5);
    struct NodeBlock {
      double cx, cy, min_lw, max_lw;
      std::vector<long> nodes;
    };
    constexpr long kBlock = 8;
    const long blocks_per_axis = (node_g + kBlock - 1) / kBlock;
    std::vector<long> block_of(std::size_t(blocks_per_axis * blocks_per_axis), -1);
    std::vector<NodeBlock> blocks;
    for (long k = 0; k < num_nodes; ++k) {
      const long id = nonempty[std::size_t(k)];
      const long key = (id / node_g / kBlock) * blocks_per_axis + (id % node_g) / kBlock;
      if (block_of[std::size_t(key)] < 0) {
        block_of[std::size_t(key)] = long(blocks.size());
        blocks.push_back({x0 + (double(key / blocks_per_axis) * kBlock + 0.5 * (kBlock - 1)) * node_cell,
                          y0 + (double(key % blocks_per_axis) * kBlock + 0.5 * (kBlock - 1)) * node_cell,
                          node_lw[std::size_t(k)], node_lw[std::size_t(k)], {}});
      }
      NodeBlock& blk = blocks[std::size_t(block_of[std::size_t(key)])];
      blk.min_lw = std::min(blk.min_lw, node_lw[std::size_t(k)]);
      blk.max_lw = std::max(blk.max_lw, node_lw[std::size_t(k)]);
      blk.nodes.push_back(k);
    }
    const double block_radius = 0.5 * double(kBlock - 1) * node_cell * std::sqrt(2.0);
    std::vector<long> busy;
    for (std::size_t t = 0; t < tile_rows.size(); ++t)
      if (!tile_rows[t].empty()) busy.push_back(long(t));
    // pass 1, one tile per task: the nodes each tile keeps
    std::vector<std::vector<long>> kept(busy.size());
    pool.parallelFor(0, long(busy.size()), [&](long lo, long hi, int) {
      std::vector<double> block_upper(blocks.size());
      for (long b = lo; b < hi; ++b) {
        const long t = busy[std::size_t(b)];
        const double cx = x0 + (double(t / tiles_per_axis) + 0.5) * tile;
        const double cy = y0 + (double(t % tiles_per_axis) + 0.5) * tile;
        // best: a contribution every row of the tile is guaranteed (some node's lower bound)
        double best = -std::numeric_limits<double>::infinity();
        for (std::size_t k = 0; k < blocks.size(); ++k) {
          const double dist = std::hypot(blocks[k].cx - cx, blocks[k].cy - cy);
          const double d_lo = std::max(0.0, dist - tile_radius - block_radius);
          const double d_hi = dist + tile_radius + block_radius;
          block_upper[k] = node_kernel.logValue(d_lo * d_lo) + blocks[k].max_lw;
          best = std::max(best, node_kernel.logValue(d_hi * d_hi) + blocks[k].min_lw);
        }
        std::vector<long>& out_nodes = kept[std::size_t(b)];
        for (std::size_t k = 0; k < blocks.size(); ++k) {
          if (block_upper[k] < best - 30.0) continue;
          for (long node : blocks[k].nodes) {
            const double dist = std::hypot(node_x[std::size_t(node)] - cx, node_y[std::size_t(node)] - cy);
            const double d_lo = std::max(0.0, dist - tile_radius);
            if (node_kernel.logValue(d_lo * d_lo) + node_lw[std::size_t(node)] >= best - 30.0) out_nodes.push_back(node);
          }
        }
      }
    }, 1);
    // over budget (e.g. a whole cloud far from data at a very small h), every stride-th kept node
    // with its mass times the stride: bounded cost, approximate far rows
    double pairs = 0.0;
    for (std::size_t b = 0; b < busy.size(); ++b)
      pairs += double(tile_rows[std::size_t(busy[b])].size()) * double(kept[b].size());
    const long stride = std::max(1L, long(std::ceil(pairs / kFarNodePairBudget)));
    // pass 2, one tile per task (its kernel sums then run inline on that thread)
    pool.parallelFor(0, long(busy.size()), [&](long lo, long hi, int) {
      for (long b = lo; b < hi; ++b) {
        const std::vector<long>& members = tile_rows[std::size_t(busy[std::size_t(b)])];
        const std::vector<long>& nodes = kept[std::size_t(b)];
        const long count = (long(nodes.size()) + stride - 1) / stride;
        Points kept_pts(2, count);
        std::vector<double> kept_lw(static_cast<std::size_t>(count));
        for (long k = 0; k < count; ++k) {
          const std::size_t id = std::size_t(nodes[std::size_t(k * stride)]);
          kept_pts(0, k) = node_x[id];
          kept_pts(1, k) = node_y[id];
          kept_lw[std::size_t(k)] = node_lw[id] + std::log(double(stride));
        }
        Points tile_eval(2, long(members.size()));
        for (std::size_t i = 0; i < members.size(); ++i) tile_eval.col(long(i)) = eval.col(rows[std::size_t(members[i])]);
        RowSums part;
        kdeRowsFast(FastPrecision::Float32, tile_eval, {}, kept_pts, node_kernel, kept_lw, what, part, pool);
        for (std::size_t i = 0; i < members.size(); ++i) {
          const long r = members[i];
          sums.log_sum[r] = part.log_sum[long(i)];
          if (what.score) sums.score.col(r) = part.score.col(long(i));
          if (what.shift) sums.shift.col(r) = part.shift.col(long(i));
        }
      }
    }, 1);
    if (gauss) {  // back to the bandwidth h: total x (h/h_eff)^d, shift = h^2 score
      const double ratio = (h * h) / (node_spec.h * node_spec.h);
      for (long i = 0; i < sums.log_sum.size(); ++i) sums.log_sum[i] += 0.5 * double(kernel.dim()) * std::log(ratio);
      if (what.shift) sums.shift *= ratio;
    }
  };
  if (!far_plain.empty()) {
    RowSums sub;
    nodeSums(far_plain, {}, sub);
    store(far_plain, sub);
  }
  if (!far_self.empty()) {
    // rows far from every source but their own (isolated particles leaving themselves out): node
    // sums over all sources except these rows' own ones (each row's own mass would otherwise sit on
    // its nearest nodes), plus exact sums among those left-out sources, merged per row
    std::vector<char> skip(std::size_t(num_src), 0);
    Points own(2, long(far_self.size()));
    std::vector<double> own_lw(weighted ? far_self.size() : 0);
    std::vector<int> own_ex(far_self.size());
    for (std::size_t i = 0; i < far_self.size(); ++i) {
      const long self = exclude[std::size_t(far_self[i])];
      skip[std::size_t(self)] = 1;
      own.col(long(i)) = sources.col(self);
      if (weighted) own_lw[i] = source_log_weight[std::size_t(self)];
      own_ex[i] = int(i);
    }
    RowSums rest, among;
    nodeSums(far_self, skip, rest);
    kdeRowsFast(FastPrecision::Float32, rowsOf(far_self), own_ex, own, kernel, own_lw, what, among, pool);
    RowSums merged = rest;
    for (long i = 0; i < long(far_self.size()); ++i) {
      const double la = rest.log_sum[i], lb = among.log_sum[i];
      const double top = std::max(la, lb);
      if (!(top > -std::numeric_limits<double>::infinity())) continue;  // no source at all: rest's -inf row
      const double wa = std::exp(la - top), wb = std::exp(lb - top), inv = 1.0 / (wa + wb);
      merged.log_sum[i] = top + std::log(wa + wb);
      if (what.score) merged.score.col(i) = (wa * rest.score.col(i) + wb * among.score.col(i)) * inv;
      if (what.shift) merged.shift.col(i) = (wa * rest.shift.col(i) + wb * among.shift.col(i)) * inv;
    }
    store(far_self, merged);
  }
  return true;
}

}  // namespace driftlab::kde
