// Metrics of a particle set against the data, computed with a fixed reference kernel so that
// curves stay comparable when the flow's kernel or bandwidth changes. THEORY.md §8.
// Any thread (the worker calls them at a lower cadence than steps).
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/field/velocity.hpp"

namespace driftlab {

struct MetricsOptions {
  double reference_h = 0.1;     // Gaussian bandwidth of the MMD^2 and the KDE estimates
  int max_points = 2000;        // deterministic subsample of each set above this size
  int slices = 64;              // random directions for sliced W2
  std::uint64_t seed = 12345;   // fixed: same directions and subsample every call
  // points are unit vectors of a run on the sphere (THEORY.md §10.6): the energy distance uses the
  // angle, the reference kernel is read as vMF with kappa = 1/reference_h^2 (the same numbers), and
  // the objective's kernel is normalizable whatever its tails (compact sphere)
  bool sphere = false;
};

struct Metrics {
  long step = 0;
  double time = 0.0;
  double mmd2 = 0.0;         // biased (V-statistic) MMD^2, Gaussian reference kernel: >= 0
  double energy = 0.0;       // energy distance 2E|X-Y| - E|X-X'| - E|Y-Y'|: >= 0
  double sliced_w2 = 0.0;    // sliced Wasserstein-2 (quantile matching along random directions)
  double kl_qp = 0.0;        // KDE estimate of KL(q||p), reference kernel, q_hat leave-one-out
  double kl_pq = 0.0;        // KDE estimate of KL(p||q)
  double chi2 = 0.0;         // KDE estimate of chi2(q||p) = mean(q_hat/p_hat) - 1
  int modes_covered = -1;    // mixtures: modes holding >= half their share of particles; -1 if N/A
  int modes_total = 0;
  double objective = 0.0;    // value of the functional the flow minimizes (its own kernel), THEORY.md §8.4
  // mode mass (THEORY.md §8.3): share of the particles whose nearest centre is mode k, and the
  // total-variation distance 1/2 sum_k |share_k - weight_k| to the target's (normalized) weights;
  // empty / NaN when the dataset has no modes
  std::vector<double> mode_share;
  std::vector<double> mode_weight;  // the target's weights normalized to sum 1 (not a CSV column)
  double mode_tv = std::numeric_limits<double>::quiet_NaN();
};

// Shares of the particles per mode (nearest centre, the assignment of modesCovered) and their
// total-variation distance to the normalized weights. No centres: empty shares, NaN tv.
struct ModeMass {
  std::vector<double> share;
  std::vector<double> weight;  // the weights normalized to sum 1
  double tv = std::numeric_limits<double>::quiet_NaN();
};
ModeMass modeMass(const Points& particles, const Points& centres, const std::vector<double>& weights);

// mode_centres/mode_weights may be empty (then modes_covered = -1).
Metrics computeMetrics(const Points& particles, const Points& data, const Points& mode_centres,
                       const std::vector<double>& mode_weights, const VelocityOptions& flow,
                       const MetricsOptions& opt = {});

// the individual estimators, exposed for tests
double mmd2Biased(const Points& x, const Points& y, double h);
// geodesic: |x - y| replaced by the angle arccos(clamp(x.y, -1, 1)) between unit vectors
double energyDistance(const Points& x, const Points& y, bool geodesic = false);
// biased MMD^2 with the vMF kernel e^{kappa (x.y - 1)} of unit vectors (= mmd2Biased at h = 1/sqrt(kappa))
double mmd2Vmf(const Points& x, const Points& y, double kappa);
double slicedW2(const Points& x, const Points& y, int slices, std::uint64_t seed);
// value of the functional that opt's velocity descends (weighted sum of the per-term
// estimators of THEORY.md §8.4, with the flow's own kernel); NaN where undefined (a kernel not
// integrable in R^d). on_sphere: the points are unit vectors, and every kernel is normalizable on
// the compact sphere (THEORY.md §10.6), so the f-divergence estimates are finite for all of them.
double objectiveValue(const Points& particles, const Points& data, const VelocityOptions& opt,
                      bool on_sphere = false);
int modesCovered(const Points& particles, const Points& centres, const std::vector<double>& weights);

// CSV column names of a metrics row, in order: step,time,mmd2,energy,sliced_w2,kl_qp,kl_pq,chi2,
// modes_covered,objective
std::vector<std::string> metricsColumns();
std::string formatMetricsRow(const Metrics& m);  // %.10g values joined by commas

// The mode-mass columns that every metrics CSV appends after its own columns (after loss,lr in
// generator mode), so that earlier columns keep their positions: mode_tv, then
// mode_share_0..mode_share_{K-1}; K = 0 for datasets without modes (mode_tv is then "nan", as
// modes_covered is -1).
std::vector<std::string> modeMassColumns(int mode_count);
std::string formatModeMassCells(const Metrics& m);  // ",tv,share_0,...": to append to a row

}  // namespace driftlab
