// Tests of app/ui/plot_math.cpp: 1-2-5 ticks (linear and log), degenerate ranges, labels,
// auto ranges, nearest sample and min/max decimation (STYLE.md L13).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <vector>

#include "../plot_math.hpp"
#include "../../render/arrow_reference.hpp"  // GUI-free, header-only: the canvas arrows' scale

using namespace driftlab::app::ui;

namespace {

// mantissa of a positive number in [1, 10)
double mantissa(double v) { return v / std::pow(10.0, std::floor(std::log10(v) + 1e-12)); }

bool isOneTwoFive(double step) {
  const double m = mantissa(step);
  return std::fabs(m - 1) < 1e-9 || std::fabs(m - 2) < 1e-9 || std::fabs(m - 5) < 1e-9;
}

}  // namespace

TEST_CASE("linear ticks of [0, 1] are the multiples of 0.2") {
  CHECK(niceStep(0.0, 1.0, 6) == doctest::Approx(0.2).epsilon(1e-12));
  const auto t = niceTicks(0.0, 1.0, false, 6);
  REQUIRE(t.size() == 6);
  for (int i = 0; i < 6; ++i) CHECK(t[i] == doctest::Approx(0.2 * i).epsilon(1e-12).scale(1.0));
  CHECK(t[0] == 0.0);  // exactly zero, not 1e-17
}

TEST_CASE("linear ticks are 1-2-5 multiples inside the range, between 2 and max_ticks of them") {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> centre(-1e4, 1e4), log_span(-8.0, 6.0);
  for (int trial = 0; trial < 2000; ++trial) {
    const double span = std::pow(10.0, log_span(rng));
    const double lo = centre(rng) * std::min(1.0, span), hi = lo + span;
    const int max_ticks = 6 + trial % 5;
    const auto t = niceTicks(lo, hi, false, max_ticks);
    const double step = niceStep(lo, hi, max_ticks);
    REQUIRE(isOneTwoFive(step));
    REQUIRE(t.size() >= 2);
    REQUIRE(static_cast<int>(t.size()) <= max_ticks);
    for (std::size_t i = 0; i < t.size(); ++i) {
      CHECK(t[i] >= lo - 1e-9 * span);
      CHECK(t[i] <= hi + 1e-9 * span);
      CHECK(std::fabs(t[i] / step - std::round(t[i] / step)) < 1e-6);  // a multiple of the step
      if (i > 0) CHECK(t[i] - t[i - 1] == doctest::Approx(step).epsilon(1e-6));
    }
  }
}

TEST_CASE("log ticks over six decades are the decades 1e-6 .. 1") {
  const auto t = niceTicks(1e-6, 1.0, true, 8);
  REQUIRE(t.size() == 7);
  for (int i = 0; i < 7; ++i) CHECK(t[i] == doctest::Approx(std::pow(10.0, i - 6)).epsilon(1e-9));
}

TEST_CASE("log ticks over many decades skip decades but stay whole powers of ten") {
  const auto t = niceTicks(1e-12, 1e3, true, 6);  // 16 decades, stride 3
  REQUIRE(t.size() >= 2);
  CHECK(static_cast<int>(t.size()) <= 6);
  for (double v : t) {
    const double e = std::log10(v);
    CHECK(std::fabs(e - std::round(e)) < 1e-9);
    CHECK(static_cast<long>(std::lround(e)) % 3 == 0);
  }
  CHECK(t.front() == doctest::Approx(1e-12).epsilon(1e-9));
  CHECK(t.back() == doctest::Approx(1e3).epsilon(1e-9));
}

