// Fast kernel-row paths (compute_path.hpp) against the float64 scalar reference: the SIMD exp/log, the
// thread pool, the exact float32/float64 paths for every kernel (leave-one-out, source weights,
// far points, d = 1..3) and the 2-D grid path's error per kernel. Values only, never timings.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kde/dense_kde.hpp"
#include "kde/fast_kde.hpp"
#include "kde/grid_kde.hpp"
#include "kde/kde_rows.hpp"
#include "base/simd_exp.hpp"
#include "driftlab/kde/compute_path.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/flow_engine.hpp"

using namespace driftlab;

namespace {

constexpr KernelKind kAllKernels[] = {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32,
                                      KernelKind::StudentT, KernelKind::IMQ,       KernelKind::Cauchy};

Points gaussianCloud(int d, int n, double centre, double sigma, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd(0.0, 1.0);
  Points p(d, n);
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < d; ++k) p(k, i) = centre + sigma * nd(rng);
  return p;
}

// eight Gaussian modes on the unit circle, sd 0.1 (the shape of the default preset's data)
Points ring(int n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd(0.0, 0.1);
  Points p(2, n);
  for (int i = 0; i < n; ++i) {
    const double a = (i % 8) * 3.14159265358979323846 / 4.0;
    p(0, i) = std::cos(a) + nd(rng);
    p(1, i) = std::sin(a) + nd(rng);
  }
  return p;
}

// max over rows of |a - b|, divided by the max over rows of |b| (normwise relative error)
double normwiseError(const Points& a, const Points& b) {
  return (a - b).colwise().norm().maxCoeff() / b.colwise().norm().maxCoeff();
}

double rmsRelative(const Points& a, const Points& b) { return (a - b).norm() / b.norm(); }

struct Case {
  Points eval, sources;
  std::vector<int> exclude;
  std::vector<double> log_weight;
};

// particles vs particles with leave-one-out, one particle 100 h away from everything
Case looCase(int d, int n, double h) {
  Case c;
  c.sources = gaussianCloud(d, n, 0.0, 0.5, 7u + unsigned(d));
  c.sources(0, 3) = 100.0 * h;  // far row and far source (THEORY.md §13 item 26)
  c.eval = c.sources;
  c.exclude.resize(std::size_t(n));
  for (int i = 0; i < n; ++i) c.exclude[std::size_t(i)] = i;
  return c;
}

void checkFastAgainstReference(const Case& c, const KernelSpec& spec, kde::FastPrecision precision, double tol) {
  const KernelEvaluator kernel(spec, int(c.eval.rows()));
  const kde::RowOutputs what;  // score and shift
  kde::RowSums ref, fast;
  kde::kdeRowsReference(c.eval, c.exclude, c.sources, kernel, c.log_weight, what, ref);
  ThreadPool pool(2);
  REQUIRE(kde::kdeRowsFast(precision, c.eval, c.exclude, c.sources, kernel, c.log_weight, what, fast, pool));
  CAPTURE(std::string(kernelName(spec.kind)));
  CAPTURE(c.eval.rows());
  REQUIRE(fast.log_sum.size() == ref.log_sum.size());
  const double lse_err = (fast.log_sum - ref.log_sum).cwiseAbs().maxCoeff();
  CHECK(lse_err <= tol * 10.0);
  CHECK(normwiseError(fast.score, ref.score) <= tol);
  CHECK(normwiseError(fast.shift, ref.shift) <= tol);
  // the far row on its own: its direction and log-sum must be right, not just small in norm
  for (long e = 0; e < c.eval.cols(); ++e) {
    if (c.eval(0, e) < 50.0 * spec.h) continue;
    CHECK((fast.score.col(e) - ref.score.col(e)).norm() <= tol * ref.score.col(e).norm());
    CHECK(std::abs(fast.log_sum[e] - ref.log_sum[e]) <= tol * std::abs(ref.log_sum[e]));
  }
}

}  // namespace

TEST_CASE("vexp float32 matches std::exp to 1e-6 relative over the log-kernel range [-87.3, 0] and beyond") {
  double worst = 0.0;
  for (int i = 0; i <= 200000; ++i) {
    const float x = -87.3f + 176.0f * float(i) / 200000.0f;  // [-87.3, 88.7]
    if (x > 88.0f) break;
    const double ref = std::exp(double(x));
    worst = std::max(worst, std::abs(double(simd::vexpScalar<float>(x)) - ref) / ref);
  }
  CHECK(worst <= 1e-6);
  CHECK(simd::vexpScalar<float>(-88.5f) == 0.0f);  // flushed, never a denormal
  CHECK(simd::vexpScalar<float>(-std::numeric_limits<float>::infinity()) == 0.0f);
  CHECK(simd::vexpScalar<float>(0.0f) == doctest::Approx(1.0).epsilon(1e-7));
}

