// Velocity fields against independent brute-force double loops (tests/math_brute_force.hpp), for every
// kernel, divergence, leave-one-out setting, mixtures, multi-scale, Alg. 2, Sinkhorn, d = 1 and d = 3,
// plus options validation and degenerate inputs. THEORY.md §4.2, §4.4, §4.6, §5.2, §5.3, §6, §3.6.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/velocity.hpp"
#include "math_brute_force.hpp"

using namespace driftlab;

namespace {

constexpr KernelKind kKinds[] = {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::Matern32,
                                 KernelKind::StudentT, KernelKind::IMQ,       KernelKind::Cauchy};
constexpr Divergence kSimple[] = {Divergence::Drift,      Divergence::ForwardKL, Divergence::ReverseKL,
                                  Divergence::Chi2,       Divergence::Chi2Reverse, Divergence::Hellinger,
                                  Divergence::JS,         Divergence::Alpha,     Divergence::MMD};

VelocityOptions options(KernelKind kind, double h, Divergence t, bool loo) {
  VelocityOptions o;
  o.kernel.kind = kind;
  o.kernel.h = h;
  o.kernel.beta = 1.5;
  o.kernel.c = 0.9;
  o.weights = DivergenceWeights::single(t);
  o.leave_one_out = loo;
  o.alpha = 0.3;
  return o;
}

bf::Opts bfOpts(const VelocityOptions& o) {
  bf::Opts b;
  b.loo = o.leave_one_out;
  b.alpha = o.alpha;
  b.chi2_full = o.chi2 == Chi2Convention::Full;
  b.rmin = o.ratio_min;
  b.rmax = o.ratio_max;
  return b;
}

}  // namespace

TEST_CASE("every kernel x simple field x leave-one-out matches the brute-force double loop (2-D)") {
  const Points x = bf::randomPoints(2, 37, -1.0, 1.0, 1u);
  const Points y = bf::randomPoints(2, 43, -0.8, 1.2, 2u);
  // evaluation points: the particles themselves plus 5 free points (self_index -1)
  Points eval(2, 42);
  eval << x, bf::randomPoints(2, 5, -1.5, 1.5, 3u);
  std::vector<int> self = bf::iota(37);
  self.insert(self.end(), 5, -1);
  for (KernelKind kind : kKinds)
    for (Divergence t : kSimple)
      for (bool loo : {true, false}) {
        const VelocityOptions o = options(kind, 0.4, t, loo);
        const FieldResult r = evaluateField(eval, self, x, y, o);
        const Points ref = bf::field(t, eval, self, x, y, o.kernel, bfOpts(o));
        const std::string kname = kernelName(kind);
        CAPTURE(kname);
        const std::string dname = divergenceName(t);
        CAPTURE(dname);
        CAPTURE(loo);
        CHECK(bf::relErr(r.v, ref) < 1e-12);
      }
}

TEST_CASE("fields work in d = 1 and d = 3 and match the brute-force loop") {
  for (int d : {1, 3}) {
    const Points x = bf::randomPoints(d, 21, -1.0, 1.0, 7u);
    const Points y = bf::randomPoints(d, 26, -0.7, 1.3, 8u);
    for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian, KernelKind::StudentT})
      for (Divergence t : {Divergence::Drift, Divergence::ReverseKL, Divergence::Chi2, Divergence::MMD}) {
        const VelocityOptions o = options(kind, 0.5, t, true);
        const Points v = particleVelocity(x, y, o);
        CAPTURE(d);
        const std::string kname = kernelName(kind);
        CAPTURE(kname);
        const std::string dname = divergenceName(t);
        CAPTURE(dname);
        CHECK(v.rows() == d);
        CHECK(bf::relErr(v, bf::field(t, x, bf::iota(21), x, y, o.kernel, bfOpts(o))) < 1e-12);
      }
  }
}

