// INTERNAL: exact fast kernel-row sums (float32 or float64 SIMD lanes, cache blocking, threads).
// See fast_kde.hpp for the numerical scheme. THEORY.md §6.1. Any thread.
#include "kde/fast_kde.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "base/simd_exp.hpp"

namespace driftlab::kde {
namespace {

using simd::Lanes;

constexpr long kTile = 2048;     // sources per tile: 2-D float tile = 16 KiB of coordinates (+8 KiB weights)
constexpr long kRowBlock = 32;   // rows sweeping one tile while it is in L1

// shifted sums below this are recomputed with the row's own shift (see fast_kde.hpp)
template <class T>
constexpr double kUnderflow = sizeof(T) == 4 ? 1.9287498479639178e-22 /* e^-50 */ : 2.6503965530043108e-261 /* e^-600 */;

template <class T>
struct KParams {
  T inv_h, inv_h2, neg_half_inv_h2;
  T a, inv_nu_h2, st_g;   // Student-t: exponent (nu + d)/2, 1/(nu h^2), 2a/(nu h^2)
  T cauchy_g;             // 2/h^2
  T c2, beta, imq_g;      // IMQ: c^2, beta, 2 beta/h^2
};

template <class T>
KParams<T> makeParams(const KernelEvaluator& k) {
  const KernelSpec& s = k.spec();
  const double h2 = s.h * s.h;
  KParams<T> p{};
  p.inv_h = T(1.0 / s.h);
  p.inv_h2 = T(1.0 / h2);
  p.neg_half_inv_h2 = T(-0.5 / h2);
  p.a = T(0.5 * (s.nu + k.dim()));
  p.inv_nu_h2 = T(1.0 / (s.nu * h2));
  p.st_g = T((s.nu + k.dim()) / (s.nu * h2));
  p.cauchy_g = T(2.0 / h2);
  p.c2 = T(s.c * s.c);
  p.beta = T(s.beta);
  p.imq_g = T(2.0 * s.beta / h2);
  return p;
}

// what the non-Gaussian row sums accumulate besides the total (Gaussian: shift only, score = shift / h^2)
enum class Mode { Shift, Score, Both };

// e = k(r) exp(arg0) with arg0 = log weight - shift (per lane); g = score coefficient
// (THEORY.md §2.1, §6.1) when kNeedG. e0 = exp(arg0) for unweighted rows (Cauchy needs no exp).
template <class T, KernelKind K, bool kNeedG, bool kWeighted>
inline void pairTerms(const KParams<T>& p, typename Lanes<T>::V r2, typename Lanes<T>::V arg0,
                      typename Lanes<T>::V e0, typename Lanes<T>::V& e, typename Lanes<T>::V& g) {
  using L = Lanes<T>;
  using V = typename L::V;
  // arguments of the exponentials are <= 0 here (fixed or row shift >= every log term)
  if constexpr (K == KernelKind::Gaussian) {
    e = simd::vexpUnflushed<T>(L::fma(r2, L::set1(p.neg_half_inv_h2), arg0));
  } else if constexpr (K == KernelKind::Laplacian || K == KernelKind::Matern32) {
    // 1/r from rsqrt + one Newton step; r^2 clamped at 1e-30 so r = 0 gives u = 0 and a finite
    // coefficient that multiplies y - x = 0 (the cusp's score is 0 there, as in the reference)
    const V ir = L::rsqrt(L::max(r2, L::set1(T(1e-30))));
    const V ir_h = L::mul(ir, L::set1(p.inv_h));  // 1/(h r)
    const V u = L::mul(r2, ir_h);                // r/h
    if constexpr (K == KernelKind::Laplacian) {
      e = simd::vexpUnflushed<T>(L::sub(arg0, u));
      if constexpr (kNeedG) g = ir_h;
    } else {
      const V one_u = L::add(L::set1(T(1)), u);
      e = L::mul(one_u, simd::vexpUnflushed<T>(L::sub(arg0, u)));
      if constexpr (kNeedG) g = L::div(L::set1(p.inv_h2), one_u);
    }
  } else if constexpr (K == KernelKind::StudentT) {
    const V t = L::fma(r2, L::set1(p.inv_nu_h2), L::set1(T(1)));
    e = simd::vexpUnflushed<T>(L::fnma(L::set1(p.a), simd::vlog<T>(t), arg0));
    if constexpr (kNeedG) g = L::div(L::set1(p.st_g), t);
  } else if constexpr (K == KernelKind::IMQ) {
    const V t = L::fma(r2, L::set1(p.inv_h2), L::set1(p.c2));
    e = simd::vexpUnflushed<T>(L::fnma(L::set1(p.beta), simd::vlog<T>(t), arg0));
    if constexpr (kNeedG) g = L::div(L::set1(p.imq_g), t);
  } else {  // Cauchy: k = 1/t, no exp needed without weights
    const V it = L::div(L::set1(T(1)), L::fma(r2, L::set1(p.inv_h2), L::set1(T(1))));
    e = L::mul(kWeighted ? simd::vexpUnflushed<T>(arg0) : e0, it);
    if constexpr (kNeedG) g = L::mul(L::set1(p.cauchy_g), it);
  }
}

// source set as structure of arrays, padded to whole lanes (padding lanes are masked)
template <class T, int D>
struct Sources {
  long count = 0, vectors = 0;
  std::vector<T> coord[D];
  std::vector<T> log_weight;  // empty when unweighted
  int tail_lanes = 0;         // valid lanes of the last vector (0 = full)
};

struct RowAcc {
  double total = 0.0;
  double shift[3] = {0, 0, 0};
  double score[3] = {0, 0, 0};
};

template <class T, int D, KernelKind K, bool kWeighted, Mode kMode>
struct RowKernel {
  using L = Lanes<T>;
  using V = typename L::V;
  static constexpr int W = L::kWidth;
  static constexpr bool kGauss = K == KernelKind::Gaussian;
  static constexpr bool kAccShift = kGauss || kMode != Mode::Score;
  static constexpr bool kAccScore = !kGauss && kMode != Mode::Shift;

