// The one small SIMD header of the fast kernel sums (fast_kde.cpp): a lane type per precision
// (AVX2: 8 floats / 4 doubles in a ymm register; elsewhere one scalar lane, so the code stays
// portable and correct), and vectorised exp / log / rsqrt for the log-kernel values.
//
// Accuracy (tested in tests/fast_kde_test.cpp against std::exp / std::log):
//   vexp float : <= 2e-7 relative for x in [-87.3, 88]; 0 for x < -87.3 (no denormals) and -inf
//   vexp double: <= 5e-16 relative for x in [-708, 709]; 0 below
//   vlog       : <= 2e-7 (float) / 5e-16 (double) relative, x > 0 normal
// Cody-Waite range reduction x = n ln2 + r, |r| <= ln2/2, then a polynomial for e^r and 2^n
// built in the exponent bits. Pure functions; any thread.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__AVX2__) && defined(__FMA__)
#include <immintrin.h>
#define DRIFTLAB_SIMD_AVX2 1
#else
#define DRIFTLAB_SIMD_AVX2 0
#endif

namespace driftlab::simd {

template <class T>
struct Lanes;  // Lanes<float>, Lanes<double>: value type V, width kWidth, and the operations below

#if DRIFTLAB_SIMD_AVX2

template <>
struct Lanes<float> {
  static constexpr int kWidth = 8;
  struct V {
    __m256 v;
  };
  static V load(const float* p) { return {_mm256_loadu_ps(p)}; }
  static void store(float* p, V a) { _mm256_storeu_ps(p, a.v); }
  static V set1(float x) { return {_mm256_set1_ps(x)}; }
  static V zero() { return {_mm256_setzero_ps()}; }
  static V add(V a, V b) { return {_mm256_add_ps(a.v, b.v)}; }
  static V sub(V a, V b) { return {_mm256_sub_ps(a.v, b.v)}; }
  static V mul(V a, V b) { return {_mm256_mul_ps(a.v, b.v)}; }
  static V div(V a, V b) { return {_mm256_div_ps(a.v, b.v)}; }
  static V fma(V a, V b, V c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }   // a b + c
  static V fnma(V a, V b, V c) { return {_mm256_fnmadd_ps(a.v, b.v, c.v)}; } // c - a b
  static V min(V a, V b) { return {_mm256_min_ps(a.v, b.v)}; }
  static V max(V a, V b) { return {_mm256_max_ps(a.v, b.v)}; }
  static V sqrt(V a) { return {_mm256_sqrt_ps(a.v)}; }
  static V lt(V a, V b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }  // all-ones mask lanes
  static V gt(V a, V b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ)}; }
  static V andMask(V a, V mask) { return {_mm256_and_ps(a.v, mask.v)}; }
  static V andNotMask(V mask, V a) { return {_mm256_andnot_ps(mask.v, a.v)}; }  // a where !mask
  static V select(V mask, V a, V b) { return {_mm256_blendv_ps(b.v, a.v, mask.v)}; }  // mask ? a : b
  // 1/sqrt(a) to ~1e-7 relative: hardware estimate + one Newton step; callers mask a == 0
  static V rsqrt(V a) {
    const __m256 y = _mm256_rsqrt_ps(a.v);
    const __m256 hy = _mm256_mul_ps(_mm256_mul_ps(a.v, _mm256_set1_ps(0.5f)), y);
    return {_mm256_mul_ps(y, _mm256_fnmadd_ps(hy, y, _mm256_set1_ps(1.5f)))};
  }
  // lane i of the result = 2^n_i for integral-valued n in [-126, 127]
  static V pow2i(V n) {
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n.v), _mm256_set1_epi32(127));
    return {_mm256_castsi256_ps(_mm256_slli_epi32(e, 23))};
  }
  static V roundNearest(V a) { return {_mm256_round_ps(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
  // t = n + 1.5 2^23 holds the integer n in its low mantissa bits: 2^n from those bits directly
  static V pow2FromMagic(V t) {
    return {_mm256_castsi256_ps(_mm256_add_epi32(_mm256_slli_epi32(_mm256_castps_si256(t.v), 23),
                                                 _mm256_set1_epi32(127 << 23)))};
  }
  // a = m 2^e with m in [sqrt(1/2), sqrt(2)); a > 0 normal
  static void frexpCentered(V a, V& m, V& e) {
    const __m256i bits = _mm256_castps_si256(a.v);
    // subtracting the bits of sqrt(1/2) puts the mantissa split at sqrt(1/2)
    const __m256i off = _mm256_sub_epi32(bits, _mm256_set1_epi32(0x3f3504f3));
    const __m256i k = _mm256_srai_epi32(off, 23);
    const __m256i mb = _mm256_sub_epi32(bits, _mm256_slli_epi32(k, 23));
    m.v = _mm256_castsi256_ps(mb);
    e.v = _mm256_cvtepi32_ps(k);
  }
  static double hsum(V a) {  // in double, so a long float sum is not rounded once more
    const __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(a.v));
    const __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(a.v, 1));
    const __m256d s = _mm256_add_pd(lo, hi);
    const __m128d s2 = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)));
  }
  static float hmin(V a) {
    __m128 m = _mm_min_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
    m = _mm_min_ps(m, _mm_movehl_ps(m, m));
    m = _mm_min_ss(m, _mm_shuffle_ps(m, m, 1));
    return _mm_cvtss_f32(m);
  }
  // lanes [0, lane) all-ones... used to mask one lane: all-ones except lane `lane`
  static V allBut(int lane) {
    alignas(32) std::int32_t m[8];
    for (int i = 0; i < 8; ++i) m[i] = (i == lane) ? 0 : -1;
    return {_mm256_castsi256_ps(_mm256_load_si256(reinterpret_cast<const __m256i*>(m)))};
  }
};