TEST_CASE("a weighted mixture equals the weighted sum of its brute-force terms, with a consistent breakdown") {
  const Points x = bf::randomPoints(2, 30, -1.0, 1.0, 4u);
  const Points y = bf::randomPoints(2, 35, -1.0, 1.0, 5u);
  VelocityOptions o = options(KernelKind::Gaussian, 0.3, Divergence::ReverseKL, true);
  o.weights = DivergenceWeights::parseList("reverse_kl=1,chi2=0.5,mmd=2,drift=0.25");
  FieldRequest req;
  req.breakdown = true;
  const FieldResult r = evaluateField(x, bf::iota(30), x, y, o, req);
  Points ref = Points::Zero(2, 30);
  REQUIRE(r.terms.size() == 4);
  for (std::size_t k = 0; k < r.terms.size(); ++k) {
    const Points term = o.weights[r.terms[k]] * bf::field(r.terms[k], x, bf::iota(30), x, y, o.kernel, bfOpts(o));
    CHECK(bf::relErr(r.per_term[k], term) < 1e-12);
    ref += term;
  }
  CHECK(bf::relErr(r.v, ref) < 1e-12);
  CHECK(bf::relErr(r.attraction + r.repulsion, r.v) < 1e-14);
  // the default mixture with the Full chi2 convention is (p/q + q/p) times the forward-KL field
  o.weights = DivergenceWeights::mixedDefault();
  const Points mixed = particleVelocity(x, y, o);
  o.weights = DivergenceWeights::single(Divergence::ForwardKL);
  const Points fkl = particleVelocity(x, y, o);
  const Points rev = bf::field(Divergence::ReverseKL, x, bf::iota(30), x, y, o.kernel, bfOpts(o));
  for (long i = 0; i < 30; ++i) {
    const double inv_rho = rev.col(i).norm() / fkl.col(i).norm();  // p/q
    CHECK((mixed.col(i) - (inv_rho + 1.0 / inv_rho) * fkl.col(i)).norm() < 1e-10 * mixed.col(i).norm());
  }
}

TEST_CASE("attraction is the data part and repulsion the particle part of the drift field") {
  const Points x = bf::randomPoints(2, 12, -1.0, 1.0, 9u);
  const Points y = bf::randomPoints(2, 15, -1.0, 1.0, 10u);
  const VelocityOptions o = options(KernelKind::Laplacian, 0.3, Divergence::Drift, true);
  FieldRequest req;
  req.breakdown = true;
  const FieldResult r = evaluateField(x, bf::iota(12), x, y, o, req);
  for (long i = 0; i < 12; ++i) {
    const bf::Sums p = bf::sums(x.col(i), y, -1, o.kernel);
    const bf::Sums q = bf::sums(x.col(i), x, int(i), o.kernel);
    CHECK((r.attraction.col(i) - p.m / p.s).norm() < 1e-13);
    CHECK((r.repulsion.col(i) + q.m / q.s).norm() < 1e-13);
  }
}

TEST_CASE("multi-scale: each scale divided by its RMS over the particles, then summed") {
  const Points x = bf::randomPoints(2, 25, -1.0, 1.0, 11u);
  const Points y = bf::randomPoints(2, 30, -1.0, 1.0, 12u);
  VelocityOptions o = options(KernelKind::Laplacian, 0.05, Divergence::Drift, true);
  o.extra_bandwidths = {0.2, 0.6};
  Points ref = Points::Zero(2, 25);
  std::vector<double> norms_ref;
  for (double h : {0.05, 0.2, 0.6}) {
    KernelSpec ks = o.kernel;
    ks.h = h;
    const Points f = bf::field(Divergence::Drift, x, bf::iota(25), x, y, ks, bfOpts(o));
    const double rms = std::sqrt(f.squaredNorm() / 25.0);
    norms_ref.push_back(rms);
    ref += f / rms;
  }
  const std::vector<double> norms = multiScaleNorms(x, y, o);
  REQUIRE(norms.size() == 3);
  for (int s = 0; s < 3; ++s) CHECK(norms[std::size_t(s)] == doctest::Approx(norms_ref[std::size_t(s)]).epsilon(1e-12));
  CHECK(bf::relErr(particleVelocity(x, y, o), ref) < 1e-12);
  // at free points the RMS still comes from the particles; passing the norms in gives the same field
  const Points free_pts = bf::randomPoints(2, 6, -1.0, 1.0, 13u);
  const FieldResult a = evaluateField(free_pts, {}, x, y, o);
  const FieldResult b = evaluateField(free_pts, {}, x, y, o, {}, norms);
  Points ref_free = Points::Zero(2, 6);
  for (int s = 0; s < 3; ++s) {
    KernelSpec ks = o.kernel;
    ks.h = s == 0 ? 0.05 : (s == 1 ? 0.2 : 0.6);
    ref_free += bf::field(Divergence::Drift, free_pts, {}, x, y, ks, bfOpts(o)) / norms_ref[std::size_t(s)];
  }
  CHECK(bf::relErr(a.v, ref_free) < 1e-12);
  CHECK(bf::relErr(b.v, ref_free) < 1e-12);
  // a single scale is never normalized
  o.extra_bandwidths.clear();
  CHECK(bf::relErr(particleVelocity(x, y, o), bf::field(Divergence::Drift, x, bf::iota(25), x, y, o.kernel, bfOpts(o))) <
        1e-12);
}