TEST_CASE("vexp float64 matches std::exp to 1e-14 relative over [-708, 709]") {
  double worst = 0.0;
  for (int i = 0; i <= 200000; ++i) {
    const double x = -708.0 + 1417.0 * double(i) / 200000.0;
    const double ref = std::exp(x);
    worst = std::max(worst, std::abs(simd::vexpScalar<double>(x) - ref) / ref);
  }
  CHECK(worst <= 1e-14);
  CHECK(simd::vexpScalar<double>(-800.0) == 0.0);
}

TEST_CASE("vlog matches std::log over 1e-30 .. 1e30 (float 1e-6, double 1e-14 of max(1, |log x|))") {
  double worst_f = 0.0, worst_d = 0.0;
  for (int i = 0; i <= 100000; ++i) {
    const double x = std::pow(10.0, -30.0 + 60.0 * double(i) / 100000.0);
    const double ref = std::log(x);
    const double scale = std::max(1.0, std::abs(ref));
    const float xf = float(x);
    worst_f = std::max(worst_f, std::abs(double(simd::vlogScalar<float>(xf)) - std::log(double(xf))) / scale);
    worst_d = std::max(worst_d, std::abs(simd::vlogScalar<double>(x) - ref) / scale);
  }
  CHECK(worst_f <= 1e-6);
  CHECK(worst_d <= 1e-14);
}

TEST_CASE("ThreadPool parallelFor visits every index exactly once in contiguous chunks") {
  ThreadPool pool(3);
  CHECK(pool.size() == 3);
  for (long n : {0L, 1L, 2L, 7L, 1000L, 100003L}) {
    std::vector<std::atomic<int>> hits(static_cast<std::size_t>(n));
    std::atomic<int> chunks{0};
    pool.parallelFor(0, n, [&](long lo, long hi, int) {
      CHECK(lo < hi);
      chunks.fetch_add(1);
      for (long i = lo; i < hi; ++i) hits[std::size_t(i)].fetch_add(1);
    });
    for (long i = 0; i < n; ++i) CHECK(hits[std::size_t(i)].load() == 1);
    CHECK(chunks.load() <= 3);
  }
  // min_chunk keeps small ranges on one thread
  std::atomic<int> chunks{0};
  pool.parallelFor(10, 20, [&](long, long, int) { chunks.fetch_add(1); }, 64);
  CHECK(chunks.load() == 1);
}

TEST_CASE("ThreadPool: nested calls run inline, exceptions propagate, concurrent callers are serialized") {
  ThreadPool pool(2);
  std::atomic<long> total{0};
  pool.parallelFor(0, 4, [&](long lo, long hi, int) {
    for (long i = lo; i < hi; ++i)
      pool.parallelFor(0, 100, [&](long a, long b, int) { total.fetch_add(b - a); });
  });
  CHECK(total.load() == 400);

  CHECK_THROWS_AS(pool.parallelFor(0, 1000, [](long lo, long, int) {
    if (lo > 0) throw std::runtime_error("chunk failed");
  }), std::runtime_error);
  // the pool still works after an exception
  std::atomic<long> after{0};
  pool.parallelFor(0, 1000, [&](long lo, long hi, int) { after.fetch_add(hi - lo); });
  CHECK(after.load() == 1000);

  std::atomic<long> sum_a{0}, sum_b{0};
  auto work = [&](std::atomic<long>& sum) {
    for (int rep = 0; rep < 50; ++rep)
      pool.parallelFor(0, 1000, [&](long lo, long hi, int) {
        long s = 0;
        for (long i = lo; i < hi; ++i) s += i;
        sum.fetch_add(s);
      });
  };
  std::thread other([&] { work(sum_b); });
  work(sum_a);
  other.join();
  CHECK(sum_a.load() == 50L * 999L * 1000L / 2L);
  CHECK(sum_b.load() == 50L * 999L * 1000L / 2L);
}

TEST_CASE("ThreadPoolScope makes a pool current on this thread only") {
  ThreadPool mine(1);
  ThreadPool* before = &currentThreadPool();
  {
    ThreadPoolScope scope(mine);
    CHECK(&currentThreadPool() == &mine);
    ThreadPool* seen_elsewhere = nullptr;
    std::thread t([&] { seen_elsewhere = &currentThreadPool(); });
    t.join();
    CHECK(seen_elsewhere != &mine);
  }
  CHECK(&currentThreadPool() == before);
}

TEST_CASE("exact float32 path matches the float64 reference for every kernel (LOO, far point, d = 1..3)") {
  for (int d = 1; d <= 3; ++d)
    for (KernelKind kind : kAllKernels) {
      KernelSpec spec;
      spec.kind = kind;
      spec.h = 0.3;
      spec.c = 0.7;  // IMQ with log k(0) > 0: the fixed shift is not 0
      checkFastAgainstReference(looCase(d, 300, spec.h), spec, kde::FastPrecision::Float32, 2e-5);
    }
}

TEST_CASE("exact float64 path matches the float64 reference to 1e-11 for every kernel (LOO, far point, d = 1..3)") {
  for (int d = 1; d <= 3; ++d)
    for (KernelKind kind : kAllKernels) {
      KernelSpec spec;
      spec.kind = kind;
      spec.h = 0.3;
      checkFastAgainstReference(looCase(d, 257, spec.h), spec, kde::FastPrecision::Float64, 1e-11);
    }
}

