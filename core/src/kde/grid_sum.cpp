// INTERNAL: the grid geometry and one source set convolved on it (grid_sum.hpp): binning, FFT
// convolution, interpolation back, Gaussian tails. THEORY.md §6.1. Any thread.
#include "kde/grid_sum.hpp"

#include <mutex>

#include "kde/fft1d.hpp"
#include "base/simd_exp.hpp"

namespace driftlab::kde::grid {
namespace {

using Complex = std::complex<double>;

// a row total below this fraction of (total source weight x k(0)) is within ~1e3 FFT round-offs
// of zero and is recomputed exactly (grid_kde.hpp)
constexpr double kResolvable = 1e-12;
// Gaussian rows whose total is below this fraction of (total source weight x k(0)) -- about 4.3 h
// and more from every source -- take the tail convolution (see tailRows). 1e-4 rather than 1e-5:
// between the two both interpolations err by up to ~1 % in log p (a collapsed start 4.5 h from the
// data measured 0.94 %), the tail convolution by ~0.1 %.
constexpr double kTailLevel = 1e-4;

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
    return channels == o.channels && n == o.n && radius == o.radius && cell == o.cell && spec.kind == o.spec.kind &&
           spec.h == o.spec.h && spec.nu == o.spec.nu && spec.beta == o.spec.beta && spec.c == o.spec.c &&
           dim == o.dim && sharpen == o.sharpen;
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

// the deposit's spectrum times the channels chans, back on the g x g nodes:
// out[(node) * count + k] = (deposit * kernel chans[k])(node). Two real channels per inverse FFT
// (real part + i imaginary part), only the g x g corner is needed back.
std::vector<double> convolve(const std::vector<Complex>& rho_hat, const Spectra& spec, const std::vector<int>& chans,
                             const Geometry& geo, ThreadPool& pool) {
  const long g = geo.g;
  const int n = geo.n;
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
      for (long j = 0; j < g; ++j) {  // the inverse FFT is normalized (fft1d.hpp)
        const Complex v = work[std::size_t(i) * n + j];
        out_field[std::size_t((i * g + j) * count + k)] = v.real();
        if (cb >= 0) out_field[std::size_t((i * g + j) * count + k + 1)] = v.imag();
      }
  }
  return out_field;
}

// kernel channels a sum convolves, in node order
std::vector<int> activeChannels(const KernelEvaluator& kernel, const RowOutputs& what) {
  const bool gauss = kernel.spec().kind == KernelKind::Gaussian;
  // the Gaussian score is the shift / h^2: channels 1, 2 serve both
  const bool need[kChannels] = {true, what.shift || (gauss && what.score), what.shift || (gauss && what.score),
                                !gauss && what.score, !gauss && what.score};
  std::vector<int> active;
  for (int c = 0; c < kChannels; ++c)
    if (need[c]) active.push_back(c);
  return active;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
// geometry

Box boundingBox(std::initializer_list<const Points*> sets, ThreadPool& pool) {
  std::vector<Box> boxes(static_cast<std::size_t>(pool.size()));
  for (const Points* pts : sets)
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
  Box box;
  for (const Box& b : boxes) {
    box.x0 = std::min(box.x0, b.x0);
    box.x1 = std::max(box.x1, b.x1);
    box.y0 = std::min(box.y0, b.y0);
    box.y1 = std::max(box.y1, b.y1);
  }
  return box;
}

bool makeGeometry(const Box& box, const KernelEvaluator& kernel, const GridOptions& options, Geometry& geo) {
  const double h = kernel.spec().h;
  const double extent = std::max(box.x1 - box.x0, box.y1 - box.y0);
  const double cell = gridCell(extent, h, options);
  if (!(cell > 0.0)) return false;
  // FFT size first, then the grid fills it: n only changes when the box crosses a size step, so
  // the cached kernel spectra (keyed by n) survive most steps of a moving particle cloud
  // the origin snapped to the cell lattice, one spare cell below: the last point is then at most
  // extent / cell + 2 cells above it, and a point needs one more node above its cell
  const double x0 = (std::floor(box.x0 / cell) - 1.0) * cell, y0 = (std::floor(box.y0 / cell) - 1.0) * cell;
  const long g_needed = long(std::ceil(std::max(box.x1 - x0, box.y1 - y0) / cell)) + 2;
  const double support = supportInH(kernel.spec().kind) * h / cell;
  if (std::isfinite(support) && std::ceil(support) + 1 < double(g_needed)) {
    geo.radius = int(std::ceil(support)) + 1;  // truncated kernel: circular padding by the radius
    geo.n = fastFftSize(int(g_needed) + geo.radius + 1);
    geo.g = geo.n - geo.radius - 1;
  } else {  // heavy tail (or a kernel wider than the box): full linear convolution
    geo.n = fastFftSize(int(2 * g_needed));
    geo.g = geo.n / 2;
    geo.radius = int(geo.g) - 1;
  }
  geo.x0 = x0;
  geo.y0 = y0;
  geo.cell = cell;
  geo.inv_cell = 1.0 / cell;
  geo.extent = extent;
  return true;
}

double GridKernel::raw(int c, double ux, double uy) const {
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

double GridKernel::at(int c, int a, int b) const {
  if (std::max(std::abs(a), std::abs(b)) > radius) return 0.0;
  const double ux = a * cell, uy = b * cell;
  const double k0 = raw(c, ux, uy);
  if (!sharpen) return k0;
  // k - (cell^2/6) Laplacian(k): cancels the mean blur of CIC binning + bilinear interpolation
  const double lap = raw(c, ux + cell, uy) + raw(c, ux - cell, uy) + raw(c, ux, uy + cell) + raw(c, ux, uy - cell) -
                     4.0 * k0;
  return k0 - lap / 6.0;
}

// ---------------------------------------------------------------------------------------------------
// stages 1-2: deposit and convolution

int GridSum::channelCount(const KernelEvaluator& kernel, const RowOutputs& what) {
  return int(activeChannels(kernel, what).size());
}

GridSum::GridSum(const Geometry& geo, const Points& sources, const KernelEvaluator& kernel,
                 std::span<const double> source_log_weight, const RowOutputs& what, ThreadPool& pool,
                 const GridOptions& options, NodeStore nodes)
    : geo_(geo), sources_(sources), kernel_(kernel), source_log_weight_(source_log_weight), what_(what),
      gk_{&kernel, geo.cell, geo.radius, options.sharpen},
      gauss_(kernel.spec().kind == KernelKind::Gaussian), weighted_(!source_log_weight.empty()),
      h_(kernel.spec().h), active_(activeChannels(kernel, what)), nodes_(std::move(nodes)) {
  inv_h2_ = 1.0 / (h_ * h_);
  const long g = geo_.g, num_src = sources_.cols();
  const int n = geo_.n;
  unsigned channel_mask = 0;
  for (int c : active_) channel_mask |= 1u << c;
  const SpectraKey key{n, geo_.radius, geo_.cell, kernel.spec(), kernel.dim(), options.sharpen, channel_mask};
  const std::shared_ptr<const Spectra> spectra = kernelSpectra(key, gk_, pool);

  // source weights exp(lw - max lw)
  if (weighted_) {
    max_lw_ = -std::numeric_limits<double>::infinity();
    for (double w : source_log_weight_) max_lw_ = std::max(max_lw_, w);
  }

  // 1. cloud-in-cell deposit, one private grid per thread, then summed into the FFT buffer
  const int threads = pool.size();
  std::vector<std::vector<double>> partial(static_cast<std::size_t>(threads));
  pool.parallelFor(0, num_src, [&](long lo, long hi, int t) {
    std::vector<double>& rho = partial[std::size_t(t)];
    rho.assign(std::size_t(g * g), 0.0);
    for (long s = lo; s < hi; ++s) {
      depositCic(rho, g, cellOf(sources_(0, s), sources_(1, s), geo_), weightOf(s));
    }
  }, 4096);
  rho_hat_.assign(std::size_t(n) * n, Complex(0.0, 0.0));
  total_weight_ = double(num_src);
  if (weighted_) {
    total_weight_ = 0.0;
    for (long s = 0; s < num_src; ++s) total_weight_ += weightOf(s);
  }
  pool.parallelFor(0, g, [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i)
      for (long j = 0; j < g; ++j) {
        double v = 0.0;
        for (const auto& p : partial)
          if (!p.empty()) v += p[std::size_t(i * g + j)];
        rho_hat_[std::size_t(i) * n + j] = Complex(v, 0.0);
      }
  }, 8);
  partial.clear();
  partial.shrink_to_fit();
  // at cell h/6 the deposit doubles as the node masses of far rows (stage 4): kept (g^2 doubles)
  deposit_is_far_grid_ = std::abs(geo_.cell * kFarCellsPerH - h_) <= 1e-12 * h_;
  if (deposit_is_far_grid_) {
    deposit_.resize(std::size_t(g * g));
    pool.parallelFor(0, g, [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i)
        for (long j = 0; j < g; ++j) deposit_[std::size_t(i * g + j)] = rho_hat_[std::size_t(i) * n + j].real();
    }, 8);
  }
  // 2. forward FFT (rows >= g are zero), products with the kernel spectra, back to the nodes
  fftRows(rho_hat_, n, 0, int(g), false, pool);
  fftCols(rho_hat_, n, 0, n, false, n, pool);
  const std::vector<double> field = convolve(rho_hat_, *spectra, active_, geo_, pool);

  // nodes hold [A, C_1, ..., C_{nc-1}] side by side, so the 2 x 2 nodes a row interpolates from cost
  // two cache lines instead of two per channel. Stored as float: at a million rows the interpolation
  // is bound by random node reads, and float nodes (12 bytes for 3 channels) keep a 300 x 300 grid
  // inside L2. Float round-off (~6e-8 of a node's value) only matters where a left-out particle is
  // nearly all of its own total; such rows are recomputed exactly (kSelfDominated).
  const int nc = int(active_.size());
  if (!nodes_.data) nodes_ = {std::make_shared<std::vector<float>>(std::size_t(g * g * nc)), nc, 0};
  float* node = nodes_.data->data() + nodes_.offset;
  const long stride = nodes_.stride;
  pool.parallelFor(0, g * g, [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i)
      for (int k = 0; k < nc; ++k) node[i * stride + k] = float(field[std::size_t(i * nc + k)]);
  }, 1 << 14);