TEST_CASE("drift_double (Alg. 2) matches the literal matrix algorithm, masked and unmasked, at particles and free points") {
  const Points x = bf::randomPoints(2, 20, -1.0, 1.0, 14u);
  const Points y = bf::randomPoints(2, 24, -0.5, 1.5, 15u);
  Points eval(2, 23);
  eval << x, bf::randomPoints(2, 3, -1.0, 1.0, 16u);
  std::vector<int> self = bf::iota(20);
  self.insert(self.end(), 3, -1);
  for (KernelKind kind : {KernelKind::Laplacian, KernelKind::Gaussian, KernelKind::StudentT})
    for (bool mask : {true, false}) {
      const VelocityOptions o = options(kind, 0.3, Divergence::DriftDouble, mask);
      const Points v = evaluateField(eval, self, x, y, o).v;
      const std::string kname = kernelName(kind);
      CAPTURE(kname);
      CAPTURE(mask);
      CHECK(bf::relErr(v, bf::alg2(eval, self, x, y, o.kernel, mask)) < 1e-12);
    }
}

TEST_CASE("Sinkhorn drift matches plain Sinkhorn scaling with barycentric maps for 0, 1, 3 and 20 iterations") {
  const Points x = bf::randomPoints(2, 15, -1.0, 1.0, 17u);
  const Points y = bf::randomPoints(2, 18, -0.6, 1.4, 18u);
  for (int iters : {0, 1, 3, 20})
    for (bool mask : {true, false}) {
      VelocityOptions o = options(KernelKind::Laplacian, 0.5, Divergence::Sinkhorn, mask);  // kernel kind unused
      o.sinkhorn_iterations = iters;
      const double eps = 0.25;
      const Points ref = bf::sinkhornMap(x, y, eps, false, iters) - bf::sinkhornMap(x, x, eps, mask, iters);
      CAPTURE(iters);
      CAPTURE(mask);
      CHECK(bf::relErr(particleVelocity(x, y, o), ref) < 1e-10);
    }
}

TEST_CASE("N = 1 with leave-one-out: q-side terms vanish and every field stays finite") {
  Points x(2, 1);
  x << 0.2, -0.1;
  const Points y = bf::randomPoints(2, 10, -1.0, 1.0, 19u);
  for (int k = 0; k < kNumDivergences; ++k) {
    VelocityOptions o = options(KernelKind::Gaussian, 0.3, static_cast<Divergence>(k), true);
    FieldRequest req;
    req.densities = true;
    req.breakdown = true;
    const FieldResult r = evaluateField(x, std::vector<int>{0}, x, y, o, req);
    const std::string dname = divergenceName(static_cast<Divergence>(k));
    CAPTURE(dname);
    CHECK(r.v.allFinite());
    CHECK(r.repulsion.norm() == 0.0);
    CHECK(r.log_q[0] == -INFINITY);
    CHECK(std::isfinite(r.log_p[0]));
  }
  // forward KL with no q-side: the velocity is the data score
  const VelocityOptions o = options(KernelKind::Gaussian, 0.3, Divergence::ForwardKL, true);
  const bf::Sums p = bf::sums(x.col(0), y, -1, o.kernel);
  CHECK((particleVelocity(x, y, o).col(0) - p.g / p.s).norm() < 1e-13);
}

TEST_CASE("densities: normalized log KDEs, leave-one-out at particles, NaN for a non-integrable kernel") {
  const Points x = bf::randomPoints(2, 9, -1.0, 1.0, 20u);
  const Points y = bf::randomPoints(2, 11, -1.0, 1.0, 21u);
  VelocityOptions o = options(KernelKind::Matern32, 0.4, Divergence::ForwardKL, true);
  FieldRequest req;
  req.densities = true;
  const FieldResult r = evaluateField(x, bf::iota(9), x, y, o, req);
  const double z = 6 * std::numbers::pi * 0.16;
  for (long i = 0; i < 9; ++i) {
    CHECK(r.log_p[i] == doctest::Approx(std::log(bf::sums(x.col(i), y, -1, o.kernel).s / (11 * z))).epsilon(1e-13));
    CHECK(r.log_q[i] == doctest::Approx(std::log(bf::sums(x.col(i), x, int(i), o.kernel).s / (8 * z))).epsilon(1e-13));
  }
  o.kernel.kind = KernelKind::Cauchy;
  const FieldResult c = evaluateField(x, bf::iota(9), x, y, o, req);
  CHECK(std::isnan(c.log_p[0]));
  CHECK(c.v.allFinite());
}