TEST_CASE("exact fast paths with per-source log weights (DM double normalization / Sinkhorn style)") {
  for (KernelKind kind : kAllKernels) {
    Case c;
    c.eval = gaussianCloud(2, 200, 0.0, 0.5, 3);
    c.sources = gaussianCloud(2, 301, 0.2, 0.6, 4);
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-30.0, 5.0);
    for (int s = 0; s < 301; ++s) c.log_weight.push_back(u(rng));
    c.log_weight[7] = -std::numeric_limits<double>::infinity();  // a source switched off
    c.eval(1, 0) = 40.0;                                          // a far row with weights
    KernelSpec spec;
    spec.kind = kind;
    spec.h = 0.25;
    checkFastAgainstReference(c, spec, kde::FastPrecision::Float32, 2e-5);
    checkFastAgainstReference(c, spec, kde::FastPrecision::Float64, 1e-11);
  }
}

TEST_CASE("exact fast paths: empty source set after leave-one-out gives log_sum -inf and zero vectors") {
  Points one(2, 1);
  one << 0.3, -0.2;
  const std::vector<int> ex{0};
  KernelSpec spec;
  const KernelEvaluator kernel(spec, 2);
  ThreadPool pool(2);
  for (auto precision : {kde::FastPrecision::Float32, kde::FastPrecision::Float64}) {
    kde::RowSums out;
    REQUIRE(kde::kdeRowsFast(precision, one, ex, one, kernel, {}, kde::RowOutputs{}, out, pool));
    CHECK(std::isinf(out.log_sum[0]));
    CHECK(out.log_sum[0] < 0);
    CHECK(out.score.norm() == 0.0);
    CHECK(out.shift.norm() == 0.0);
  }
  // a dimension the fast path does not cover is declined (the caller then uses the reference)
  kde::RowSums out;
  CHECK_FALSE(kde::kdeRowsFast(kde::FastPrecision::Float32, Points::Zero(4, 3), {}, Points::Zero(4, 3), kernel, {},
                               kde::RowOutputs{}, out, pool));
}

TEST_CASE("grid path: relative RMS error of the scores per kernel at N = M = 2000 (default presets' shape)") {
  const Points data = ring(2000, 11);
  const Points particles = gaussianCloud(2, 2000, 0.0, 0.5, 12);
  std::vector<int> self(2000);
  for (int i = 0; i < 2000; ++i) self[std::size_t(i)] = i;
  ThreadPool pool(2);
  // bounds ~1.5-2x the measured errors (docs/PERFORMANCE.md) for p-side, q-side (leave-one-out) and
  // v = s_p - s_q; the Laplacian's score is discontinuous at r = 0, which a grid resolves worst
  const double bound_p[] = {1.2e-2, 1e-2, 1e-3, 2e-3, 2e-3, 2e-3};
  const double bound_q[] = {5e-3, 6e-2, 1e-3, 4e-3, 1e-3, 3e-3};
  const double bound_v[] = {1.2e-2, 3e-2, 1e-3, 2e-3, 1e-3, 2e-3};
  const double bound_lse[] = {3e-2, 2e-3, 1e-3, 2e-3, 1e-3, 1e-3};
  for (int k = 0; k < 6; ++k) {
    KernelSpec spec;
    spec.kind = kAllKernels[k];
    spec.h = 0.1;
    const KernelEvaluator kernel(spec, 2);
    kde::RowOutputs what;
    what.shift = false;
    kde::RowSums p_ref, q_ref, p_grid, q_grid;
    REQUIRE(kde::kdeRowsFast(kde::FastPrecision::Float64, particles, {}, data, kernel, {}, what, p_ref, pool));
    REQUIRE(kde::kdeRowsFast(kde::FastPrecision::Float64, particles, self, particles, kernel, {}, what, q_ref, pool));
    REQUIRE(kde::kdeRowsGrid(particles, {}, data, kernel, {}, what, p_grid, pool));
    REQUIRE(kde::kdeRowsGrid(particles, self, particles, kernel, {}, what, q_grid, pool));
    CAPTURE(std::string(kernelName(spec.kind)));
    CHECK(rmsRelative(p_grid.score, p_ref.score) <= bound_p[k]);
    CHECK(rmsRelative(q_grid.score, q_ref.score) <= bound_q[k]);
    // forward-KL velocity s_p - s_q (the quantity the flow uses)
    CHECK(rmsRelative(p_grid.score - q_grid.score, p_ref.score - q_ref.score) <= bound_v[k]);
    // log-sums: RMS absolute error (log p_hat is what the f-divergence weights use)
    CHECK(std::sqrt((p_grid.log_sum - p_ref.log_sum).squaredNorm() / 2000.0) <= bound_lse[k]);
  }
}

