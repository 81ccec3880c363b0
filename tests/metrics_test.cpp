// Metrics of THEORY.md §8 against hand computations, closed forms (§13 items 14 and 15),
// brute-force sums and constructed mode configurations.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/base/thread_pool.hpp"

using namespace driftlab;

namespace {

const double kPi = std::acos(-1.0);

Points pts1d(std::initializer_list<double> v) {
  Points p(1, static_cast<Eigen::Index>(v.size()));
  Eigen::Index i = 0;
  for (double x : v) p(0, i++) = x;
  return p;
}

// normalized Gaussian KDE of set s at z, bandwidth h, optionally leaving out column skip
double kde(const Points& s, const Vec& z, double h, Eigen::Index skip = -1) {
  const double d = static_cast<double>(z.size());
  double sum = 0.0;
  Eigen::Index count = 0;
  for (Eigen::Index j = 0; j < s.cols(); ++j) {
    if (j == skip) continue;
    sum += std::exp(-(s.col(j) - z).squaredNorm() / (2 * h * h));
    ++count;
  }
  return sum / (static_cast<double>(count) * std::pow(2 * kPi * h * h, d / 2));
}

}  // namespace

TEST_CASE("metrics: biased MMD^2 equals the hand-computed V-statistic") {
  // single points (0,0), (1,0), h = 1: 1 + 1 - 2 exp(-1/2)
  Points a(2, 1), b(2, 1);
  a << 0, 0;
  b << 1, 0;
  CHECK(mmd2Biased(a, b, 1.0) == doctest::Approx(2.0 - 2.0 * std::exp(-0.5)).epsilon(1e-14));
  // x = {(0,0), (1,0)}, y = {(0,1)}, h = 0.5 so k = exp(-2 r^2):
  // Kxx = (2 + 2 e^-2) / 4, Kyy = 1, Kxy = (e^-2 + e^-4) / 2
  Points x(2, 2), y(2, 1);
  x << 0, 1, 0, 0;
  y << 0, 1;
  const double expected = (2 + 2 * std::exp(-2.0)) / 4 + 1 - 2 * (std::exp(-2.0) + std::exp(-4.0)) / 2;
  CHECK(mmd2Biased(x, y, 0.5) == doctest::Approx(expected).epsilon(1e-14));
  CHECK(mmd2Biased(y, x, 0.5) == doctest::Approx(expected).epsilon(1e-14));
  // sets 100 bandwidths apart: no cross term left, MMD^2 = 1/N + 1/M for isolated points
  Points far(2, 1);
  far << 10, 0;
  CHECK(mmd2Biased(a, far, 0.1) == doctest::Approx(2.0).epsilon(1e-14));
}

TEST_CASE("metrics: THEORY.md §13 item 14, MMD^2 / energy / sliced W2 are >= 0 and exactly 0 for identical sets") {
  const Points x = sampleDataset("two_moons", 300, 1).points;
  const Points y = sampleDataset("two_moons", 250, 2).points;
  CHECK(mmd2Biased(x, x, 0.1) == 0.0);
  CHECK(energyDistance(x, x) == 0.0);
  CHECK(slicedW2(x, x, 16, 3) == 0.0);
  const Metrics same = computeMetrics(x, x, Points(2, 0), {}, VelocityOptions{}, MetricsOptions{});
  CHECK(same.mmd2 == 0.0);
  CHECK(same.energy == 0.0);
  CHECK(same.sliced_w2 == 0.0);
  CHECK(mmd2Biased(x, y, 0.1) >= 0.0);
  CHECK(energyDistance(x, y) >= 0.0);
  CHECK(slicedW2(x, y, 16, 3) >= 0.0);
  // and positive for clearly different sets
  const Points z = sampleDataset("rings", 300, 1).points;
  CHECK(mmd2Biased(x, z, 0.1) > 1e-3);
  CHECK(energyDistance(x, z) > 1e-3);
  CHECK(slicedW2(x, z, 16, 3) > 1e-2);
}

