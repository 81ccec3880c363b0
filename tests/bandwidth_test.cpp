// Bandwidth rules and the annealing / spectral facts of THEORY.md §3.2-§3.5, §13 item 25.
#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <string>

#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/field/spectral.hpp"

using namespace driftlab;

TEST_CASE("Silverman bandwidth in 2-D is sigma_hat n^(-1/6), sigma_hat the mean per-axis std") {
  // axis 0: {0, 1, 2, 3} -> std sqrt(5/3); axis 1: {0, 0, 2, 2} -> std sqrt(4/3)
  Points p(2, 4);
  p << 0, 1, 2, 3, 0, 0, 2, 2;
  const double sigma = 0.5 * (std::sqrt(5.0 / 3.0) + std::sqrt(4.0 / 3.0));
  CHECK(silvermanBandwidth(p) == doctest::Approx(sigma * std::pow(4.0, -1.0 / 6.0)).epsilon(1e-14));
}

TEST_CASE("Silverman bandwidth in 1-D is (4/3)^(1/5) sigma n^(-1/5) ~ 1.06 sigma n^(-1/5)") {
  Points p(1, 5);
  p << -2, -1, 0, 1, 2;  // std sqrt(10/4)
  const double expected = std::pow(4.0 / 3.0, 0.2) * std::sqrt(2.5) * std::pow(5.0, -0.2);
  CHECK(silvermanBandwidth(p) == doctest::Approx(expected).epsilon(1e-14));
  CHECK(std::pow(4.0 / 3.0, 0.2) == doctest::Approx(1.0592).epsilon(1e-4));
}

TEST_CASE("Silverman bandwidth rejects fewer than 2 points and zero spread") {
  Points one(2, 1);
  one << 0.5, 0.5;
  CHECK_THROWS_AS(silvermanBandwidth(one), InvalidArgument);
  Points same(2, 3);
  same.setConstant(0.25);
  CHECK_THROWS_AS(silvermanBandwidth(same), InvalidArgument);
}

TEST_CASE("median heuristic: median pairwise distance / sqrt(2 log(n + 1))") {
  // 1-D points 0, 1 (particles) and 3 (data): distances 1, 3, 2 -> median 2, n = 3
  Points x(1, 2), y(1, 1);
  x << 0, 1;
  y << 3;
  CHECK(medianHeuristicBandwidth(x, y) == doctest::Approx(2.0 / std::sqrt(2.0 * std::log(4.0))).epsilon(1e-14));
  // the subsample is deterministic: same answer twice, and max_points limits the work
  Points big(2, 3000);
  for (long j = 0; j < big.cols(); ++j) big.col(j) << std::sin(0.37 * double(j)), std::cos(1.3 * double(j));
  const double h1 = medianHeuristicBandwidth(big, big, 200);
  CHECK(h1 == medianHeuristicBandwidth(big, big, 200));
  CHECK(h1 > 0.0);
}

TEST_CASE("THEORY 13.25: annealing starts at h0, never increases and respects the floor") {
  const double h0 = 0.3, rate = 0.7, floor = 0.05;
  CHECK(annealedBandwidth(h0, rate, floor, 0.0) == h0);
  double prev = h0;
  for (int k = 1; k <= 200; ++k) {
    const double h = annealedBandwidth(h0, rate, floor, 0.05 * k);
    CHECK(h <= prev);
    CHECK(h >= floor);
    prev = h;
  }
  CHECK(prev == floor);
  CHECK(annealedBandwidth(h0, rate, floor, 1.0) == doctest::Approx(h0 * std::exp(-0.7)).epsilon(1e-15));
}

TEST_CASE("THEORY 13.25: the Gaussian linear rate is maximal at |omega| = sqrt(2)/h with value 2/e") {
  const double h = 0.13;
  const double w_star = std::sqrt(2.0) / h;
  CHECK(gaussianLinearRate(h, w_star) == doctest::Approx(2.0 / std::numbers::e).epsilon(1e-14));
  // a scan finds nothing larger, and the derivative changes sign at w_star
  for (int k = 1; k <= 4000; ++k) CHECK(gaussianLinearRate(h, 0.01 * k) <= 2.0 / std::numbers::e + 1e-15);
  CHECK(gaussianLinearRate(h, w_star * (1 - 1e-4)) < gaussianLinearRate(h, w_star));
  CHECK(gaussianLinearRate(h, w_star * (1 + 1e-4)) < gaussianLinearRate(h, w_star));
  // exponentially slow at high frequency, polynomially slow for the Laplacian
  CHECK(gaussianLinearRate(h, 10.0 / h) < 1e-19);
  CHECK(laplacianLinearRate(h, 10.0 / h, 2) > 1e-4);
}

TEST_CASE("resolveBandwidths follows the rule") {
  Points x(2, 3), y(2, 4);
  x << 0, 1, 2, 0, 1, 0;
  y << 0, 1, 2, 3, 1, 0, 1, 0;
  BandwidthSpec s;
  s.h = 0.2;
  CHECK(resolveBandwidths(s, x, y, 5.0) == std::vector<double>{0.2});
  s.rule = BandwidthRule::Silverman;
  CHECK(resolveBandwidths(s, x, y, 0.0) == std::vector<double>{silvermanBandwidth(y)});
  s.rule = BandwidthRule::Median;
  CHECK(resolveBandwidths(s, x, y, 0.0) == std::vector<double>{medianHeuristicBandwidth(x, y)});
  s.rule = BandwidthRule::Anneal;
  CHECK(resolveBandwidths(s, x, y, 2.0)[0] == annealedBandwidth(0.2, s.anneal_rate, s.h_min, 2.0));
  s.rule = BandwidthRule::MultiScale;
  CHECK(resolveBandwidths(s, x, y, 0.0) == s.scales);
}

TEST_CASE("bandwidth rule names round-trip, bad specs name the field") {
  for (BandwidthRule r : {BandwidthRule::Fixed, BandwidthRule::Silverman, BandwidthRule::Median, BandwidthRule::Anneal,
                          BandwidthRule::MultiScale})
    CHECK(parseBandwidthRule(bandwidthRuleName(r)) == r);
  CHECK_THROWS_WITH_AS(parseBandwidthRule("silverman2"),
                       "bandwidth: unknown rule 'silverman2' (expected one of fixed, silverman, median, anneal, multiscale)",
                       InvalidArgument);
  BandwidthSpec s;
  s.h = 0;
  CHECK_THROWS_WITH_AS(validateBandwidthSpec(s), "bandwidth.h: must be > 0 and finite (got 0)", InvalidArgument);
  s.h = 0.1;
  s.anneal_rate = -1;
  CHECK_THROWS_WITH_AS(validateBandwidthSpec(s), "bandwidth.anneal_rate: must be >= 0 and finite (got -1)",
                       InvalidArgument);
  s.anneal_rate = 0.5;
  s.scales = {0.1, -0.2};
  CHECK_THROWS_WITH_AS(validateBandwidthSpec(s), "bandwidth.scales[1]: must be > 0 and finite (got -0.2)",
                       InvalidArgument);
  s.scales = {};
  s.rule = BandwidthRule::MultiScale;
  CHECK_THROWS_AS(validateBandwidthSpec(s), InvalidArgument);
  s.rule = BandwidthRule::Fixed;
  CHECK_NOTHROW(validateBandwidthSpec(s));
}