  // self-contribution table for a left-out source at the evaluation point: offsets -1..1 cells
  for (int k = 0; k < nc; ++k)
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b) self_table_[k][a + 1][b + 1] = gk_.at(active_[std::size_t(k)], a, b);
  // The numerator channels (-u k(u), ...) are odd in one axis. A row at its own source's position
  // weighs offsets -1 and +1 alike, so their self terms cancel to zero: skipping them halves the
  // leave-one-out work per row. Checked on the table itself, so a kernel without the symmetry
  // still gets the full sum.
  for (int k = 0; k < nc; ++k) {
    const auto& t = self_table_[k];
    bool odd_a = true, odd_b = true;
    for (int m = 0; m < 3; ++m) {
      odd_a = odd_a && t[0][m] == -t[2][m] && t[1][m] == 0.0;
      odd_b = odd_b && t[m][0] == -t[m][2] && t[m][1] == 0.0;
    }
    self_cancels_[k] = odd_a || odd_b;
  }
  resolvable_ = kResolvable * total_weight_ * kernel.value(0.0);
  tail_level_ = kTailLevel * total_weight_ * kernel.value(0.0);
}

// ---------------------------------------------------------------------------------------------------
// stages 3-4: rows

template <int NC>
void GridSum::interpolateAll(const Points& eval, std::span<const int> exclude, RowSums& out, ThreadPool& pool,
                             std::vector<std::vector<long>>& exact, std::vector<std::vector<long>>& tail) const {
  double* const total_out = out.log_sum.data();
  double* const score_out = out.score.data();
  double* const shift_out = out.shift.data();
  pool.parallelFor(0, eval.cols(), [&](long lo, long hi, int t) {
    for (long e = lo; e < hi; ++e) {
      const double ex = eval(0, e), ey = eval(1, e);
      const CellWeights cw = cellOf(ex, ey, geo_);
      if (e + kPrefetchAhead < hi) prefetch(cellOf(eval(0, e + kPrefetchAhead), eval(1, e + kPrefetchAhead), geo_));
      const long self = exclude.empty() ? -1 : exclude[std::size_t(e)];
      double acc[NC];
      const RowKind kind = interpolateRow<NC>(ex, ey, cw, self, acc);
      if (kind == RowKind::Exact) {
        exact[std::size_t(t)].push_back(e);
        total_out[e] = 1.0;  // placeholder, replaced by the exact row in stage 4
        continue;
      }
      if (kind == RowKind::Tail) tail[std::size_t(t)].push_back(e);
      rowOutputs<NC>(acc, total_out + e, score_out + 2 * e, shift_out + 2 * e);
    }
  }, 1024);
}

