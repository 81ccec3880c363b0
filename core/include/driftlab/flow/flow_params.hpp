// Every parameter of a particle flow run, validated in one place. This is what scenario files
// store and what the FlowWorker's SetParams command carries. Plain data; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/kde/compute_path.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/divergence.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/field/velocity.hpp"

namespace driftlab {

// Euler and Heun step explicitly along v; Jko takes the proximal (implicit Euler) step
// x = x^k + eta v(x) by an inner solver (THEORY.md §11.2), stable for any step size
enum class Integrator { Euler, Heun, Jko };
// where particles live (geometry.hpp): the plane, or the unit sphere S^{d-1} moved by the exponential
// map or by the normalizing retraction (THEORY.md §10)
enum class GeometryKind { Euclidean, Sphere, SphereRetraction };
// How the per-step displacement cap applies (THEORY.md §6.3):
// PerParticle clips each particle's move to cap * h (as the GFD mixture code does, [GFD-sec(b)]);
// Global shrinks the whole step to eta_eff = min(eta, cap h / max_i |v_i|) (THEORY.md §6.3), which
// keeps the flow an exact time-rescaling but lets one runaway particle freeze everybody.
enum class CapMode { PerParticle, Global };

// What moves the particles: the drifting flow of the divergence (every field of divergence.hpp),
// or Diffusion Flow Matching, a sampler from the source N(0, s0^2 I) at t = 0 to the data at
// t = 1 - epsilon along the Markovian projection of a Brownian bridge (THEORY.md §12.2)
enum class FlowMode { Drifting, Dfm };
// mode dfm's drift: the closed form over the data, or an MLP trained on bridge samples (THEORY.md §12.4)
enum class DfmDriftKind { Oracle, Learned };
const char* dfmDriftKindName(DfmDriftKind k);       // oracle, learned

const char* flowModeName(FlowMode m);               // drifting, dfm
const char* integratorName(Integrator i);          // euler, heun, jko
Integrator parseIntegrator(std::string_view name);  // throws InvalidArgument
const char* capModeName(CapMode m);                 // per_particle, global
CapMode parseCapMode(std::string_view name);        // throws InvalidArgument

struct FlowParams {
  // target data (law p)
  std::string dataset = "eight_gaussians";  // a built-in name, or "csv" with data_csv set
  std::string data_csv;                     // path, when dataset == "csv"
  std::string data_labels;                  // optional class labels of the data file (class_modes.hpp)
  int samples = 1024;                       // M (ignored for csv)
  std::uint64_t data_seed = 1;
  // samples: p is the KDE of the data. gaussian: p = N(0, I) exactly, with its score -x (THEORY.md
  // §11.4); the data are then M draws of N(0, I), for the view and the metrics only
  TargetKind target = TargetKind::Samples;

  // particles (law q)
  std::string init = "gaussian";            // gaussian, far, collapsed, uniform, or "csv"
  std::string init_csv;                     // path, when init == "csv"
  int particles = 1024;                     // N (ignored for csv)
  std::uint64_t init_seed = 2;

  // field
  KernelShape kernel;                       // its bandwidth is the bandwidth rule's (velocityOptions)
  BandwidthSpec bandwidth;                  // the one place the bandwidth is stored
  DivergenceWeights weights = DivergenceWeights::mixedDefault();
  double alpha = 0.5;
  Chi2Convention chi2 = Chi2Convention::Full;
  bool leave_one_out = true;
  double ratio_min = 1e-6, ratio_max = 1e6;
  VelocityMode velocity_mode = VelocityMode::PlugIn;
  int smoothed_grid = 96;

  // time stepping
  Integrator integrator = Integrator::Euler;
  double step = 0.01;              // eta, in flow-time units
  double displacement_cap = 0.5;   // max per-step displacement, in bandwidths (THEORY.md §6.3); 0 = off
  CapMode cap_mode = CapMode::PerParticle;
  int jko_inner_steps = 50;        // inner iterations at most per JKO step (THEORY.md §11.2)
  double jko_tol = 1e-6;           // JKO stops when its residual is below tol x the explicit step

  // Diffusion Flow Matching (mode dfm, THEORY.md §12.2): dfm_steps Euler-Maruyama steps from the
  // source N(0, dfm_source_std^2 I) at t = 0 to t = 1 - dfm_epsilon, bridge noise dfm_sigma
  FlowMode mode = FlowMode::Drifting;
  int dfm_steps = 200;
  double dfm_sigma = 0.5;
  double dfm_source_std = 1.0;
  double dfm_epsilon = 1e-3;
  DfmDriftKind dfm_drift = DfmDriftKind::Oracle;
  int dfm_train_steps = 3000;      // dfm.drift learned: Adam steps on bridge samples before sampling
  GeometryKind geometry = GeometryKind::Euclidean;

  // how the kernel sums are computed (compute_path.hpp): auto = float64 for small runs,
  // float32 SIMD for medium, the 2-D FFT grid for large ones
  ComputePath path = ComputePath::Auto;

  // metrics reference kernel
  double metrics_h = 0.1;

  // throws InvalidArgument naming the field and the value, e.g. "integrator.step: must be > 0 and finite
  // (got -0.5)"; the ranges are the parameter table's (param_table.hpp)
  void validate() const;
  // the kernel at the rule's first bandwidth at t = 0 (Silverman / median: the fixed h until resolved
  // on points)
  KernelSpec initialKernel() const;
  // the velocity options in force at flow time t for these particles and data
  VelocityOptions velocityOptions(const Points& particles, const Points& data, double t) const;
  // every setting of the parameter table (param_table.hpp)
  bool operator==(const FlowParams&) const;
};

// mode dfm's bridge: the source's standard deviation and the bridge noise (THEORY.md §12.2)
inline DfmBridge dfmBridgeOf(const FlowParams& p) { return DfmBridge{p.dfm_source_std, p.dfm_sigma}; }

}  // namespace driftlab