TEST_CASE("metrics: THEORY.md §13 item 15, int p_hat q_hat by quadrature equals the closed form") {
  // int p_hat q_hat = (1/NM) sum_ij N(x_i - y_j; 0, 2 h^2 I); so ||p_hat - q_hat||^2_L2 equals the
  // biased MMD^2 with kernel exp(-r^2 / 4h^2) (bandwidth sqrt(2) h) divided by 4 pi h^2 (d = 2).
  Points x(2, 4), y(2, 5);
  x << 0.1, -0.4, 0.7, 0.2,  //
      0.3, 0.5, -0.2, -0.6;
  y << -0.3, 0.6, 0.0, 0.45, -0.1,  //
      0.1, 0.2, -0.5, 0.55, 0.8;
  const double h = 0.3;
  double closed_pq = 0.0;
  for (Eigen::Index i = 0; i < x.cols(); ++i)
    for (Eigen::Index j = 0; j < y.cols(); ++j)
      closed_pq += std::exp(-(x.col(i) - y.col(j)).squaredNorm() / (4 * h * h)) / (4 * kPi * h * h);
  closed_pq /= static_cast<double>(x.cols() * y.cols());
  // midpoint rule on [-3, 3]^2 (more than 7 h beyond every point), step h / 10: spectrally
  // accurate for Gaussians
  const double lo = -3.0, step = h / 10.0;
  const int g = static_cast<int>(std::round(6.0 / step));
  double quad_pq = 0.0, quad_l2 = 0.0;
  Vec z(2);
  for (int a = 0; a < g; ++a) {
    for (int b = 0; b < g; ++b) {
      z << lo + (a + 0.5) * step, lo + (b + 0.5) * step;
      const double p = kde(y, z, h), q = kde(x, z, h);
      quad_pq += p * q;
      quad_l2 += (p - q) * (p - q);
    }
  }
  quad_pq *= step * step;
  quad_l2 *= step * step;
  CHECK(quad_pq == doctest::Approx(closed_pq).epsilon(1e-10));
  CHECK(quad_l2 == doctest::Approx(mmd2Biased(x, y, std::sqrt(2.0) * h) / (4 * kPi * h * h)).epsilon(1e-9));
}

TEST_CASE("metrics: energy distance of 1-D sets equals the hand computation") {
  // x = {0, 1}, y = {3}: E|X-Y| = (3 + 2)/2, E|X-X'| = (0+1+1+0)/4, E|Y-Y'| = 0 -> 5 - 0.5 = 4.5
  CHECK(energyDistance(pts1d({0, 1}), pts1d({3})) == doctest::Approx(4.5).epsilon(1e-15));
  // x = {0, 2}, y = {1, 4, 5}:
  // E|X-Y| = (1+4+5 + 1+2+3)/6 = 16/6; E|X-X'| = (2+2)/4 = 1; E|Y-Y'| = 2(3+4+1)/9 = 16/9
  const double expected = 2.0 * 16.0 / 6.0 - 1.0 - 16.0 / 9.0;
  CHECK(energyDistance(pts1d({0, 2}), pts1d({1, 4, 5})) == doctest::Approx(expected).epsilon(1e-15));
}

TEST_CASE("metrics: sliced W2 of a translated copy is the RMS projected length of the shift") {
  const Points x = sampleDataset("eight_gaussians", 400, 4).points;
  const double a = 0.7;
  const Points x_right = x.colwise() + Vec::Unit(2, 0) * a;
  const Points x_up = x.colwise() + Vec::Unit(2, 1) * a;
  // the same seed gives the same directions theta_l, so SW^2(shift t e1) + SW^2(shift t e2)
  // = a^2 mean_l (theta_l1^2 + theta_l2^2) = a^2 exactly, whatever the directions are
  const double sw_r = slicedW2(x, x_right, 32, 77), sw_u = slicedW2(x, x_up, 32, 77);
  CHECK(sw_r * sw_r + sw_u * sw_u == doctest::Approx(a * a).epsilon(1e-12));
  // uniform directions: mean (t . theta)^2 = |t|^2 / 2 (Monte Carlo over 4000 slices)
  const Vec t = Eigen::Vector2d(0.3, -0.4);
  const Points shifted = x.colwise() + t;
  CHECK(slicedW2(x, shifted, 4000, 5) == doctest::Approx(0.5 / std::sqrt(2.0)).epsilon(0.03));
  // in 1-D the only directions are +-1: SW2 = |t| exactly
  const Points line = pts1d({0.3, -1.2, 2.5, 0.0});
  CHECK(slicedW2(line, line.array() + 0.25, 5, 1) == doctest::Approx(0.25).epsilon(1e-14));
}