void GridSum::evaluate(const Points& eval, std::span<const int> exclude, RowSums& out, ThreadPool& pool,
                       GridStats* stats) const {
  const long num_eval = eval.cols();
  // log_sum first holds the row total; one vectorised log pass follows. Every row is written
  // below (or by stage 4), so no zero fill.
  out.log_sum.resize(num_eval);
  out.score.resize(what_.score ? 2 : 0, what_.score ? num_eval : 0);
  out.shift.resize(what_.shift ? 2 : 0, what_.shift ? num_eval : 0);
  const std::size_t threads = std::size_t(pool.size());
  std::vector<std::vector<long>> exact_rows(threads), tail_rows(threads);
  switch (channelCount()) {
    case 1: interpolateAll<1>(eval, exclude, out, pool, exact_rows, tail_rows); break;
    case 3: interpolateAll<3>(eval, exclude, out, pool, exact_rows, tail_rows); break;
    default: interpolateAll<5>(eval, exclude, out, pool, exact_rows, tail_rows); break;
  }
  std::vector<long> tail;
  for (const auto& r : tail_rows) tail.insert(tail.end(), r.begin(), r.end());
  if (!tail.empty()) tailRows(eval, tail, out, pool);
  {
    using L = simd::Lanes<double>;
    double* ls = out.log_sum.data();
    const long vec_end = num_eval - num_eval % L::kWidth;
    pool.parallelFor(0, vec_end / L::kWidth, [&](long lo, long hi, int) {
      for (long i = lo * L::kWidth; i < hi * L::kWidth; i += L::kWidth)
        L::store(ls + i, L::add(simd::vlog<double>(L::load(ls + i)), L::set1(max_lw_)));
    }, 1024);
    for (long i = vec_end; i < num_eval; ++i) ls[i] = std::log(ls[i]) + max_lw_;
  }
  std::vector<long> far;
  for (const auto& r : exact_rows) far.insert(far.end(), r.begin(), r.end());
  if (stats) {
    stats->grid = int(geo_.g);
    stats->fft = geo_.n;
    stats->exact_rows = long(far.size());
  }
  if (!far.empty()) farRows(eval, exclude, far, out, pool);
}

