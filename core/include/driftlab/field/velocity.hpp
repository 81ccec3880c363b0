// Velocity fields of KDE-approximated divergences: the plug-in velocity (GFD/DM) and the exact
// smoothed velocity (THEORY.md §5.4), for any mixture of the base fields in divergence.hpp.
// Kernel sums are blocked over rows (evaluation points): no N x M matrix is ever formed;
// every sum uses log-sum-exp with a running max, so a point 100 bandwidths from all data still
// gets a finite, correct direction (THEORY.md §13 item 26).
// Pure functions; any thread (they may use the engine's thread pool internally).
#pragma once

#include <span>
#include <vector>

#include "driftlab/field/divergence.hpp"
#include "driftlab/kde/compute_path.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab {

enum class VelocityMode { PlugIn, ExactSmoothed };
// where p comes from: the KDE of the data (Samples), or the standard normal N(0, I) itself, whose
// density and score -x are exact (THEORY.md §11.4; plug-in f-divergence fields only)
enum class TargetKind { Samples, StandardGaussian };
const char* targetKindName(TargetKind t);  // samples, gaussian

struct VelocityOptions {
  KernelSpec kernel;                       // kernel.h is the (first) bandwidth
  std::vector<double> extra_bandwidths;    // multi-scale: further bandwidths; empty = single scale
  DivergenceWeights weights = DivergenceWeights::mixedDefault();
  double alpha = 0.5;                      // Alpha divergence parameter
  Chi2Convention chi2 = Chi2Convention::Full;
  bool leave_one_out = true;               // exclude x_i from q_hat at x_i (DM self-mask)
  double ratio_min = 1e-6, ratio_max = 1e6;  // clamp of rho = q_hat / p_hat, THEORY.md §6.2
  VelocityMode mode = VelocityMode::PlugIn;
  int smoothed_grid = 96;                  // grid nodes per axis for ExactSmoothed (2-D and 1-D)
  int sinkhorn_iterations = 10;            // Sinkhorn field only
  // how every kernel sum of the field (and of objectiveValue / the smoothed functional) is computed;
  // engines set their run's path, plain library calls stay float64 exact (compute_path.hpp)
  ComputePath path = ComputePath::Exact64;
  TargetKind target = TargetKind::Samples;
};
// throws InvalidArgument naming the field when an option is invalid
void validateVelocityOptions(const VelocityOptions& opt);

// What to compute besides the velocity.
struct FieldRequest {
  bool breakdown = false;   // attraction / repulsion and one velocity per active divergence term
  bool densities = false;   // log p_hat and log q_hat at the evaluation points (normalized KDEs;
                            // NaN when the kernel is not integrable)
  bool sphere_densities = false;  // normalize them over S^{d-1} instead of R^d (points on the
                                  // sphere, THEORY.md §10.6: every kernel is integrable there)
};

struct FieldResult {
  Points v;                             // d x E velocity
  Points attraction, repulsion;         // v = attraction + repulsion (data part, particle part); if breakdown
  std::vector<Divergence> terms;        // active terms (weight > 0), in enum order; if breakdown
  std::vector<Points> per_term;         // weighted velocity of each active term; sums to v; if breakdown
  Vec log_p, log_q;                     // if densities
};

// Velocity at arbitrary evaluation points (d x E) given particles (d x N, law q) and data
// (d x M, law p). self_index[e] = index of eval point e among the particles, or -1; it is used
// for leave-one-out (only when opt.leave_one_out) and for DM's self-mask. Pass {} when the
// evaluation points are not particles.
// For multi-scale options each scale's field is divided by its RMS over the *particles*
// (THEORY.md §3.6); scale_norms may pass those RMS values in (one per scale) to avoid recomputing.
FieldResult evaluateField(const Points& eval, std::span<const int> self_index, const Points& particles,
                          const Points& data, const VelocityOptions& opt, const FieldRequest& request = {},
                          std::span<const double> scale_norms = {});

// Convenience: velocity at every particle (self_index = 0..N-1).
Points particleVelocity(const Points& particles, const Points& data, const VelocityOptions& opt);

// RMS over the particles of each scale's field, for multi-scale normalization (THEORY.md §3.6).
std::vector<double> multiScaleNorms(const Points& particles, const Points& data, const VelocityOptions& opt);

}  // namespace driftlab