TEST_CASE("metrics: sliced W2 matches sorted points for N == M and interpolated quantiles for N != M") {
  // sorted x = 1,2,3 vs y = 0,1,5: differences 1, 1, -2 -> sqrt((1 + 1 + 4) / 3)
  CHECK(slicedW2(pts1d({3, 1, 2}), pts1d({0, 5, 1}), 3, 9) == doctest::Approx(std::sqrt(2.0)).epsilon(1e-14));
  // x = {0, 1} vs y = {0, 1, 2, 3} on the grid u = (k + 1/2)/4: Qx(u) at position 2u - 1/2
  // clamped to [0, 1] gives 0, 0.25, 0.75, 1; Qy = 0, 1, 2, 3 -> mean of 0, 0.5625, 1.5625, 4
  CHECK(slicedW2(pts1d({1, 0}), pts1d({3, 0, 2, 1}), 2, 9) == doctest::Approx(std::sqrt(1.53125)).epsilon(1e-14));
  CHECK(slicedW2(pts1d({3, 0, 2, 1}), pts1d({1, 0}), 2, 9) == doctest::Approx(std::sqrt(1.53125)).epsilon(1e-14));
}

TEST_CASE("metrics: modes covered on constructed sets") {
  Points centres(2, 3);
  centres << 0, 1, 0,  //
      0, 0, 1;
  const std::vector<double> w = {0.5, 0.25, 0.25};
  auto around = [&](std::initializer_list<int> counts) {
    std::vector<Eigen::Vector2d> cols;
    int k = 0;
    for (int c : counts) {
      for (int i = 0; i < c; ++i) cols.push_back(centres.col(k) + Eigen::Vector2d(0.01 * i, -0.02));
      ++k;
    }
    Points p(2, static_cast<Eigen::Index>(cols.size()));
    for (std::size_t i = 0; i < cols.size(); ++i) p.col(static_cast<Eigen::Index>(i)) = cols[i];
    return p;
  };
  // N = 8, thresholds 0.5 w N = 2, 1, 1 (reaching the threshold exactly counts)
  CHECK(modesCovered(around({2, 1, 5}), centres, w) == 3);
  CHECK(modesCovered(around({1, 2, 5}), centres, w) == 2);
  CHECK(modesCovered(around({8, 0, 0}), centres, w) == 1);
  CHECK(modesCovered(around({0, 0, 8}), centres, w) == 1);
  // all particles collapsed between modes go to the nearest centre only
  Points mid(2, 10);
  mid.setConstant(0.4);
  mid.row(1).setConstant(0.1);  // nearest is (0,0)
  CHECK(modesCovered(mid, centres, w) == 1);
  // not a mixture: -1; inconsistent inputs throw
  CHECK(modesCovered(mid, Points(2, 0), {}) == -1);
  CHECK_THROWS_AS(modesCovered(mid, centres, {0.5, 0.5}), InvalidArgument);
}

