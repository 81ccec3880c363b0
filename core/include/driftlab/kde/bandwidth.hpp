// Bandwidth rules: fixed, Silverman, median heuristic, annealing, multi-scale.
// THEORY.md §3.2 (Silverman), §3.3 (median), §3.4 (annealing), §3.6 (multi-scale).
#pragma once

#include <string_view>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

enum class BandwidthRule { Fixed, Silverman, Median, Anneal, MultiScale };

// Each scale is one more full field evaluation per step (THEORY.md §3.6); the Drifting Model uses 3.
inline constexpr std::size_t kMaxBandwidthScales = 64;

struct BandwidthSpec {
  BandwidthRule rule = BandwidthRule::Fixed;
  double h = 0.1;                          // fixed value; h0 for Anneal
  double anneal_rate = 0.5;                // r in h(t) = max(h0 exp(-r t), h_min), per unit flow time
  double h_min = 0.02;                     // annealing floor
  std::vector<double> scales{0.02, 0.05, 0.2};  // MultiScale bandwidths (DM code's temperatures), at most kMaxBandwidthScales
};

// h(t) = max(h0 * exp(-rate * t), h_min), THEORY.md §3.4
double annealedBandwidth(double h0, double rate, double h_min, double t);
// Silverman: sigma_hat * n^(-1/(d+4)) * (4/(d+2))^(1/(d+4)), sigma_hat = mean per-axis std.
double silvermanBandwidth(const Points& points);
// median heuristic (SVGD convention): median pairwise distance / sqrt(2 log(n + 1)), over a
// deterministic subsample of at most max_points points of the union of both sets.
double medianHeuristicBandwidth(const Points& particles, const Points& data, int max_points = 1000);
// the bandwidth(s) in force at flow time t: one value, or several for MultiScale.
// Silverman uses the data set; Median uses particles and data.
std::vector<double> resolveBandwidths(const BandwidthSpec& spec, const Points& particles,
                                      const Points& data, double t);

const char* bandwidthRuleName(BandwidthRule rule);      // fixed, silverman, median, anneal, multiscale
BandwidthRule parseBandwidthRule(std::string_view name);  // throws InvalidArgument
void validateBandwidthSpec(const BandwidthSpec& spec);    // names the bad field ("bandwidth.h", ...)

}  // namespace driftlab