TEST_CASE("exact smoothed mode: d = 3 and non-integrable kernels are rejected with a clear message") {
  const Points x3 = bf::randomPoints(3, 5, -1.0, 1.0, 22u);
  VelocityOptions o = options(KernelKind::Gaussian, 0.3, Divergence::ForwardKL, true);
  o.mode = VelocityMode::ExactSmoothed;
  CHECK_THROWS_WITH_AS(particleVelocity(x3, x3, o), "velocity: the exact smoothed mode supports d = 1 or 2 (got d = 3)",
                       InvalidArgument);
  const Points x2 = bf::randomPoints(2, 5, -1.0, 1.0, 23u);
  o.kernel.kind = KernelKind::Cauchy;
  CHECK_THROWS_WITH_AS(particleVelocity(x2, x2, o),
                       "velocity: the exact smoothed mode needs an integrable kernel ('cauchy' is not integrable in 2-D)",
                       InvalidArgument);
}

TEST_CASE("exact smoothed mode in 2-D equals the kernel-smoothed plug-in field summed over its grid") {
  const Points x = bf::randomPoints(2, 8, -0.5, 0.5, 24u);
  const Points y = bf::randomPoints(2, 9, -0.5, 0.6, 25u);
  VelocityOptions o = options(KernelKind::Gaussian, 0.35, Divergence::ReverseKL, true);
  o.mode = VelocityMode::ExactSmoothed;
  o.smoothed_grid = 40;
  const Points v = particleVelocity(x, y, o);
  // rebuild the grid: box padded by the Gaussian tail radius sqrt(2 log 1e10) h
  const double pad = std::sqrt(2.0 * std::log(1e10)) * 0.35;
  double lo[2], step[2];
  for (int a = 0; a < 2; ++a) {
    lo[a] = std::min(x.row(a).minCoeff(), y.row(a).minCoeff()) - pad;
    step[a] = (std::max(x.row(a).maxCoeff(), y.row(a).maxCoeff()) + pad - lo[a]) / 39.0;
  }
  Points nodes(2, 1600);
  for (int b = 0; b < 40; ++b)
    for (int a = 0; a < 40; ++a) nodes.col(b * 40 + a) << lo[0] + a * step[0], lo[1] + b * step[1];
  bf::Opts bo = bfOpts(o);
  const Points node_v = bf::field(Divergence::ReverseKL, nodes, {}, x, y, o.kernel, bo);
  const double z = 2 * std::numbers::pi * 0.35 * 0.35;
  Points ref = Points::Zero(2, 8);
  for (long i = 0; i < 8; ++i)
    for (long k = 0; k < nodes.cols(); ++k)
      ref.col(i) += bf::kval(o.kernel, 2, (x.col(i) - nodes.col(k)).norm()) * node_v.col(k) * step[0] * step[1] / z;
  CHECK(bf::relErr(v, ref) < 1e-6);  // 1e-6: the pad is found by bisection, not the closed form
}

TEST_CASE("validateVelocityOptions names the field and the value") {
  VelocityOptions o;
  CHECK_NOTHROW(validateVelocityOptions(o));
  o.kernel.h = -0.1;
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "kernel.h: must be > 0 and finite (got -0.1)", InvalidArgument);
  o = VelocityOptions{};
  o.weights[Divergence::Chi2] = -1;
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "weights.chi2: must be >= 0 and finite (got -1)", InvalidArgument);
  o = VelocityOptions{};
  o.weights = DivergenceWeights{};
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "weights: all zero (at least one must be > 0)", InvalidArgument);
  o = VelocityOptions{};
  o.extra_bandwidths = {0.1, 0};
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "extra_bandwidths[1]: must be > 0 and finite (got 0)",
                       InvalidArgument);
  o = VelocityOptions{};
  o.ratio_min = 2e6;
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "ratio_min: must be > 0 and < ratio_max (got 2e+06)",
                       InvalidArgument);
  o = VelocityOptions{};
  o.alpha = NAN;
  CHECK_THROWS_AS(validateVelocityOptions(o), InvalidArgument);
  o = VelocityOptions{};
  o.smoothed_grid = 4;
  CHECK_THROWS_WITH_AS(validateVelocityOptions(o), "smoothed_grid: must be in [8, 100000] (got 4)", InvalidArgument);
  o = VelocityOptions{};
  o.sinkhorn_iterations = -1;
  CHECK_THROWS_AS(validateVelocityOptions(o), InvalidArgument);
}