TEST_CASE("metrics: KDE estimates of KL and chi2 match brute-force density sums") {
  // the last particle is isolated (its leave-one-out sum is ~e^-80 of the self term)
  Points x(2, 6), y(2, 6);
  x << 0.1, -0.2, 0.4, 0.25, -0.05, 1.2,  //
      0.0, 0.3, -0.1, 0.2, -0.3, 1.2;
  y << 0.0, 0.2, -0.3, 0.35, 0.1, -0.15,  //
      0.1, -0.2, 0.15, 0.05, 0.3, -0.05;
  VelocityOptions flow;
  flow.kernel.h = 0.2;
  MetricsOptions opt;
  opt.reference_h = 0.15;
  const Metrics m = computeMetrics(x, y, Points(2, 0), {}, flow, opt);
  double kl_qp = 0, kl_pq = 0, chi2 = 0;
  for (Eigen::Index i = 0; i < x.cols(); ++i) {
    const double q = kde(x, x.col(i), 0.15, i), p = kde(y, x.col(i), 0.15);
    kl_qp += std::log(q / p) / 6.0;
    chi2 += q / p / 6.0;
  }
  for (Eigen::Index j = 0; j < y.cols(); ++j) {
    const double p = kde(y, y.col(j), 0.15, j), q = kde(x, y.col(j), 0.15);
    kl_pq += std::log(p / q) / 6.0;
  }
  CHECK(m.kl_qp == doctest::Approx(kl_qp).epsilon(1e-12));
  CHECK(m.kl_pq == doctest::Approx(kl_pq).epsilon(1e-12));
  CHECK(m.chi2 == doctest::Approx(chi2 - 1.0).epsilon(1e-12));
  // the other columns are the individual estimators on the same (unsubsampled) sets
  CHECK(m.mmd2 == doctest::Approx(mmd2Biased(x, y, 0.15)).epsilon(1e-13));
  CHECK(m.energy == doctest::Approx(energyDistance(x, y)).epsilon(1e-13));
  CHECK(m.sliced_w2 == slicedW2(x, y, opt.slices, opt.seed));
  CHECK(m.modes_covered == -1);
  CHECK(m.modes_total == 0);
}

TEST_CASE("metrics: KDE estimates stay finite for particles 100 bandwidths from the data") {
  Points x(2, 3), y(2, 3);
  x << 10, 10.05, 10.1,  //
      0, 0.02, -0.03;
  y << 0, 0.05, -0.04,  //
      0, 0.03, 0.01;
  VelocityOptions flow;
  MetricsOptions opt;
  opt.reference_h = 0.1;
  const Metrics m = computeMetrics(x, y, Points(2, 0), {}, flow, opt);
  CHECK(std::isfinite(m.kl_qp));
  CHECK(std::isfinite(m.kl_pq));
  // log q - log p ~ |x - y|^2 / 2h^2 ~ 5000 at every particle
  CHECK(m.kl_qp > 4500.0);
  CHECK(m.kl_pq > 4500.0);
  CHECK(m.mmd2 == doctest::Approx(mmd2Biased(x, y, 0.1)).epsilon(1e-14));
}

TEST_CASE("metrics: subsampling is deterministic and mode coverage uses the mixture") {
  const Dataset ds = sampleDataset("eight_gaussians", 3000, 1);
  const Dataset q = sampleDataset("eight_gaussians", 2500, 2);
  VelocityOptions flow;
  MetricsOptions opt;
  opt.max_points = 400;
  opt.slices = 8;
  const Metrics a = computeMetrics(q.points, ds.points, ds.mode_centres, ds.mode_weights, flow, opt);
  const Metrics b = computeMetrics(q.points, ds.points, ds.mode_centres, ds.mode_weights, flow, opt);
  CHECK(a.mmd2 == b.mmd2);
  CHECK(a.energy == b.energy);
  CHECK(a.sliced_w2 == b.sliced_w2);
  CHECK(a.kl_qp == b.kl_qp);
  CHECK(a.modes_covered == 8);
  CHECK(a.modes_total == 8);
  opt.seed = 999;
  const Metrics c = computeMetrics(q.points, ds.points, ds.mode_centres, ds.mode_weights, flow, opt);
  CHECK(c.mmd2 != a.mmd2);
  // two samples of the same law: small compared with a far blob, which sits next to one mode
  const Points blob = initialParticles("far", 2500, 2, ds.points);
  opt.seed = 12345;
  const Metrics d = computeMetrics(blob, ds.points, ds.mode_centres, ds.mode_weights, flow, opt);
  CHECK(d.mmd2 > 10 * a.mmd2);
  CHECK(d.energy > 10 * a.energy);
  CHECK(d.sliced_w2 > 5 * a.sliced_w2);
  CHECK(d.modes_covered == 1);
}