template <>
struct Lanes<double> {
  static constexpr int kWidth = 4;
  struct V {
    __m256d v;
  };
  static V load(const double* p) { return {_mm256_loadu_pd(p)}; }
  static void store(double* p, V a) { _mm256_storeu_pd(p, a.v); }
  static V set1(double x) { return {_mm256_set1_pd(x)}; }
  static V zero() { return {_mm256_setzero_pd()}; }
  static V add(V a, V b) { return {_mm256_add_pd(a.v, b.v)}; }
  static V sub(V a, V b) { return {_mm256_sub_pd(a.v, b.v)}; }
  static V mul(V a, V b) { return {_mm256_mul_pd(a.v, b.v)}; }
  static V div(V a, V b) { return {_mm256_div_pd(a.v, b.v)}; }
  static V fma(V a, V b, V c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }
  static V fnma(V a, V b, V c) { return {_mm256_fnmadd_pd(a.v, b.v, c.v)}; }
  static V min(V a, V b) { return {_mm256_min_pd(a.v, b.v)}; }
  static V max(V a, V b) { return {_mm256_max_pd(a.v, b.v)}; }
  static V sqrt(V a) { return {_mm256_sqrt_pd(a.v)}; }
  static V lt(V a, V b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_LT_OQ)}; }
  static V gt(V a, V b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_GT_OQ)}; }
  static V andMask(V a, V mask) { return {_mm256_and_pd(a.v, mask.v)}; }
  static V andNotMask(V mask, V a) { return {_mm256_andnot_pd(mask.v, a.v)}; }
  static V select(V mask, V a, V b) { return {_mm256_blendv_pd(b.v, a.v, mask.v)}; }
  static V rsqrt(V a) { return {_mm256_div_pd(_mm256_set1_pd(1.0), _mm256_sqrt_pd(a.v))}; }
  static V pow2i(V n) {  // n integral in [-1022, 1023]
    const __m256i k = _mm256_cvtepi32_epi64(_mm256_cvtpd_epi32(n.v));
    const __m256i e = _mm256_add_epi64(k, _mm256_set1_epi64x(1023));
    return {_mm256_castsi256_pd(_mm256_slli_epi64(e, 52))};
  }
  static V roundNearest(V a) { return {_mm256_round_pd(a.v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)}; }
  static V pow2FromMagic(V t) {  // t = n + 1.5 2^52
    return {_mm256_castsi256_pd(_mm256_add_epi64(_mm256_slli_epi64(_mm256_castpd_si256(t.v), 52),
                                                 _mm256_set1_epi64x(1023LL << 52)))};
  }
  static void frexpCentered(V a, V& m, V& e) {
    const __m256i bits = _mm256_castpd_si256(a.v);
    const __m256i off = _mm256_sub_epi64(bits, _mm256_set1_epi64x(0x3fe6a09e667f3bcdLL));
    // arithmetic shift of 64-bit lanes is AVX-512 only: shift logically and sign-extend by hand
    const __m256i sign = _mm256_cmpgt_epi64(_mm256_setzero_si256(), off);
    const __m256i k = _mm256_or_si256(_mm256_srli_epi64(off, 52), _mm256_slli_epi64(sign, 12));
    const __m256i mb = _mm256_sub_epi64(bits, _mm256_slli_epi64(k, 52));
    m.v = _mm256_castsi256_pd(mb);
    alignas(32) std::int64_t kk[4];
    _mm256_store_si256(reinterpret_cast<__m256i*>(kk), k);
    e.v = _mm256_set_pd(double(kk[3]), double(kk[2]), double(kk[1]), double(kk[0]));
  }
  static double hsum(V a) {
    const __m128d s2 = _mm_add_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s2, _mm_unpackhi_pd(s2, s2)));
  }
  static double hmin(V a) {
    const __m128d m = _mm_min_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
    return _mm_cvtsd_f64(_mm_min_sd(m, _mm_unpackhi_pd(m, m)));
  }
  static V allBut(int lane) {
    alignas(32) std::int64_t m[4];
    for (int i = 0; i < 4; ++i) m[i] = (i == lane) ? 0 : -1;
    return {_mm256_castsi256_pd(_mm256_load_si256(reinterpret_cast<const __m256i*>(m)))};
  }
};

