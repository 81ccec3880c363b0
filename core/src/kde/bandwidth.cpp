// Bandwidth rules: fixed, Silverman, median heuristic, annealing, multi-scale.
// THEORY.md §3.2 (Silverman), §3.3 (median), §3.4 (annealing), §3.6 (multi-scale). Pure; any thread.
#include "driftlab/kde/bandwidth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/io/name_table.hpp"

namespace driftlab {

namespace {

constexpr NamedValue<BandwidthRule> kRuleNames[] = {
    {BandwidthRule::Fixed, "fixed"},   {BandwidthRule::Silverman, "silverman"},   {BandwidthRule::Median, "median"},
    {BandwidthRule::Anneal, "anneal"}, {BandwidthRule::MultiScale, "multiscale"}};

std::string fmtValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void checkPositive(double v, const std::string& field) {
  if (!(v > 0.0) || !std::isfinite(v))
    detail::throwInvalidArgument(field + ": must be > 0 and finite (got " + fmtValue(v) + ")");
}

}  // namespace

// h(t) = max(h0 exp(-r t), h_min), THEORY.md §3.4 [arXiv:2603.09936]
double annealedBandwidth(double h0, double rate, double h_min, double t) {
  return std::max(h0 * std::exp(-rate * t), h_min);
}

// Silverman's rule of thumb for a Gaussian KDE in d dimensions, THEORY.md §3.2:
// h = sigma_hat n^(-1/(d+4)) (4/(d+2))^(1/(d+4)), sigma_hat = mean over axes of the sample std (n - 1).
double silvermanBandwidth(const Points& points) {
  const long n = points.cols();
  const long d = points.rows();
  DRIFTLAB_CHECK(n >= 2 && d >= 1, "silverman bandwidth: needs at least 2 points (got " + std::to_string(n) + ")");
  double sigma = 0.0;
  for (long a = 0; a < d; ++a) {
    const double mean = points.row(a).mean();
    const double var = (points.row(a).array() - mean).square().sum() / double(n - 1);
    sigma += std::sqrt(var);
  }
  sigma /= double(d);
  DRIFTLAB_CHECK(sigma > 0.0 && std::isfinite(sigma),
                 "silverman bandwidth: points have zero or non-finite spread (std " + fmtValue(sigma) + ")");
  const double dd = double(d);
  return sigma * std::pow(double(n), -1.0 / (dd + 4.0)) * std::pow(4.0 / (dd + 2.0), 1.0 / (dd + 4.0));
}

// median heuristic (SVGD convention exp(-r^2/h_svgd), h_svgd = med^2 / log(n + 1), rewritten for our
// exp(-r^2/2h^2): h = med / sqrt(2 log(n + 1))). Subsample: every k-th point of the union, deterministic.
double medianHeuristicBandwidth(const Points& particles, const Points& data, int max_points) {
  DRIFTLAB_CHECK(max_points >= 2, "median bandwidth: max_points must be >= 2 (got " + std::to_string(max_points) + ")");
  const long total = particles.cols() + data.cols();
  DRIFTLAB_CHECK(total >= 2, "median bandwidth: needs at least 2 points (got " + std::to_string(total) + ")");
  DRIFTLAB_CHECK(particles.cols() == 0 || data.cols() == 0 || particles.rows() == data.rows(),
                 "median bandwidth: particles and data have different dimensions");
  const long d = particles.cols() > 0 ? particles.rows() : data.rows();
  const long stride = (total + max_points - 1) / max_points;
  Points pts(d, (total + stride - 1) / stride);
  long n = 0;
  for (long k = 0; k < total; k += stride)
    pts.col(n++) = k < particles.cols() ? particles.col(k) : data.col(k - particles.cols());
  std::vector<double> dist;
  dist.reserve(std::size_t(n) * std::size_t(n - 1) / 2);
  for (long i = 0; i < n; ++i)
    for (long j = i + 1; j < n; ++j) dist.push_back((pts.col(i) - pts.col(j)).norm());
  auto mid = dist.begin() + long(dist.size() / 2);
  std::nth_element(dist.begin(), mid, dist.end());
  const double med = *mid;
  DRIFTLAB_CHECK(med > 0.0 && std::isfinite(med),
                 "median bandwidth: median pairwise distance is " + fmtValue(med) + " (points coincide?)");
  return med / std::sqrt(2.0 * std::log(double(n) + 1.0));
}

std::vector<double> resolveBandwidths(const BandwidthSpec& spec, const Points& particles, const Points& data,
                                      double t) {
  switch (spec.rule) {
    case BandwidthRule::Fixed: return {spec.h};
    case BandwidthRule::Silverman: return {silvermanBandwidth(data)};
    case BandwidthRule::Median: return {medianHeuristicBandwidth(particles, data)};
    case BandwidthRule::Anneal: return {annealedBandwidth(spec.h, spec.anneal_rate, spec.h_min, t)};
    case BandwidthRule::MultiScale: return spec.scales;
  }
  return {spec.h};
}

const char* bandwidthRuleName(BandwidthRule rule) {
  return nameOf(kRuleNames, rule);
}

BandwidthRule parseBandwidthRule(std::string_view name) {
  return valueNamed(kRuleNames, name, "bandwidth: unknown rule");
}

void validateBandwidthSpec(const BandwidthSpec& spec) {
  checkPositive(spec.h, "bandwidth.h");
  if (!(spec.anneal_rate >= 0.0) || !std::isfinite(spec.anneal_rate))
    detail::throwInvalidArgument("bandwidth.anneal_rate: must be >= 0 and finite (got " + fmtValue(spec.anneal_rate) +
                                 ")");
  checkPositive(spec.h_min, "bandwidth.h_min");
  if (spec.rule == BandwidthRule::MultiScale && spec.scales.empty())
    detail::throwInvalidArgument("bandwidth.scales: must not be empty for the multiscale rule");
  if (spec.scales.size() > kMaxBandwidthScales)
    detail::throwInvalidArgument("bandwidth.scales: at most " + std::to_string(kMaxBandwidthScales) +
                                 " bandwidths (got " + std::to_string(spec.scales.size()) + ")");
  for (std::size_t s = 0; s < spec.scales.size(); ++s)
    checkPositive(spec.scales[s], "bandwidth.scales[" + std::to_string(s) + "]");
}

}  // namespace driftlab