TEST_CASE("grid path: a row far from every source is recomputed exactly, weights and shift are honoured") {
  Points data = ring(500, 21);
  Points eval = gaussianCloud(2, 50, 0.0, 0.5, 22);
  eval(0, 0) = 3.0;  // ~20 h from the nearest data point: the grid total underflows there
  KernelSpec spec;
  spec.h = 0.1;
  const KernelEvaluator kernel(spec, 2);
  std::vector<double> lw(500);
  for (int s = 0; s < 500; ++s) lw[std::size_t(s)] = 0.01 * s;
  ThreadPool pool(2);
  kde::RowSums ref, grid;
  kde::GridStats stats;
  kde::kdeRowsReference(eval, {}, data, kernel, lw, kde::RowOutputs{}, ref);
  REQUIRE(kde::kdeRowsGrid(eval, {}, data, kernel, lw, kde::RowOutputs{}, grid, pool, {}, &stats));
  CHECK(stats.exact_rows >= 1);
  CHECK((grid.score.col(0) - ref.score.col(0)).norm() <= 1e-4 * ref.score.col(0).norm());
  CHECK(grid.log_sum[0] == doctest::Approx(ref.log_sum[0]).epsilon(1e-6));
  CHECK(rmsRelative(grid.shift, ref.shift) <= 1e-2);
  // 3-D is declined
  kde::RowSums out;
  CHECK_FALSE(kde::kdeRowsGrid(Points::Zero(3, 4), {}, Points::Zero(3, 4), KernelEvaluator(spec, 3), {},
                               kde::RowOutputs{}, out, pool));
}

TEST_CASE("grid path: the fused p/q pass hands over every row once and matches float64 on both sides") {
  // kdeRowBlocksPQ on the grid path: one geometry, both sums from interleaved nodes in one pass.
  // Stragglers 4-30 h from the data and from the other particles take the Gaussian tail and the
  // exact far-row stages on either side; they are handed over after the fused pass.
  const Points data = ring(2000, 61);
  Points particles = gaussianCloud(2, 2000, 0.0, 0.5, 62);
  const double stragglers[][2] = {{1.55, 0.0}, {1.7, 0.0}, {1.9, 0.05}, {3.0, 0.0}, {0.0, -2.4}};
  for (int i = 0; i < 5; ++i) {
    particles(0, i) = stragglers[i][0];
    particles(1, i) = stragglers[i][1];
  }
  std::vector<int> self(2000);
  for (int i = 0; i < 2000; ++i) self[std::size_t(i)] = i;
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
    for (const kde::RowOutputs what : {kde::RowOutputs{true, false}, kde::RowOutputs{false, true}, kde::RowOutputs{true, true}}) {
      CAPTURE(kernelName(kind));
      CAPTURE(what.score);
      CAPTURE(what.shift);
      KernelSpec spec;
      spec.kind = kind;
      spec.h = 0.1;
      const KernelEvaluator kernel(spec, 2);
      kde::RowSums p_ref, q_ref, p, q;
      kde::kdeRowsReference(particles, {}, data, kernel, {}, what, p_ref);
      kde::kdeRowsReference(particles, self, particles, kernel, {}, what, q_ref);
      p.log_sum.setZero(2000);
      q.log_sum.setZero(2000);
      for (Points* m : {&p.score, &q.score, &p.shift, &q.shift}) m->setZero(2, 2000);
      std::vector<std::atomic<int>> handed(2000);
      kde::kdeRowBlocksPQ(ComputePath::Grid, particles, self, data, particles, kernel, what,
                          [&](const kde::RowBlockPQ& b) {
        CHECK((b.p_score != nullptr) == what.score);
        CHECK((b.p_shift != nullptr) == what.shift);
        for (long i = 0; i < b.count; ++i) {
          const long e = b.row(i);
          ++handed[std::size_t(e)];
          p.log_sum[e] = b.p_log_sum[i];
          q.log_sum[e] = b.q_log_sum[i];
          for (int a = 0; a < 2; ++a) {
            if (what.score) p.score(a, e) = b.p_score[2 * i + a], q.score(a, e) = b.q_score[2 * i + a];
            if (what.shift) p.shift(a, e) = b.p_shift[2 * i + a], q.shift(a, e) = b.q_shift[2 * i + a];
          }
        }
      });
      int once = 0;
      for (const auto& h : handed) once += h.load() == 1;
      CHECK(once == 2000);
      const bool gauss = kind == KernelKind::Gaussian;
      // the bounds of the per-kernel test above (the Laplacian's score is discontinuous at r = 0)
      if (what.score) {
        CHECK(rmsRelative(p.score, p_ref.score) <= (gauss ? 1.2e-2 : 1e-2));
        CHECK(rmsRelative(q.score, q_ref.score) <= (gauss ? 5e-3 : 6e-2));
      }
      if (what.shift) {
        CHECK(rmsRelative(p.shift, p_ref.shift) <= 1.2e-2);
        CHECK(rmsRelative(q.shift, q_ref.shift) <= 1e-2);
      }
      CHECK(std::sqrt((p.log_sum - p_ref.log_sum).squaredNorm() / 2000.0) <= 3e-2);
      CHECK(std::sqrt((q.log_sum - q_ref.log_sum).squaredNorm() / 2000.0) <= 3e-2);
      // the stragglers, row by row
      for (int i = 0; i < 5; ++i) {
        CAPTURE(i);
        CHECK(std::abs(p.log_sum[i] - p_ref.log_sum[i]) <= 0.05);
        CHECK(std::abs(q.log_sum[i] - q_ref.log_sum[i]) <= 0.05);
        const Points& ps = what.score ? p.score : p.shift;
        const Points& ps_ref = what.score ? p_ref.score : p_ref.shift;
        const Points& qs = what.score ? q.score : q.shift;
        const Points& qs_ref = what.score ? q_ref.score : q_ref.shift;
        CHECK((ps.col(i) - ps_ref.col(i)).norm() <= 1e-2 * ps_ref.col(i).norm());
        // a row dominated by a few sources 2-4 h away: 0.2-2 % depending on where they sit in their cells
        CHECK((qs.col(i) - qs_ref.col(i)).norm() <= 3e-2 * qs_ref.col(i).norm());
      }
    }
  }
}