// Gaussian tails: beyond ~4.3 h from every source the sharpened kernel over-corrects
// (k - (c^2/6) Laplacian k is a first-order fix) and bilinear interpolation of an exponential is
// biased, together 5-10 % at 6-7 h. Rows there use a second convolution with the Gaussian narrowed
// by the deposit variance (h_t^2 = h^2 - c^2/6, no sharpening), interpolated in the log domain:
// log A and C/A are nearly linear across a cell in the tail. Computed only when some row needs
// it: in a settled flow no particle is that far from the data or from the other particles.
void GridSum::tailRows(const Points& eval, const std::vector<long>& rows, RowSums& out, ThreadPool& pool) const {
  const long g = geo_.g;
  const double tail_h2 = h_ * h_ - geo_.cell * geo_.cell / 6.0;
  const double tail_to_h = h_ * h_ / tail_h2;
  KernelSpec tail_spec = kernel_.spec();
  tail_spec.h = std::sqrt(tail_h2);
  const KernelEvaluator tail_kernel(tail_spec, kernel_.dim());
  const GridKernel tail_gk{&tail_kernel, geo_.cell, geo_.radius, false};
  const SpectraKey tail_key{geo_.n, geo_.radius, geo_.cell, tail_spec, kernel_.dim(), false, 0b111u};
  const std::vector<double> tail_field = convolve(rho_hat_, *kernelSpectra(tail_key, tail_gk, pool), {0, 1, 2}, geo_, pool);
  // [log A, C_x/A, C_y/A] per node; log A = -inf below resolvable
  std::vector<float> tail_node(tail_field.size());
  pool.parallelFor(0, g * g, [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i) {
      const double a = tail_field[std::size_t(3 * i)];
      const bool ok = a > resolvable_;
      tail_node[std::size_t(3 * i)] = ok ? float(std::log(a)) : -std::numeric_limits<float>::infinity();
      tail_node[std::size_t(3 * i + 1)] = ok ? float(tail_field[std::size_t(3 * i + 1)] / a) : 0.f;
      tail_node[std::size_t(3 * i + 2)] = ok ? float(tail_field[std::size_t(3 * i + 2)] / a) : 0.f;
    }
  }, 4096);
  double* const total_out = out.log_sum.data();
  double* const score_out = out.score.data();
  double* const shift_out = out.shift.data();
  pool.parallelFor(0, long(rows.size()), [&](long lo, long hi, int) {
    for (long r = lo; r < hi; ++r) {
      const long e = rows[std::size_t(r)];
      const CellWeights cw = cellOf(eval(0, e), eval(1, e), geo_);
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
      if (!resolved) continue;  // the linear values stay
      // back to bandwidth h: A_h = A_t h^2/h_t^2 (d = 2); shift = h^2 score = (C/A)_t h^2/h_t^2
      total_out[e] = std::exp(log_a) * tail_to_h;
      if (what_.shift) {
        shift_out[2 * e] = ratio_x * tail_to_h;
        shift_out[2 * e + 1] = ratio_y * tail_to_h;
      }
      if (what_.score) {
        score_out[2 * e] = ratio_x / tail_h2;
        score_out[2 * e + 1] = ratio_y / tail_h2;
      }
    }
  }, 256);
}

}  // namespace driftlab::kde::grid