  // rows sums over source vectors [vb, ve) with the given shift, added to acc
  static void accumulate(const KParams<T>& p, const Sources<T, D>& src, const T* x, long self, T shift, long vb,
                         long ve, RowAcc& acc) {
    V xb[D];
    for (int k = 0; k < D; ++k) xb[k] = L::set1(x[k]);
    const V neg_shift = L::set1(-shift);
    const V e0 = L::set1(std::exp(-shift));
    const long self_v = self >= 0 ? self / W : -1;
    const long tail_v = src.tail_lanes ? src.vectors - 1 : -1;
    V sum = L::zero(), sh[D], sc[D];
    for (int k = 0; k < D; ++k) sh[k] = sc[k] = L::zero();
    const T* cp[D];
    for (int k = 0; k < D; ++k) cp[k] = src.coord[k].data();
    const T* lw = kWeighted ? src.log_weight.data() : nullptr;
    for (long v = vb; v < ve; ++v) {
      V dx[D];
      V r2 = L::zero();
      for (int k = 0; k < D; ++k) {
        dx[k] = L::sub(L::load(cp[k] + v * W), xb[k]);
        r2 = L::fma(dx[k], dx[k], r2);
      }
      const V arg0 = kWeighted ? L::add(L::load(lw + v * W), neg_shift) : neg_shift;
      V e, g = L::zero();
      pairTerms<T, K, kAccScore, kWeighted>(p, r2, arg0, e0, e, g);
      if (v == self_v || v == tail_v) e = L::andMask(e, laneMask(src, v, self_v, self, tail_v));
      sum = L::add(sum, e);
      if constexpr (kAccShift)
        for (int k = 0; k < D; ++k) sh[k] = L::fma(e, dx[k], sh[k]);
      if constexpr (kAccScore) {
        const V eg = L::mul(e, g);
        for (int k = 0; k < D; ++k) sc[k] = L::fma(eg, dx[k], sc[k]);
      }
    }
    acc.total += L::hsum(sum);
    for (int k = 0; k < D; ++k) {
      if constexpr (kAccShift) acc.shift[k] += L::hsum(sh[k]);
      if constexpr (kAccScore) acc.score[k] += L::hsum(sc[k]);
    }
  }

  static V laneMask(const Sources<T, D>& src, long v, long self_v, long self, long tail_v) {
    alignas(32) T bits[W];
    for (int i = 0; i < W; ++i) {
      const bool valid = !(v == self_v && i == self % W) && !(v == tail_v && i >= src.tail_lanes);
      bits[i] = valid ? allOnes() : T(0);
    }
    return L::load(bits);
  }
  static T allOnes() {
    T t;
    if constexpr (sizeof(T) == 4) {
      const std::uint32_t b = 0xffffffffu;
      std::memcpy(&t, &b, 4);
    } else {
      const std::uint64_t b = ~std::uint64_t(0);
      std::memcpy(&t, &b, 8);
    }
    return t;
  }