namespace {
// kdeRowBlocksPQ on the grid path, gathered into full arrays (p log-sum, q log-sum, p score or shift)
struct PairRows {
  Vec p_log, q_log;
  Points p_vec;
};
PairRows gridPairRows(const Points& particles, const std::vector<int>& self, const Points& data, double h,
                      const kde::RowOutputs& what, KernelKind kind = KernelKind::Gaussian) {
  KernelSpec spec;
  spec.kind = kind;
  spec.h = h;
  const KernelEvaluator kernel(spec, 2);
  const long n = particles.cols();
  PairRows r{Vec::Zero(n), Vec::Zero(n), Points::Zero(2, n)};
  kde::kdeRowBlocksPQ(ComputePath::Grid, particles, self, data, particles, kernel, what, [&](const kde::RowBlockPQ& b) {
    for (long i = 0; i < b.count; ++i) {
      const long e = b.row(i);
      r.p_log[e] = b.p_log_sum[i];
      r.q_log[e] = b.q_log_sum[i];
      const double* v = what.score ? b.p_score : b.p_shift;
      r.p_vec(0, e) = v[2 * i];
      r.p_vec(1, e) = v[2 * i + 1];
    }
  });
  return r;
}
bool identical(const PairRows& a, const PairRows& b) {
  return a.p_log == b.p_log && a.q_log == b.q_log && a.p_vec == b.p_vec;
}
}  // namespace

TEST_CASE("grid path: the kept data side is rebuilt when the data's contents, the kernel or the outputs change") {
  // the data-side sums are kept between calls (a flow's data never moves) and compared by contents,
  // never by address: an edit in place must be seen. "fresh" = computed after dropping them.
  Points data = ring(3000, 81);
  const Points particles = gaussianCloud(2, 3000, 0.0, 0.6, 82);
  std::vector<int> self(3000);
  for (int i = 0; i < 3000; ++i) self[std::size_t(i)] = i;
  const kde::RowOutputs score{true, false}, shift{false, true};
  auto fresh = [&](double h, const kde::RowOutputs& what, KernelKind kind = KernelKind::Gaussian) {
    kde::releaseKeptGridSums();
    return gridPairRows(particles, self, data, h, what, kind);
  };
  const PairRows first = gridPairRows(particles, self, data, 0.1, score);
  const PairRows again = gridPairRows(particles, self, data, 0.1, score);  // kept
  CHECK(identical(again, first));
  // one data point moved in place (same matrix, same address) by a fifth of a cell
  const long moved = 17;
  data(0, moved) += 0.1 / 12 / 5;
  const PairRows after_edit = gridPairRows(particles, self, data, 0.1, score);
  CHECK_FALSE(identical(after_edit, first));
  CHECK(identical(after_edit, fresh(0.1, score)));
  // another bandwidth, then other outputs
  const PairRows wider = gridPairRows(particles, self, data, 0.13, score);
  CHECK(identical(wider, fresh(0.13, score)));
  gridPairRows(particles, self, data, 0.13, score);
  const PairRows shifts = gridPairRows(particles, self, data, 0.13, shift);
  CHECK(identical(shifts, fresh(0.13, shift)));
  CHECK_FALSE(shifts.p_vec == wider.p_vec);  // the Gaussian score is the shift / h^2, not the shift
  // two heavy-tailed kernels at one bandwidth share the geometry: only the kernel tells them apart
  gridPairRows(particles, self, data, 0.1, score, KernelKind::StudentT);
  const PairRows cauchy = gridPairRows(particles, self, data, 0.1, score, KernelKind::Cauchy);
  CHECK(identical(cauchy, fresh(0.1, score, KernelKind::Cauchy)));
}