TEST_CASE("evaluateField rejects empty data, mismatched dimensions and bad self indices") {
  const Points x = bf::randomPoints(2, 4, -1.0, 1.0, 26u);
  const Points y3 = bf::randomPoints(3, 4, -1.0, 1.0, 27u);
  const VelocityOptions o;
  CHECK_THROWS_WITH_AS(evaluateField(x, {}, x, Points(2, 0), o), "velocity: data is empty (need at least one point)",
                       InvalidArgument);
  CHECK_THROWS_AS(evaluateField(x, {}, x, y3, o), InvalidArgument);
  const std::vector<int> bad{0, 1, 2, 7};
  CHECK_THROWS_WITH_AS(evaluateField(x, bad, x, x, o), "velocity: self_index[3] = 7 is not a particle index or -1",
                       InvalidArgument);
  const std::vector<int> short_idx{0};
  CHECK_THROWS_AS(evaluateField(x, short_idx, x, x, o), InvalidArgument);
  // no evaluation points: an empty result, no error
  CHECK(evaluateField(Points(2, 0), {}, x, x, o).v.cols() == 0);
}

TEST_CASE("divergence names, weight lists and labels round-trip, bad lists name the entry") {
  for (int k = 0; k < kNumDivergences; ++k) {
    const auto d = static_cast<Divergence>(k);
    CHECK(parseDivergence(divergenceName(d)) == d);
    CHECK(DivergenceWeights::fromName(divergenceName(d)).label() == divergenceName(d));
  }
  const DivergenceWeights mixed = DivergenceWeights::fromName("mixed");
  CHECK(mixed.label() == "mixed(reverse_kl=1,chi2=0.5)");
  CHECK(DivergenceWeights::parseList(mixed.toList()).w == mixed.w);
  DivergenceWeights odd;
  odd[Divergence::MMD] = 0.1 + 0.2;
  odd[Divergence::JS] = 1.0 / 3.0;
  CHECK(DivergenceWeights::parseList(odd.toList()).w == odd.w);
  CHECK_FALSE(odd.isSingle());
  CHECK(DivergenceWeights::parseList(" chi2 = 2 ").isSingle());
  CHECK_THROWS_WITH_AS(DivergenceWeights::parseList("chi2=-1"), "weights.chi2: must be >= 0 and finite (got -1)",
                       InvalidArgument);
  CHECK_THROWS_WITH_AS(DivergenceWeights::parseList("chi2=0"), "weights: all zero (at least one must be > 0)",
                       InvalidArgument);
  CHECK_THROWS_WITH_AS(DivergenceWeights::parseList("chi2"), "weights: bad entry 'chi2' (expected name=value)",
                       InvalidArgument);
  CHECK_THROWS_WITH_AS(DivergenceWeights::parseList("chi2=abc"), "weights.chi2: not a number (got 'abc')",
                       InvalidArgument);
  CHECK_THROWS_AS(DivergenceWeights::parseList("chi3=1"), InvalidArgument);
  CHECK_THROWS_AS(DivergenceWeights::parseList("chi2=1,chi2=2"), InvalidArgument);
  CHECK_THROWS_WITH_AS(parseDivergence("kl"),
                       "divergence: unknown 'kl' (expected one of drift, drift_double, forward_kl, reverse_kl, chi2, "
                       "chi2_reverse, hellinger, js, alpha, mmd, sinkhorn, or mixed)",
                       InvalidArgument);
  CHECK(isFDivergence(Divergence::Hellinger));
  CHECK_FALSE(isFDivergence(Divergence::MMD));
  CHECK_THROWS_AS(fDivergenceWeight(Divergence::MMD, 1.0, 0.5, Chi2Convention::Full), InvalidArgument);
}

TEST_CASE("a non-finite evaluation point gets a NaN velocity, never a silent zero") {
  Points x = bf::randomPoints(2, 6, -1.0, 1.0, 28u);
  const Points y = bf::randomPoints(2, 7, -1.0, 1.0, 29u);
  x(0, 2) = NAN;
  for (Divergence t : {Divergence::Drift, Divergence::ForwardKL, Divergence::MMD, Divergence::Chi2}) {
    const Points v = particleVelocity(x, y, options(KernelKind::Gaussian, 0.3, t, true));
    const std::string dname = divergenceName(t);
    CAPTURE(dname);
    CHECK(std::isnan(v(0, 2)));
    CHECK_FALSE(v.allFinite());
  }
}