TEST_CASE("metrics: CSV columns and row formatting") {
  CHECK(metricsColumns() == std::vector<std::string>{"step", "time", "mmd2", "energy", "sliced_w2", "kl_qp", "kl_pq",
                                                     "chi2", "modes_covered", "objective"});
  Metrics m;
  m.step = 12;
  m.time = 0.5;
  m.mmd2 = 1.25e-3;
  m.energy = 2.0 / 3.0;
  m.sliced_w2 = 0.1;
  m.kl_qp = -0.25;
  m.kl_pq = 3.0;
  m.chi2 = 1e20;
  m.modes_covered = 7;
  m.objective = std::nan("");
  CHECK(formatMetricsRow(m) == "12,0.5,0.00125,0.6666666667,0.1,-0.25,3,1e+20,7,nan");
  m.objective = -std::nan("");
  CHECK(formatMetricsRow(m).substr(formatMetricsRow(m).size() - 4) == ",nan");
}

TEST_CASE("metrics: invalid inputs throw naming the field") {
  const Points x = Points::Zero(2, 3), y = Points::Ones(2, 3);
  CHECK_THROWS_WITH_AS(mmd2Biased(x, y, 0.0), doctest::Contains("bandwidth"), InvalidArgument);
  CHECK_THROWS_AS(energyDistance(x, Points::Zero(3, 2)), InvalidArgument);
  CHECK_THROWS_AS(slicedW2(x, Points(2, 0), 4, 1), InvalidArgument);
  CHECK_THROWS_AS(slicedW2(x, y, 0, 1), InvalidArgument);
  VelocityOptions flow;
  MetricsOptions opt;
  opt.reference_h = -1;
  CHECK_THROWS_WITH_AS(computeMetrics(x, y, Points(2, 0), {}, flow, opt), doctest::Contains("metrics.reference_h"),
                       InvalidArgument);
}

TEST_CASE("metrics: results do not depend on the number of threads") {
  const Dataset ds = sampleDataset("twenty_five_gaussians", 700, 3);
  const Points x = initialParticles("gaussian", 650, 4, ds.points);
  VelocityOptions flow;
  MetricsOptions opt;
  opt.slices = 16;
  auto run = [&](int threads) {
    ThreadPool pool(threads);
    ThreadPoolScope scope(pool);
    return computeMetrics(x, ds.points, ds.mode_centres, ds.mode_weights, flow, opt);
  };
  const Metrics one = run(1), four = run(4);
  CHECK(one.mmd2 == four.mmd2);
  CHECK(one.energy == four.energy);
  CHECK(one.sliced_w2 == four.sliced_w2);
  CHECK(one.kl_qp == four.kl_qp);
  CHECK(one.kl_pq == four.kl_pq);
  CHECK(one.chi2 == four.chi2);
  CHECK(one.modes_covered == four.modes_covered);
}

TEST_CASE("metrics: a single particle and a single data point give the closed forms") {
  // no leave-one-out possible with one point: the full KDE is used, so
  // log q(x) - log p(x) = r^2 / 2h^2 = log p(y) - log q(y), chi2 = e^(r^2/2h^2) - 1
  Points x(2, 1), y(2, 1);
  x << 0.3, 0.1;
  y << 0.0, -0.1;
  const double r2 = 0.3 * 0.3 + 0.2 * 0.2, h = 0.2, a = r2 / (2 * h * h);
  VelocityOptions flow;
  MetricsOptions opt;
  opt.reference_h = h;
  const Metrics m = computeMetrics(x, y, Points(2, 0), {}, flow, opt);
  CHECK(m.kl_qp == doctest::Approx(a).epsilon(1e-13));
  CHECK(m.kl_pq == doctest::Approx(a).epsilon(1e-13));
  CHECK(m.chi2 == doctest::Approx(std::exp(a) - 1.0).epsilon(1e-13));
  CHECK(m.mmd2 == doctest::Approx(2.0 - 2.0 * std::exp(-a)).epsilon(1e-13));
  CHECK(m.energy == doctest::Approx(2.0 * std::sqrt(r2)).epsilon(1e-13));
  CHECK(m.sliced_w2 <= std::sqrt(r2) + 1e-15);
}