TEST_CASE("grid path through evaluateField: every row-local divergence matches the float64 field") {
  // the plug-in field consumes the fused blocks directly; its error is the grid sums' error
  const Points data = ring(2000, 71);
  Points particles = gaussianCloud(2, 2000, 0.0, 0.5, 72);
  particles(0, 0) = 3.0;  // a straggler: special rows on both sides
  std::vector<int> self(2000);
  for (int i = 0; i < 2000; ++i) self[std::size_t(i)] = i;
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
    for (const char* mix : {"reverse_kl=1,chi2=1", "drift=1", "mmd=1", "forward_kl=1,drift=0.5"}) {
      VelocityOptions opt;
      opt.kernel.kind = kind;
      opt.kernel.h = 0.1;
      opt.weights = DivergenceWeights::parseList(mix);
      CAPTURE(kernelName(kind));
      CAPTURE(mix);
      opt.path = ComputePath::Exact64;
      const FieldResult exact = evaluateField(particles, self, particles, data, opt, FieldRequest{true, false});
      opt.path = ComputePath::Grid;
      const FieldResult grid = evaluateField(particles, self, particles, data, opt, FieldRequest{true, false});
      REQUIRE(grid.v.allFinite());
      CHECK(rmsRelative(grid.v, exact.v) <= (kind == KernelKind::Gaussian ? 2e-2 : 4e-2));
      CHECK(rmsRelative(grid.attraction, exact.attraction) <= 2e-2);
      CHECK((grid.v.col(0) - exact.v.col(0)).norm() <= 2e-2 * exact.v.col(0).norm());
    }
  }
}

TEST_CASE("grid path: many far rows are summed over the node masses and still match the reference") {
  // 2000 rows far from 4000 sources (Gaussian ~13 h, where the FFT total is below round-off;
  // Laplacian ~50 h): 8e6 exact pairs would exceed the far-row budget, so these rows go through the
  // h/6 node masses (Gaussian with the narrowed bandwidth). Before, a strided source subsample gave
  // scores off by 15-35 % on the default presets. The grid's origin sits on the cell lattice, so the
  // errors depend on where the nearest sources fall inside their cells: the whole scene is checked at
  // several sub-cell translations (measured, Gaussian: score RMS 0.9e-3 to 4.1e-3, log total up to 0.37).
  const Points ring_data = ring(4000, 41);
  ThreadPool pool(2);
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
    for (double shift : {0.0, 0.0013, 0.0047, 0.0089}) {
      CAPTURE(kernelName(kind));
      CAPTURE(shift);
      const bool gauss = kind == KernelKind::Gaussian;
      Points eval = gaussianCloud(2, 2000, 0.0, gauss ? 0.1 : 0.3, 42);
      for (long i = 0; i < eval.cols(); ++i) eval(0, i) += gauss ? 2.3 : 6.0;
      eval.array() += shift;
      const Points data = ring_data.array() + shift;
      KernelSpec spec;
      spec.kind = kind;
      spec.h = 0.1;
      const KernelEvaluator kernel(spec, 2);
      kde::RowSums ref, grid;
      kde::GridStats stats;
      kde::kdeRowsReference(eval, {}, data, kernel, {}, kde::RowOutputs{true, true}, ref);
      REQUIRE(kde::kdeRowsGrid(eval, {}, data, kernel, {}, kde::RowOutputs{true, true}, grid, pool, {}, &stats));
      CHECK(stats.exact_rows >= eval.cols() - 5);  // (a few rows nearest the data are still resolvable)
      CHECK(rmsRelative(grid.score, ref.score) <= 6e-3);
      CHECK(rmsRelative(grid.shift, ref.shift) <= 6e-3);
      double max_log_error = 0.0;
      for (long i = 0; i < eval.cols(); ++i)
        max_log_error = std::max(max_log_error, std::abs(grid.log_sum[i] - ref.log_sum[i]));
      // the totals of such rows are only good to tens of percent (the node blur is a tent, not a
      // Gaussian, that far into the tail); they enter the fields only through density ratios, which
      // the ratio clamp saturates at these distances
      CHECK(max_log_error <= (gauss ? 0.5 : 5e-3));
    }
  }
}

TEST_CASE("grid path: many isolated particles leaving themselves out match the reference") {
  // 1600 particles on a jittered lattice 8 h apart (each far from all others) plus a dense cloud:
  // 1600 x 4600 exact pairs exceed the far-row budget, so the isolated rows sum over node masses
  // without their own sources plus exact sums among themselves
  std::mt19937_64 rng(51);
  std::normal_distribution<double> jitter(0.0, 0.1);
  Points particles(2, 4600);
  for (int i = 0; i < 1600; ++i) {
    particles(0, i) = 0.8 * (i % 40) - 16.0 + jitter(rng);
    particles(1, i) = 0.8 * (i / 40) - 16.0 + jitter(rng);
  }
  particles.rightCols(3000) = gaussianCloud(2, 3000, 0.3, 0.5, 52);
  std::vector<int> self(4600);
  for (int i = 0; i < 4600; ++i) self[std::size_t(i)] = i;
  KernelSpec spec;
  spec.h = 0.1;
  const KernelEvaluator kernel(spec, 2);
  ThreadPool pool(2);
  kde::RowSums ref, grid;
  kde::GridStats stats;
  kde::kdeRowsReference(particles, self, particles, kernel, {}, kde::RowOutputs{true, false}, ref);
  REQUIRE(kde::kdeRowsGrid(particles, self, particles, kernel, {}, kde::RowOutputs{true, false}, grid, pool, {}, &stats));
  CHECK(stats.exact_rows >= 1500);
  const Points ref_iso = ref.score.leftCols(1600), grid_iso = grid.score.leftCols(1600);
  CHECK(rmsRelative(grid_iso, ref_iso) <= 5e-3);
  double max_log_error = 0.0;
  for (long i = 0; i < 1600; ++i) max_log_error = std::max(max_log_error, std::abs(grid.log_sum[i] - ref.log_sum[i]));
  CHECK(max_log_error <= 0.2);  // totals of far rows: a few to ~15 % (grid_kde.hpp); scores are what moves particles
  CHECK(rmsRelative(grid.score.rightCols(3000), ref.score.rightCols(3000)) <= 1e-2);
}