TEST_CASE("log ticks under two decades use 1-2-5 mantissas") {
  const auto t = niceTicks(0.3, 4.0, true, 8);
  REQUIRE(t.size() == 3);
  CHECK(t[0] == doctest::Approx(0.5).epsilon(1e-12));
  CHECK(t[1] == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(t[2] == doctest::Approx(2.0).epsilon(1e-12));
}

TEST_CASE("log ticks of a range inside one 1-2-5 gap fall back to linear steps") {
  const auto t = niceTicks(3.0, 4.0, true, 6);  // no 1, 2 or 5 x 10^k in [3, 4]
  REQUIRE(t.size() >= 2);
  for (double v : t) {
    CHECK(v >= 3.0 - 1e-12);
    CHECK(v <= 4.0 + 1e-12);
  }
}

TEST_CASE("degenerate ranges are widened, never empty for finite input") {
  const auto one = niceTicks(5.0, 5.0, false, 6);  // widened to [4.5, 5.5]
  REQUIRE(one.size() >= 2);
  CHECK(one.front() >= 4.5 - 1e-12);
  CHECK(one.back() <= 5.5 + 1e-12);
  CHECK(std::find_if(one.begin(), one.end(), [](double v) { return std::fabs(v - 5.0) < 1e-12; }) != one.end());

  const auto zero = niceTicks(0.0, 0.0, false, 5);  // [-1, 1]
  REQUIRE(zero.size() >= 2);
  CHECK(zero.front() == doctest::Approx(-1.0).epsilon(1e-12));
  CHECK(zero.back() == doctest::Approx(1.0).epsilon(1e-12));

  const auto swapped = niceTicks(1.0, 0.0, false, 6);
  CHECK(swapped == niceTicks(0.0, 1.0, false, 6));

  CHECK(niceTicks(NAN, NAN, false, 6).empty());
  CHECK(niceTicks(0.0, INFINITY, false, 6).size() >= 2);  // repaired to a band around 0

  const auto log_one = niceTicks(5.0, 5.0, true, 6);  // [2.5, 10]: 5 and 10
  REQUIRE(log_one.size() == 2);
  CHECK(log_one[0] == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(log_one[1] == doctest::Approx(10.0).epsilon(1e-12));

  const auto log_neg = niceTicks(-3.0, -1.0, true, 6);  // nothing positive: the decades of [0.1, 10]
  REQUIRE(log_neg.size() >= 2);
  for (double v : log_neg) CHECK(v > 0);

  const auto log_zero_lo = niceTicks(0.0, 100.0, true, 8);  // lo <= 0 on a log axis: [0.1, 100]
  REQUIRE(log_zero_lo.size() >= 2);
  for (double v : log_zero_lo) CHECK(v > 0);
  CHECK(log_zero_lo.back() == doctest::Approx(100.0).epsilon(1e-12));
}

TEST_CASE("tick labels are short and tell neighbouring ticks apart") {
  CHECK(formatTick(0.0, 0.2) == "0");
  CHECK(formatTick(0.2, 0.2) == "0.2");
  CHECK(formatTick(2000.0, 1000.0) == "2000");
  CHECK(formatTick(1e-5, 0.0) == "1e-05");
  CHECK(formatTick(1.5e6, 5e5) == "1.5e+06");
  CHECK(formatTick(-0.05, 0.05) == "-0.05");
  for (double lo : {0.0, 0.123, 1234.5, 1e-4, 2.5e7}) {
    for (double span : {1e-3, 0.3, 7.0, 1e4}) {
      const auto t = niceTicks(lo, lo + span * std::max(1.0, lo), false, 8);
      const double step = t.size() > 1 ? t[1] - t[0] : 0.0;
      std::set<std::string> labels;
      for (double v : t) labels.insert(formatTick(v, step));
      CHECK(labels.size() == t.size());
    }
  }
}

TEST_CASE("autoRange skips non-finite values and, on log axes, non-positive ones") {
  double lo = 0, hi = 0;
  const std::vector<double> a{1.0, 2.0, NAN, 3.0, INFINITY};
  REQUIRE(autoRange(a.data(), static_cast<int>(a.size()), false, 0.0, lo, hi));
  CHECK(lo == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(hi == doctest::Approx(3.0).epsilon(1e-12));
  REQUIRE(autoRange(a.data(), static_cast<int>(a.size()), false, 0.1, lo, hi));
  CHECK(lo == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(hi == doctest::Approx(3.2).epsilon(1e-12));

  const std::vector<double> b{-1.0, 0.0, 0.01, 100.0};
  REQUIRE(autoRange(b.data(), static_cast<int>(b.size()), true, 0.0, lo, hi));
  CHECK(lo == doctest::Approx(0.01).epsilon(1e-9));
  CHECK(hi == doctest::Approx(100.0).epsilon(1e-9));

  const std::vector<double> c{-1.0, 0.0};
  CHECK_FALSE(autoRange(c.data(), static_cast<int>(c.size()), true, 0.0, lo, hi));
  CHECK(lo > 0);
  CHECK(hi > lo);

  const std::vector<double> flat{2.0, 2.0};  // a flat series gets a visible band
  REQUIRE(autoRange(flat.data(), 2, false, 0.0, lo, hi));
  CHECK(lo < 2.0);
  CHECK(hi > 2.0);
}

TEST_CASE("nearestIndex finds the closest x in a sorted array") {
  const std::vector<double> xs{0.0, 1.0, 2.0, 10.0};
  CHECK(nearestIndex(xs.data(), 4, -5.0) == 0);
  CHECK(nearestIndex(xs.data(), 4, 0.4) == 0);
  CHECK(nearestIndex(xs.data(), 4, 0.6) == 1);
  CHECK(nearestIndex(xs.data(), 4, 5.9) == 2);
  CHECK(nearestIndex(xs.data(), 4, 6.1) == 3);
  CHECK(nearestIndex(xs.data(), 4, 99.0) == 3);
  CHECK(nearestIndex(xs.data(), 0, 1.0) == -1);
}

TEST_CASE("decimation keeps every column's min and max and bounds the point count") {
  // a random walk of 100000 samples over x in [0, 1000), 200 columns
  std::mt19937_64 rng(3);
  std::normal_distribution<double> g(0.0, 1.0);
  const int n = 100000, columns = 200;
  std::vector<double> xs(n), ys(n);
  double y = 0;
  for (int i = 0; i < n; ++i) {
    xs[i] = i * 0.01;
    y += g(rng);
    ys[i] = y;
  }
  DecimatedSeries d;
  decimateMinMax(xs.data(), ys.data(), n, 0.0, xs.back(), columns, false, d);
  CHECK(d.runCount() == 1);
  CHECK(static_cast<int>(d.points.size()) <= 4 * columns + 2);
  CHECK(d.points.size() >= 2u * columns);  // at least min and max of each column
  // x order is kept
  for (std::size_t i = 1; i < d.points.size(); ++i) CHECK(d.points[i].x >= d.points[i - 1].x);
  // every column's brute-force min and max are among the output points
  const double w = xs.back() / columns;
  for (int c = 0; c < columns; ++c) {
    double mn = INFINITY, mx = -INFINITY;
    for (int i = 0; i < n; ++i) {
      const int ci = std::min(static_cast<int>(xs[i] / xs.back() * columns), columns - 1);
      if (ci != c) continue;
      mn = std::min(mn, ys[i]);
      mx = std::max(mx, ys[i]);
    }
    bool has_min = false, has_max = false;
    for (const auto& p : d.points) {
      if (p.x < c * w - 1e-9 || p.x > (c + 1) * w + 1e-9) continue;
      has_min = has_min || p.y == mn;
      has_max = has_max || p.y == mx;
    }
    CHECK(has_min);
    CHECK(has_max);
  }
  // first and last sample survive
  CHECK(d.points.front().x == xs.front());
  CHECK(d.points.back().x == xs.back());
}

TEST_CASE("decimation of a short series returns it unchanged") {
  const std::vector<double> xs{0, 1, 2, 3, 4}, ys{5, -1, 3, 2, 8};
  DecimatedSeries d;
  decimateMinMax(xs.data(), ys.data(), 5, 0.0, 4.0, 400, false, d);
  REQUIRE(d.points.size() == 5);
  REQUIRE(d.runCount() == 1);
  for (int i = 0; i < 5; ++i) {
    CHECK(d.points[i].x == xs[i]);
    CHECK(d.points[i].y == ys[i]);
  }
}

TEST_CASE("decimation on a log axis leaves a gap at non-positive values and takes log10") {
  const std::vector<double> xs{0, 1, 2, 3, 4, 5}, ys{1, 10, -1, 100, 1000, NAN};
  DecimatedSeries d;
  decimateMinMax(xs.data(), ys.data(), 6, 0.0, 5.0, 100, true, d);
  REQUIRE(d.runCount() == 2);
  REQUIRE(d.points.size() == 4);
  CHECK(d.run_starts[1] == 2);
  CHECK(d.runEnd(0) == 2);
  CHECK(d.runEnd(1) == 4);
  CHECK(d.points[0].y == doctest::Approx(0.0).epsilon(1e-12).scale(1.0));
  CHECK(d.points[1].y == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(d.points[2].y == doctest::Approx(2.0).epsilon(1e-12));
  CHECK(d.points[3].y == doctest::Approx(3.0).epsilon(1e-12));
  CHECK(d.points[2].x == 3.0);
}

TEST_CASE("decimation stays bounded when a series alternates between valid and invalid values") {
  const int n = 100000, columns = 100;
  std::vector<double> xs(n), ys(n);
  for (int i = 0; i < n; ++i) {
    xs[i] = i;
    ys[i] = (i % 2 == 0) ? 1.0 + i : -1.0;
  }
  DecimatedSeries d;
  decimateMinMax(xs.data(), ys.data(), n, 0.0, n - 1.0, columns, true, d);
  CHECK(static_cast<int>(d.points.size()) <= 8 * columns + 2);
  CHECK(d.runCount() >= 1);
  for (int r = 0; r < d.runCount(); ++r) CHECK(d.runEnd(r) > d.run_starts[r]);  // no empty run
}

TEST_CASE("decimation of a zoomed range keeps one neighbour outside on each side") {
  std::vector<double> xs(100), ys(100);
  for (int i = 0; i < 100; ++i) {
    xs[i] = i;
    ys[i] = i * i;
  }
  DecimatedSeries d;
  decimateMinMax(xs.data(), ys.data(), 100, 10.5, 20.5, 1000, false, d);
  REQUIRE(d.points.size() == 12);  // samples 10 .. 21
  CHECK(d.points.front().x == 10.0);
  CHECK(d.points.back().x == 21.0);
}

TEST_CASE("symlog is odd, linear near 0, log10 far out, and inverted exactly") {
  CHECK(symlog(0.0, 1.0) == 0.0);
  CHECK(symlog(9.0, 1.0) == doctest::Approx(1.0).epsilon(1e-15));     // log10(1 + 9)
  CHECK(symlog(-99.0, 1.0) == doctest::Approx(-2.0).epsilon(1e-15));  // sign kept
  CHECK(symlog(1e-6, 1.0) == doctest::Approx(1e-6 / std::log(10.0)).epsilon(1e-6));  // slope 1/(c ln 10)
  CHECK(symlog(1e13, 0.01) == doctest::Approx(15.0).epsilon(1e-12));  // log10(1 + 1e15)
  for (double y : {-1e13, -3.5, -1e-9, 0.0, 2e-4, 0.7, 42.0, 1e13})
    CHECK(symlogInverse(symlog(y, 0.05), 0.05) == doctest::Approx(y).epsilon(1e-12).scale(1e-12));
  CHECK(axisValue(-1.0, AxisScale::Log, 1.0) != axisValue(-1.0, AxisScale::Log, 1.0));  // NaN: no log of y <= 0
  CHECK(axisValue(100.0, AxisScale::Log, 1.0) == 2.0);
  CHECK(axisInverse(axisValue(-7.0, AxisScale::Symlog, 0.3), AxisScale::Symlog, 0.3) == doctest::Approx(-7.0));
}

TEST_CASE("the scale: log only when every finite value is positive, symlog for signed values spanning decades") {
  const std::vector<double> pos{1e-3, 0.5, 2.0, NAN, INFINITY};
  const std::vector<double> signed_wide{0.5, 0.1, 1e-3, -0.01, 1e-4};
  const std::vector<double> signed_narrow{0.5, -0.2, 0.3};
  auto pick = [](const std::vector<double>& v, bool want) {
    return chooseScale({v.data()}, {static_cast<int>(v.size())}, want);
  };
  CHECK(pick(pos, true) == AxisScale::Log);
  CHECK(pick(pos, false) == AxisScale::Linear);
  CHECK(pick(signed_wide, true) == AxisScale::Symlog);  // 5e-1 / 1e-4 spans > 2 decades
  CHECK(pick(signed_narrow, true) == AxisScale::Linear);
  // two curves on one axis: one negative value anywhere rules out log
  CHECK(chooseScale({pos.data(), signed_narrow.data()}, {5, 3}, true) != AxisScale::Log);
  // c: the 10th percentile of the non-zero |y|: of 1..10 -> index 1 of the sorted -> 2
  std::vector<double> ten;
  for (int i = 1; i <= 10; ++i) ten.push_back(i % 2 ? i : -i);
  ten.push_back(0.0);
  CHECK(symlogConstant({ten.data()}, {static_cast<int>(ten.size())}) == 2.0);
}

TEST_CASE("robust range: one chi2 = 1e13 outlier is clipped instead of squashing the curve") {
  // 100 values 1.00 .. 1.99 and one 1e13 at step 0
  std::vector<double> t{1e13};
  for (int i = 0; i < 100; ++i) t.push_back(1.0 + i / 100.0);
  double lo = 0, hi = 0;
  int clipped = 0;
  REQUIRE(robustRange(t, 0.02, 0.98, 3.0, lo, hi, &clipped));
  // quantiles of the 101 sorted values at (101-1) * 0.02 = 2 and (101-1) * 0.98 = 98: 1.02 and 1.98
  CHECK(lo == doctest::Approx(1.02).epsilon(1e-12));
  CHECK(hi == doctest::Approx(1.98).epsilon(1e-12));
  CHECK(clipped == 4);  // 1.00, 1.01 below; 1.99 and 1e13 above
  // no outlier: the full range, nothing clipped
  std::vector<double> plain(t.begin() + 1, t.end());
  REQUIRE(robustRange(plain, 0.02, 0.98, 3.0, lo, hi, &clipped));
  CHECK(lo == 1.0);
  CHECK(hi == doctest::Approx(1.99).epsilon(1e-15));
  CHECK(clipped == 0);
  // infinities count as clipped; NaN is a gap; nothing finite: false
  std::vector<double> inf{1.0, 2.0, INFINITY, NAN, -INFINITY};
  REQUIRE(robustRange(inf, 0.02, 0.98, 3.0, lo, hi, &clipped));
  CHECK(lo == 1.0);
  CHECK(hi == 2.0);
  CHECK(clipped == 2);
  CHECK_FALSE(robustRange({NAN, INFINITY}, 0.02, 0.98, 3.0, lo, hi));
}

TEST_CASE("marker labels: short, rounded, and placed without overlap") {
  CHECK(shortMarkerLabel("bandwidth=0.5211") == "h 0.52");
  CHECK(shortMarkerLabel("kernel=laplacian") == "kernel laplacian");
  CHECK(shortMarkerLabel("weights.chi2=0") == "chi2 0");
  CHECK(shortMarkerLabel("step=0.0012345") == "eta 0.0012");
  CHECK(shortMarkerLabel("particles=20000") == "N 2e+04");
  CHECK(shortMarkerLabel("divergence=reverse_kl+chi2+hellinger") == "div reverse_kl+c..");
  CHECK(shortMarkerLabel("reset") == "reset");
  // three 40-px labels at x = 100, 110, 300 in [0, 400], two rows, 4 px gap:
  // the first takes row 0, the second overlaps it -> row 1, the third is free in row 0
  std::vector<int> row;
  std::vector<float> left;
  CHECK(placeLabels({100, 110, 300}, {40, 40, 40}, 0, 400, 2, 4, row, left) == 0);
  CHECK(row == std::vector<int>{0, 1, 0});
  // a fourth at 120 finds no room in either row: dropped and counted
  CHECK(placeLabels({100, 110, 300, 120}, {40, 40, 40, 40}, 0, 400, 2, 4, row, left) == 1);
  CHECK(row[3] == -1);
  // near the right edge a label is shifted left to end at x_max
  placeLabels({390}, {40}, 0, 400, 1, 4, row, left);
  CHECK(left[0] == 360.f);
  CHECK(row[0] == 0);
}

TEST_CASE("arrow reference: p90 of |v| over the padded data box, not the canvas where |v| reaches 1e8") {
  using driftlab::app::render::arrowReference;
  // 10 arrows inside the box [0,1]^2 with |v| = 1..10, and 30 far outside with |v| = 1e8
  std::vector<float> bx, by, mag;
  for (int i = 0; i < 10; ++i) {
    bx.push_back(0.1f * static_cast<float>(i));
    by.push_back(0.5f);
    mag.push_back(static_cast<float>(i + 1));
  }
  for (int i = 0; i < 30; ++i) {
    bx.push_back(5.f + static_cast<float>(i));
    by.push_back(-5.f);
    mag.push_back(1e8f);
  }
  const std::array<float, 4> box{0.f, 0.f, 1.f, 1.f};
  // order statistic floor(0.9 * 9) = 8 of 1..10: 9
  const auto r = arrowReference(bx, by, mag, box, 0.1f, 0.9f);
  CHECK(r.in_box);
  CHECK(r.value == 9.f);
  // the padding: an arrow at x = 1.05 (inside 1 + 0.1 + 1e-3) with |v| = 100 joins: 11 values,
  // k = floor(0.9 * 10) = 9 -> 10
  bx.push_back(1.05f);
  by.push_back(0.5f);
  mag.push_back(100.f);
  CHECK(arrowReference(bx, by, mag, box, 0.1f, 0.9f).value == 10.f);
  // over the whole canvas the statistic would be 1e8
  CHECK(arrowReference(bx, by, mag, std::nullopt, 0.1f, 0.9f).value == 1e8f);
  // no arrow in the box: all arrows, and the flag says so
  const std::array<float, 4> elsewhere{100.f, 100.f, 101.f, 101.f};
  const auto all = arrowReference(bx, by, mag, elsewhere, 0.1f, 0.9f);
  CHECK_FALSE(all.in_box);
  CHECK(all.value == 1e8f);
}