#else  // portable one-lane fallback (same algorithms, so the same accuracy)

template <class T, class Bits>
struct ScalarLanes {
  static constexpr int kWidth = 1;
  struct V {
    T v;
  };
  static V load(const T* p) { return {*p}; }
  static void store(T* p, V a) { *p = a.v; }
  static V set1(T x) { return {x}; }
  static V zero() { return {T(0)}; }
  static V add(V a, V b) { return {a.v + b.v}; }
  static V sub(V a, V b) { return {a.v - b.v}; }
  static V mul(V a, V b) { return {a.v * b.v}; }
  static V div(V a, V b) { return {a.v / b.v}; }
  static V fma(V a, V b, V c) { return {std::fma(a.v, b.v, c.v)}; }
  static V fnma(V a, V b, V c) { return {std::fma(-a.v, b.v, c.v)}; }
  static V min(V a, V b) { return {b.v < a.v ? b.v : a.v}; }
  static V max(V a, V b) { return {b.v > a.v ? b.v : a.v}; }
  static V sqrt(V a) { return {std::sqrt(a.v)}; }
  static V fromBool(bool b) {
    Bits bits = b ? ~Bits(0) : Bits(0);
    T t;
    std::memcpy(&t, &bits, sizeof t);
    return {t};
  }
  static bool isSet(V m) {
    Bits bits;
    std::memcpy(&bits, &m.v, sizeof bits);
    return bits != 0;
  }
  static V lt(V a, V b) { return fromBool(a.v < b.v); }
  static V gt(V a, V b) { return fromBool(a.v > b.v); }
  static V andMask(V a, V mask) { return isSet(mask) ? a : zero(); }
  static V andNotMask(V mask, V a) { return isSet(mask) ? zero() : a; }
  static V select(V mask, V a, V b) { return isSet(mask) ? a : b; }
  static V rsqrt(V a) { return {T(1) / std::sqrt(a.v)}; }
  static V pow2i(V n) { return {std::ldexp(T(1), static_cast<int>(n.v))}; }
  static V roundNearest(V a) { return {std::nearbyint(a.v)}; }
  static V pow2FromMagic(V t) {
    const T magic = sizeof(T) == 4 ? T(12582912.0) : T(6755399441055744.0);
    return {std::ldexp(T(1), static_cast<int>(t.v - magic))};
  }
  static void frexpCentered(V a, V& m, V& e) {
    int k = 0;
    T mm = std::frexp(a.v, &k);  // [0.5, 1)
    if (mm < T(0.70710678118654752)) {
      mm *= 2;
      --k;
    }
    m.v = mm;
    e.v = T(k);
  }
  static double hsum(V a) { return double(a.v); }
  static T hmin(V a) { return a.v; }
  static V allBut(int) { return fromBool(false); }
};
template <>
struct Lanes<float> : ScalarLanes<float, std::uint32_t> {};
template <>
struct Lanes<double> : ScalarLanes<double, std::uint64_t> {};

#endif

// range limits of vexp: below kExpMin the result is 0 (flushed, never denormal)
template <class T>
struct ExpLimits;
template <>
struct ExpLimits<float> {
  static constexpr float kMin = -87.3f, kMax = 88.0f;
};
template <>
struct ExpLimits<double> {
  static constexpr double kMin = -708.0, kMax = 709.0;
};