TEST_CASE("compute path names round-trip, auto picks by size and dimension") {
  for (ComputePath p : {ComputePath::Exact64, ComputePath::Exact32, ComputePath::Grid, ComputePath::Auto})
    CHECK(parseComputePath(computePathName(p)) == p);
  CHECK(std::string(computePathName(ComputePath::Exact32)) == "exact");
  CHECK_THROWS_AS(parseComputePath("fast"), InvalidArgument);
  CHECK(resolveComputePath(ComputePath::Auto, 2, 100, 100) == ComputePath::Exact64);
  CHECK(resolveComputePath(ComputePath::Auto, 2, 4096, 8192) == ComputePath::Exact32);
  CHECK(resolveComputePath(ComputePath::Auto, 2, 1000000, 1000000) == ComputePath::Grid);
  CHECK(resolveComputePath(ComputePath::Auto, 3, 1000000, 1000000) == ComputePath::Exact32);
  CHECK(resolveComputePath(ComputePath::Grid, 3, 10, 10) == ComputePath::Exact32);
  CHECK(resolveComputePath(ComputePath::Exact64, 2, 1000000, 1000000) == ComputePath::Exact64);
  // the user is told when the chosen grid cannot run (the CLI's stderr, the app's path combo)
  CHECK(computePathNote(ComputePath::Grid, 64) ==
        "path grid: the grid covers 2-D data only; this 64-D run uses the exact (float32) path");
  CHECK(computePathNote(ComputePath::Grid, 2).empty());
  CHECK(computePathNote(ComputePath::Exact32, 64).empty());
  CHECK(computePathNote(ComputePath::Auto, 3).empty());
}

TEST_CASE("every divergence through evaluateField: exact float32 path agrees with float64 to 1e-4 (LOO, far particle)") {
  const Points data = ring(300, 31);
  Points particles = gaussianCloud(2, 250, 0.0, 0.5, 32);
  particles(0, 5) = 8.0;  // 80 h from the data: far rows on both paths
  std::vector<int> self(250);
  for (int i = 0; i < 250; ++i) self[std::size_t(i)] = i;
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::StudentT}) {
    for (int d = 0; d <= kNumDivergences; ++d) {  // every base field, then the default mixture
      VelocityOptions opt;
      opt.kernel.kind = kind;
      opt.kernel.h = 0.1;
      opt.weights = d < kNumDivergences ? DivergenceWeights::single(static_cast<Divergence>(d))
                                        : DivergenceWeights::mixedDefault();
      opt.path = ComputePath::Exact64;
      const FieldResult f64 = evaluateField(particles, self, particles, data, opt);
      opt.path = ComputePath::Exact32;
      const FieldResult f32 = evaluateField(particles, self, particles, data, opt);
      CAPTURE(std::string(kernelName(kind)));
      CAPTURE(opt.weights.label());
      REQUIRE(f32.v.allFinite());
      CHECK(normwiseError(f32.v, f64.v) <= 1e-4);
    }
  }
}

TEST_CASE("the compute path is an explicit option: float64 by default, the engine passes its run's path") {
  // library calls that name no path get float64 exact sums, bit for bit the same as naming exact64
  const Points data = ring(600, 41);
  const Points particles = gaussianCloud(2, 600, 0.0, 0.5, 42);
  std::vector<int> self(600);
  for (int i = 0; i < 600; ++i) self[std::size_t(i)] = i;
  VelocityOptions opt;
  opt.kernel.h = 0.1;
  CHECK(opt.path == ComputePath::Exact64);
  const Points v_default = evaluateField(particles, self, particles, data, opt).v;
  opt.path = ComputePath::Exact64;
  CHECK((evaluateField(particles, self, particles, data, opt).v - v_default).cwiseAbs().maxCoeff() == 0.0);
  // the option reaches the sums: the grid field is close to the float64 one, but not equal
  opt.path = ComputePath::Grid;
  const Points v_grid = evaluateField(particles, self, particles, data, opt).v;
  CHECK(rmsRelative(v_grid, v_default) > 1e-6);
  CHECK(rmsRelative(v_grid, v_default) < 5e-2);

  // the engine's options carry its parameters' path, and a step moves by the field of that path
  FlowParams params;
  params.samples = 600;
  params.particles = 600;
  params.path = ComputePath::Grid;
  FlowEngine grid_engine(params);
  CHECK(grid_engine.velocityOptions().path == ComputePath::Grid);
  const Points v_engine_grid = particleVelocity(grid_engine.particles(), grid_engine.data(),
                                                grid_engine.velocityOptions());
  (void)grid_engine.step();
  params.path = ComputePath::Exact64;
  FlowEngine exact_engine(params);
  CHECK(exact_engine.velocityOptions().path == ComputePath::Exact64);
  (void)exact_engine.step();
  CHECK((grid_engine.velocities() - v_engine_grid).cwiseAbs().maxCoeff() <= 1e-12 * v_engine_grid.cwiseAbs().maxCoeff());
  CHECK((grid_engine.velocities() - exact_engine.velocities()).cwiseAbs().maxCoeff() >
        1e-6 * v_engine_grid.cwiseAbs().maxCoeff());
}