  // min over valid sources of r^2 (for the row's own shift), +inf when none is valid
  static double minR2(const Sources<T, D>& src, const T* x, long self) {
    V xb[D];
    for (int k = 0; k < D; ++k) xb[k] = L::set1(x[k]);
    const long self_v = self >= 0 ? self / W : -1;
    const long tail_v = src.tail_lanes ? src.vectors - 1 : -1;
    const V inf = L::set1(std::numeric_limits<T>::infinity());
    V m = inf;
    for (long v = 0; v < src.vectors; ++v) {
      V r2 = L::zero();
      for (int k = 0; k < D; ++k) {
        const V dx = L::sub(L::load(src.coord[k].data() + v * W), xb[k]);
        r2 = L::fma(dx, dx, r2);
      }
      if (v == self_v || v == tail_v) r2 = L::select(laneMask(src, v, self_v, self, tail_v), r2, inf);
      m = L::min(m, r2);
    }
    return double(L::hmin(m));
  }
};

// scalar float64 row with the exact row maximum (last resort for weighted far rows)
void exactRowScalar(const Points& eval, long e, long skip, const Points& sources, const KernelEvaluator& kernel,
                    std::span<const double> lw, const RowOutputs& what, RowSums& out) {
  const long d = eval.rows();
  const double neg_inf = -std::numeric_limits<double>::infinity();
  double row_max = neg_inf;
  for (long s = 0; s < sources.cols(); ++s) {
    if (s == skip) continue;
    double l = kernel.logValue((sources.col(s) - eval.col(e)).squaredNorm());
    if (!lw.empty()) l += lw[std::size_t(s)];
    row_max = std::max(row_max, l);
  }
  if (what.shift) out.shift.col(e).setZero();
  if (what.score) out.score.col(e).setZero();
  if (!(row_max > neg_inf)) {
    out.log_sum[e] = neg_inf;
    return;
  }
  double total = 0.0;
  Eigen::VectorXd sh = Eigen::VectorXd::Zero(d), sc = Eigen::VectorXd::Zero(d);
  for (long s = 0; s < sources.cols(); ++s) {
    if (s == skip) continue;
    const Eigen::VectorXd diff = sources.col(s) - eval.col(e);
    const double r2 = diff.squaredNorm();
    double l = kernel.logValue(r2);
    if (!lw.empty()) l += lw[std::size_t(s)];
    const double w = std::exp(l - row_max);
    total += w;
    sh += w * diff;
    sc += (w * kernel.scoreCoefficient(r2)) * diff;
  }
  out.log_sum[e] = row_max + std::log(total);
  if (what.shift) out.shift.col(e) = sh / total;
  if (what.score) out.score.col(e) = sc / total;
}

struct Problem {
  const Points& eval;
  std::span<const int> exclude;
  const Points& sources;
  const KernelEvaluator& kernel;
  std::span<const double> lw;
  const RowOutputs& what;
  RowSums& out;
  ThreadPool& pool;
};

template <class T, int D>
Sources<T, D> makeSources(const Problem& pr, const Eigen::Matrix<double, D, 1>& centre, double max_lw) {
  constexpr int W = Lanes<T>::kWidth;
  const long num_src = pr.sources.cols();
  Sources<T, D> src;
  src.count = num_src;
  src.vectors = (num_src + W - 1) / W;
  src.tail_lanes = int(num_src % W);
  const long padded = src.vectors * W;
  for (int k = 0; k < D; ++k) {
    src.coord[k].resize(std::size_t(padded));
    for (long s = 0; s < padded; ++s)
      src.coord[k][std::size_t(s)] = T(pr.sources(k, s < num_src ? s : 0) - centre[k]);
  }
  if (!pr.lw.empty()) {
    src.log_weight.assign(std::size_t(padded), T(0));
    // stored relative to their max; clamped far below it (such a source adds < e^-80 relative)
    for (long s = 0; s < num_src; ++s)
      src.log_weight[std::size_t(s)] = T(std::max(pr.lw[std::size_t(s)] - max_lw, -1e4));
  }
  return src;
}

template <class T, int D>
std::vector<T> makeRows(const Problem& pr, const Eigen::Matrix<double, D, 1>& centre) {
  const long num_eval = pr.eval.cols();
  std::vector<T> xs(std::size_t(num_eval * D));
  for (long e = 0; e < num_eval; ++e)
    for (int k = 0; k < D; ++k) xs[std::size_t(e * D + k)] = T(pr.eval(k, e) - centre[k]);
  return xs;
}

template <class T, int D, KernelKind K, bool kWeighted, Mode kMode>
void runTyped(const Problem& pr) {
  using RK = RowKernel<T, D, K, kWeighted, kMode>;
  using RK64 = RowKernel<double, D, K, kWeighted, kMode>;
  constexpr int W = Lanes<T>::kWidth;
  const long num_eval = pr.eval.cols(), num_src = pr.sources.cols();

  // centre coordinates on the bounding box before rounding to T (keeps y - x accurate in float)
  Eigen::Matrix<double, D, 1> lo = pr.sources.col(0).template head<D>(), hi = lo;
  for (long s = 0; s < num_src; ++s) {
    lo = lo.cwiseMin(pr.sources.col(s).template head<D>());
    hi = hi.cwiseMax(pr.sources.col(s).template head<D>());
  }
  for (long e = 0; e < num_eval; ++e) {
    lo = lo.cwiseMin(pr.eval.col(e).template head<D>());
    hi = hi.cwiseMax(pr.eval.col(e).template head<D>());
  }
  const Eigen::Matrix<double, D, 1> centre = 0.5 * (lo + hi);
  double max_lw = 0.0;
  if constexpr (kWeighted) {
    max_lw = -std::numeric_limits<double>::infinity();
    for (double w : pr.lw) max_lw = std::max(max_lw, w);
  }
  const bool no_weight = kWeighted && !(max_lw > -std::numeric_limits<double>::infinity());
  const Sources<T, D> src = makeSources<T, D>(pr, centre, max_lw);
  const std::vector<T> xs = makeRows<T, D>(pr, centre);

  const KParams<T> p = makeParams<T>(pr.kernel);
  const double shift0 = pr.kernel.logValue(0.0);  // log k(0) >= log k(r): the fixed shift
  const double inv_h2 = 1.0 / (pr.kernel.spec().h * pr.kernel.spec().h);

  auto finish = [&](long e, const RowAcc& acc, double shift) {
    pr.out.log_sum[e] = shift + max_lw + std::log(acc.total);
    const double inv_total = 1.0 / acc.total;
    for (int k = 0; k < D; ++k) {
      if (pr.what.shift) pr.out.shift(k, e) = acc.shift[k] * inv_total;
      if (pr.what.score) pr.out.score(k, e) = (RK::kGauss ? acc.shift[k] * inv_h2 : acc.score[k]) * inv_total;
    }
  };
  auto selfOf = [&](long e) -> long { return pr.exclude.empty() ? -1 : pr.exclude[std::size_t(e)]; };

  // pass 1: every row with the fixed shift; rows whose sum underflows are collected
  std::vector<std::vector<long>> far(std::size_t(pr.pool.size()));
  auto rows = [&](long row_lo, long row_hi, int chunk) {
    RowAcc acc[kRowBlock];
    for (long rb = row_lo; rb < row_hi; rb += kRowBlock) {
      const long re = std::min(row_hi, rb + kRowBlock);
      for (long e = rb; e < re; ++e) acc[e - rb] = RowAcc{};
      for (long t0 = 0; t0 < src.vectors; t0 += kTile / W) {
        const long t1 = std::min(src.vectors, t0 + kTile / W);
        for (long e = rb; e < re; ++e)
          RK::accumulate(p, src, &xs[std::size_t(e * D)], selfOf(e), T(shift0), t0, t1, acc[e - rb]);
      }
      for (long e = rb; e < re; ++e) {
        const double total = acc[e - rb].total;
        if (!no_weight && total >= kUnderflow<T> && std::isfinite(total))
          finish(e, acc[e - rb], shift0);
        else
          far[std::size_t(chunk)].push_back(e);
      }
    }
  };
  pr.pool.parallelFor(0, num_eval, rows, 4 * kRowBlock);

  // pass 2 (far rows, rare): float64 lanes with the row's own shift log k(min r^2) -- in float,
  // log k of a far pair (|l| ~ 1e4) would carry an absolute error ~1e-3 in the weights
  std::vector<long> far_rows;
  for (const auto& f : far) far_rows.insert(far_rows.end(), f.begin(), f.end());
  if (far_rows.empty()) return;
  const Sources<double, D> src64 = makeSources<double, D>(pr, centre, max_lw);
  const std::vector<double> xs64 = makeRows<double, D>(pr, centre);
  const KParams<double> p64 = makeParams<double>(pr.kernel);
  auto far_pass = [&](long lo_i, long hi_i, int) {
    for (long i = lo_i; i < hi_i; ++i) {
      const long e = far_rows[std::size_t(i)];
      const long self = selfOf(e);
      const double min_r2 = no_weight ? std::numeric_limits<double>::infinity()
                                      : RK64::minR2(src64, &xs64[std::size_t(e * D)], self);
      if (min_r2 < std::numeric_limits<double>::infinity()) {
        const double row_shift = pr.kernel.logValue(min_r2);
        RowAcc again;
        RK64::accumulate(p64, src64, &xs64[std::size_t(e * D)], self, row_shift, 0, src64.vectors, again);
        if (again.total >= kUnderflow<double> && std::isfinite(again.total)) {
          finish(e, again, row_shift);
          continue;
        }
      }
      // no valid source, or weights that still underflow: scalar rows with the exact maximum
      exactRowScalar(pr.eval, e, self, pr.sources, pr.kernel, pr.lw, pr.what, pr.out);
    }
  };
  pr.pool.parallelFor(0, long(far_rows.size()), far_pass, 8);
}

template <class T, int D, KernelKind K>
void dispatchMode(const Problem& pr) {
  const bool weighted = !pr.lw.empty();
  const Mode mode = (pr.what.score && pr.what.shift) ? Mode::Both : pr.what.score ? Mode::Score : Mode::Shift;
  if (K == KernelKind::Gaussian) {  // one accumulator set serves both
    if (weighted) runTyped<T, D, K, true, Mode::Shift>(pr);
    else runTyped<T, D, K, false, Mode::Shift>(pr);
    return;
  }
  if (weighted) {
    if (mode == Mode::Both) runTyped<T, D, K, true, Mode::Both>(pr);
    else if (mode == Mode::Score) runTyped<T, D, K, true, Mode::Score>(pr);
    else runTyped<T, D, K, true, Mode::Shift>(pr);
  } else {
    if (mode == Mode::Both) runTyped<T, D, K, false, Mode::Both>(pr);
    else if (mode == Mode::Score) runTyped<T, D, K, false, Mode::Score>(pr);
    else runTyped<T, D, K, false, Mode::Shift>(pr);
  }
}

template <class T, int D>
void dispatchKernel(const Problem& pr) {
  switch (pr.kernel.spec().kind) {
    case KernelKind::Gaussian: dispatchMode<T, D, KernelKind::Gaussian>(pr); break;
    case KernelKind::Laplacian: dispatchMode<T, D, KernelKind::Laplacian>(pr); break;
    case KernelKind::Matern32: dispatchMode<T, D, KernelKind::Matern32>(pr); break;
    case KernelKind::StudentT: dispatchMode<T, D, KernelKind::StudentT>(pr); break;
    case KernelKind::IMQ: dispatchMode<T, D, KernelKind::IMQ>(pr); break;
    case KernelKind::Cauchy: dispatchMode<T, D, KernelKind::Cauchy>(pr); break;
  }
}

template <class T>
bool dispatchDim(const Problem& pr) {
  switch (pr.eval.rows()) {
    case 1: dispatchKernel<T, 1>(pr); return true;
    case 2: dispatchKernel<T, 2>(pr); return true;
    case 3: dispatchKernel<T, 3>(pr); return true;
    default: return false;
  }
}

}  // namespace

bool kdeRowsFast(FastPrecision precision, const Points& eval, std::span<const int> exclude, const Points& sources,
                 const KernelEvaluator& kernel, std::span<const double> source_log_weight, const RowOutputs& what,
                 RowSums& out, ThreadPool& pool) {
  const long d = eval.rows();
  if (d < 1 || d > 3 || sources.rows() != d) return false;
  const long num_eval = eval.cols();
  out.log_sum.resize(num_eval);
  if (what.score) out.score.setZero(d, num_eval); else out.score.resize(0, 0);
  if (what.shift) out.shift.setZero(d, num_eval); else out.shift.resize(0, 0);
  if (num_eval == 0) return true;
  if (sources.cols() == 0) {
    out.log_sum.setConstant(-std::numeric_limits<double>::infinity());
    return true;
  }
  const Problem pr{eval, exclude, sources, kernel, source_log_weight, what, out, pool};
  return precision == FastPrecision::Float32 ? dispatchDim<float>(pr) : dispatchDim<double>(pr);
}

}  // namespace driftlab::kde