// e^x for x <= kMax without the underflow flush: x < kMin gives e^kMin (~1.2e-38 in float),
// which is what the kernel-sum loops use (such terms are < e^-37 of any sum they may enter,
// because rows whose shifted sum is below e^-50 are recomputed; see fast_kde.hpp).
template <class T>
inline typename Lanes<T>::V vexpUnflushed(typename Lanes<T>::V x) {
  using L = Lanes<T>;
  using V = typename L::V;
  x = L::max(x, L::set1(ExpLimits<T>::kMin));
  // n = round(x / ln 2) by the 1.5 2^p trick: the fma rounds to an integer in the low bits
  const V magic = L::set1(sizeof(T) == 4 ? T(12582912.0) : T(6755399441055744.0));
  const V t = L::fma(x, L::set1(T(1.44269504088896340736)), magic);
  const V n = L::sub(t, magic);
  V p;
  if constexpr (sizeof(T) == 4) {
    // Cody-Waite split of ln 2 (hi part exact in float), Cephes expf polynomial on |r| <= ln2/2
    V r = L::fnma(n, L::set1(0.693359375f), x);
    r = L::fnma(n, L::set1(-2.12194440e-4f), r);
    p = L::set1(1.9875691500e-4f);
    p = L::fma(p, r, L::set1(1.3981999507e-3f));
    p = L::fma(p, r, L::set1(8.3334519073e-3f));
    p = L::fma(p, r, L::set1(4.1665795894e-2f));
    p = L::fma(p, r, L::set1(1.6666665459e-1f));
    p = L::fma(p, r, L::set1(5.0000001201e-1f));
    p = L::fma(L::mul(p, r), r, L::add(r, L::set1(1.0f)));
  } else {
    V r = L::fnma(n, L::set1(6.93145751953125e-1), x);
    r = L::fnma(n, L::set1(1.42860682030941723212e-6), r);
    // Taylor series of e^r to degree 13: truncation (ln2/2)^14/14! < 1e-17
    static constexpr double kC[] = {1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0,
                                    1.0 / 3628800.0,    1.0 / 362880.0,    1.0 / 40320.0,
                                    1.0 / 5040.0,       1.0 / 720.0,       1.0 / 120.0,
                                    1.0 / 24.0,         1.0 / 6.0,         0.5,
                                    1.0,                1.0};
    p = L::set1(kC[0]);
    for (int i = 1; i < 14; ++i) p = L::fma(p, r, L::set1(kC[i]));
  }
  return L::mul(p, L::pow2FromMagic(t));
}

// e^x, lane-wise, for any x: 0 below kMin (never a denormal), clamped at kMax.
template <class T>
inline typename Lanes<T>::V vexp(typename Lanes<T>::V x) {
  using L = Lanes<T>;
  const typename L::V too_small = L::lt(x, L::set1(ExpLimits<T>::kMin));
  const typename L::V r = vexpUnflushed<T>(L::min(x, L::set1(ExpLimits<T>::kMax)));
  return L::andNotMask(too_small, r);
}

// natural log, lane-wise, x > 0 and normal: x = m 2^k, m in [sqrt(1/2), sqrt(2)),
// log m = 2 atanh(s), s = (m - 1)/(m + 1), |s| <= 0.1716, odd series in s.
template <class T>
inline typename Lanes<T>::V vlog(typename Lanes<T>::V x) {
  using L = Lanes<T>;
  using V = typename L::V;
  V m, k;
  L::frexpCentered(x, m, k);
  const V s = L::div(L::sub(m, L::set1(T(1))), L::add(m, L::set1(T(1))));
  const V s2 = L::mul(s, s);
  // 2 atanh(s) = 2 s (1 + s^2/3 + s^4/5 + ...); float: to s^10/11 (error < 1e-9), double: to s^24/25
  // The coefficients 1/(2i+1) come from a compile-time table and the loop is unrolled: written as
  // T(1)/T(2i+1) inside the loop, GCC kept one scalar division per term per call, which made this
  // function ~7 ns per double (7 % of a million-particle grid step).
  constexpr int kTerms = sizeof(T) == 4 ? 6 : 13;
  static constexpr auto kCoef = [] {
    struct Table {
      T c[kTerms];
    } t{};
    for (int i = 0; i < kTerms; ++i) t.c[i] = T(1) / T(2 * i + 1);
    return t;
  }();
  V p = L::set1(kCoef.c[kTerms - 1]);
#pragma GCC unroll 16
  for (int i = kTerms - 2; i >= 0; --i) p = L::fma(p, s2, L::set1(kCoef.c[i]));
  const V log_m = L::mul(L::mul(L::set1(T(2)), s), p);
  return L::fma(k, L::set1(T(0.693147180559945309417)), log_m);
}

// scalar conveniences (tests, tails)
template <class T>
inline T vexpScalar(T x) {
  using L = Lanes<T>;
  T buf[L::kWidth];
  for (auto& b : buf) b = x;
  L::store(buf, vexp<T>(L::load(buf)));
  return buf[0];
}
template <class T>
inline T vlogScalar(T x) {
  using L = Lanes<T>;
  T buf[L::kWidth];
  for (auto& b : buf) b = x;
  L::store(buf, vlog<T>(L::load(buf)));
  return buf[0];
}

}  // namespace driftlab::simd