TEST_CASE("dense kernel rows (d > 3): every kernel matches the float64 reference, threads do not change a bit") {
  for (const int d : {4, 64}) {
    for (const KernelKind kind : kAllKernels) {
      KernelSpec spec;
      spec.kind = kind;
      spec.h = 0.7;
      Case c = looCase(d, 150, spec.h);
      c.log_weight.resize(150);
      for (int s = 0; s < 150; ++s) c.log_weight[std::size_t(s)] = -0.01 * s;
      // far from the origin: the distance expansion is centred, so this costs no digits
      c.eval.array() += 1000.0;
      c.sources.array() += 1000.0;
      const KernelEvaluator kernel(spec, d);
      const kde::RowOutputs what;
      kde::RowSums ref, dense, dense_one;
      kde::kdeRowsReference(c.eval, c.exclude, c.sources, kernel, c.log_weight, what, ref);
      ThreadPool pool(2), single(1);
      REQUIRE(kde::kdeRowsDense(kde::FastPrecision::Float64, c.eval, c.exclude, c.sources, kernel, c.log_weight, what, dense, pool));
      REQUIRE(kde::kdeRowsDense(kde::FastPrecision::Float64, c.eval, c.exclude, c.sources, kernel, c.log_weight, what, dense_one, single));
      CAPTURE(std::string(kernelName(kind)));
      CAPTURE(d);
      CHECK((dense.log_sum - ref.log_sum).cwiseAbs().maxCoeff() <= 1e-10);
      CHECK(normwiseError(dense.score, ref.score) <= 1e-10);
      CHECK(normwiseError(dense.shift, ref.shift) <= 1e-10);
      // the far particle (row 3): its own direction, not only a small error in norm
      CHECK((dense.shift.col(3) - ref.shift.col(3)).norm() <= 1e-10 * ref.shift.col(3).norm());
      CHECK(dense.log_sum == dense_one.log_sum);
      CHECK(dense.score == dense_one.score);
      // the float32 products: the SIMD float32 path's tolerance, threads still not changing a bit
      kde::RowSums dense32, dense32_one;
      REQUIRE(kde::kdeRowsDense(kde::FastPrecision::Float32, c.eval, c.exclude, c.sources, kernel, c.log_weight, what,
                                dense32, pool));
      REQUIRE(kde::kdeRowsDense(kde::FastPrecision::Float32, c.eval, c.exclude, c.sources, kernel, c.log_weight, what,
                                dense32_one, single));
      // a float32 squared distance carries ~1e-7 of its size, so the log-sums are exact to a few
      // 1e-7 of their magnitude (h = 0.7 in d = 64 makes them large: -r^2/2h^2 ~ -100)
      const Eigen::ArrayXd log_scale = 1.0 + ref.log_sum.array().abs();
      // (measured: at most 2e-7 of it over these kernels)
      CHECK(((dense32.log_sum - ref.log_sum).array().abs() / log_scale).maxCoeff() <= 2e-6);
      CHECK(normwiseError(dense32.score, ref.score) <= 2e-5);
      CHECK(normwiseError(dense32.shift, ref.shift) <= 2e-5);
      CHECK(normwiseError(dense32.shift, ref.shift) > 0.0);
      CHECK(dense32.shift == dense32_one.shift);
    }
  }
  // d <= 3 is the SIMD path's; one source left out of one source leaves an empty row
  ThreadPool pool(2);
  kde::RowSums out;
  const KernelEvaluator gauss(KernelSpec{}, 3);
  CHECK_FALSE(kde::kdeRowsDense(kde::FastPrecision::Float64, Points::Zero(3, 2), {}, Points::Zero(3, 2), gauss, {}, kde::RowOutputs{}, out, pool));
  const KernelEvaluator gauss5(KernelSpec{}, 5);
  const std::vector<int> self{0};
  REQUIRE(kde::kdeRowsDense(kde::FastPrecision::Float64, Points::Zero(5, 1), self, Points::Zero(5, 1), gauss5, {}, kde::RowOutputs{}, out, pool));
  CHECK(out.log_sum[0] == -std::numeric_limits<double>::infinity());
  CHECK(out.score.col(0).isZero());
}
