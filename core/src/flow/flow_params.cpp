// FlowParams: validation (the table's ranges plus the checks that relate fields), the velocity
// options in force at a given time, equality over the parameter table, and integrator names. Error messages name the field by its path in a
// scenario file (README "Scenario format"), e.g. "integrator.step: must be > 0 and finite (got -0.5)".
// Any thread.
#include "driftlab/flow/flow_params.hpp"

#include <cmath>
#include <string>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/param_diff.hpp"
#include "flow/param_spec.hpp"
#include "flow/param_text.hpp"

namespace driftlab {

namespace {

using detail::formatNumber;

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  detail::throwInvalidArgument(field + ": " + what);
}

// Working-memory estimate: the engine never forms an N x M matrix, but holds about 16 copies of
// the (N + M) x d coordinates (positions, velocities, Heun stage, KDE row buffers, snapshots).
constexpr double kWorkingCopies = 16.0;
constexpr double kMemoryLimitGiB = 16.0;

void checkMemory(const FlowParams& p) {
  const int dim = 2;  // built-in datasets are 2-D; CSV sizes are checked when the file is read
  double points = 0.0;
  if (p.init != "csv") points += p.particles;
  if (p.dataset != "csv") points += p.samples;
  const double gib = points * dim * 8.0 * kWorkingCopies / (1024.0 * 1024.0 * 1024.0);
  if (gib > kMemoryLimitGiB) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "init.particles: N = %d with samples M = %d would need about %.1f GiB of working memory "
                  "(limit %.0f GiB): cannot fit",
                  p.particles, p.samples, gib, kMemoryLimitGiB);
    detail::throwInvalidArgument(buf);
  }
}

std::string datasetChoices() {
  return detail::joinNames(datasetCatalog()) + ", " + detail::joinNames(realDatasetCatalog()) + ", csv";
}
std::string initChoices() { return detail::joinNames(initCatalog()) + ", csv"; }

}  // namespace

const char* flowModeName(FlowMode m) { return m == FlowMode::Dfm ? "dfm" : "drifting"; }
const char* dfmDriftKindName(DfmDriftKind k) { return k == DfmDriftKind::Learned ? "learned" : "oracle"; }

const char* integratorName(Integrator i) {
  switch (i) {
    case Integrator::Euler: return "euler";
    case Integrator::Heun: return "heun";
    case Integrator::Jko: return "jko";
  }
  return "euler";
}

Integrator parseIntegrator(std::string_view name) {
  if (name == "euler") return Integrator::Euler;
  if (name == "heun" || name == "rk2") return Integrator::Heun;
  if (name == "jko") return Integrator::Jko;
  detail::throwInvalidArgument("integrator: unknown '" + std::string(name) + "' (expected one of euler, heun, jko)");
}

const char* capModeName(CapMode m) {
  switch (m) {
    case CapMode::PerParticle: return "per_particle";
    case CapMode::Global: return "global";
  }
  return "per_particle";
}

CapMode parseCapMode(std::string_view name) {
  if (name == "per_particle") return CapMode::PerParticle;
  if (name == "global") return CapMode::Global;
  detail::throwInvalidArgument("integrator.cap_mode: unknown '" + std::string(name) +
                               "' (expected one of per_particle, global)");
}

void FlowParams::validate() const {
  // data (law p)
  if (dataset == "csv") {
    if (data_csv.empty()) fail("data.dataset", "'csv' needs data.csv (a CSV file path)");
  } else if (!isDatasetName(dataset)) {
    fail("data.dataset", "unknown '" + dataset + "' (expected one of " + datasetChoices() + ")");
  }
  if (!data_labels.empty() && dataset != "csv")
    fail("data.labels", "labels go with a points file as the data (the built-in datasets bring their own modes)");
  detail::checkPointCount("data.samples", samples);

  // particles (law q)
  if (init == "csv") {
    if (init_csv.empty()) fail("init.layout", "'csv' needs init.csv (a CSV file path)");
  } else if (!isInitName(init)) {
    fail("init.layout", "unknown '" + init + "' (expected one of " + initChoices() + ")");
  }
  detail::checkPointCount("init.particles", particles);
  checkMemory(*this);

  // the table's ranges of single numbers ("integrator.step: must be > 0 and finite (got -0.5)")
  Scenario as_scenario;
  as_scenario.params = *this;
  for (const auto& spec : detail::flowParamSpecs()) {
    if (spec.range == detail::Range::Any) continue;
    const detail::Json v = spec.write(as_scenario);
    if (v.is_number()) detail::checkRange(spec, v.get<double>());
  }
  validateBandwidthSpec(bandwidth);
  KernelSpec k = initialKernel();
  if (!(k.h > 0.0) || !std::isfinite(k.h)) k.h = 1.0;  // Silverman/median: h is computed later
  validateKernelSpec(k);

  // the JKO step is solved in the coordinates of the plane (THEORY.md §11.2)
  if (integrator == Integrator::Jko && geometry != GeometryKind::Euclidean)
    fail("integrator.type", "jko runs in the plane only (geometry euclidean)");

  // the analytic target replaces p_hat in the f-divergence fields only (THEORY.md §11.4)
  if (target == TargetKind::StandardGaussian) {
    if (dataset == "csv") fail("target", "gaussian draws its own data from N(0, I); drop data.csv or use target samples");
    if (velocity_mode != VelocityMode::PlugIn)
      fail("target", "gaussian needs the plug-in velocity (divergence.velocity plugin)");
    if (geometry != GeometryKind::Euclidean) fail("target", "gaussian is a target in the plane (geometry euclidean)");
    for (int i = 0; i < kNumDivergences; ++i) {
      const auto d = static_cast<Divergence>(i);
      if (weights[d] > 0.0 && !isFDivergence(d))
        fail("target", std::string("gaussian has no samples for the ") + divergenceName(d) +
                           " field; use f-divergence weights (forward_kl, reverse_kl, chi2, ...)");
    }
  }
  // DFM samples from its own source in the plane (THEORY.md §12.2)
  if (mode == FlowMode::Dfm) {
    if (geometry != GeometryKind::Euclidean) fail("mode", "dfm runs in the plane only (geometry euclidean)");
    if (target != TargetKind::Samples) fail("mode", "dfm transports to the data: use target samples");
    if (!(dfm_epsilon < 1.0)) fail("dfm.epsilon", "must be < 1 (got " + formatNumber(dfm_epsilon) + ")");
  }

  // divergence
  validateWeights(weights);
  if (!(ratio_min < ratio_max)) {
    fail("divergence.ratio_min", "must be > 0 and < ratio_max (got " + formatNumber(ratio_min) +
                                     ", ratio_max = " + formatNumber(ratio_max) + ")");
  }
}

// the kernel at the rule's first bandwidth (Silverman / median: the fixed h until resolved on points)
KernelSpec FlowParams::initialKernel() const {
  KernelSpec k;
  static_cast<KernelShape&>(k) = kernel;
  k.h = bandwidth.rule == BandwidthRule::MultiScale && !bandwidth.scales.empty() ? bandwidth.scales.front()
                                                                                  : bandwidth.h;
  return k;
}

// THEORY.md §3: the rule gives one bandwidth (kernel.h) or several (multi-scale extras)
VelocityOptions FlowParams::velocityOptions(const Points& particles_now, const Points& data_now, double t) const {
  VelocityOptions opt;
  const std::vector<double> hs = resolveBandwidths(bandwidth, particles_now, data_now, t);
  opt.kernel = initialKernel();
  if (!hs.empty()) opt.kernel.h = hs.front();
  opt.extra_bandwidths.assign(hs.size() > 1 ? hs.begin() + 1 : hs.end(), hs.end());
  opt.weights = weights;
  opt.alpha = alpha;
  opt.chi2 = chi2;
  opt.leave_one_out = leave_one_out;
  opt.ratio_min = ratio_min;
  opt.ratio_max = ratio_max;
  opt.mode = velocity_mode;
  opt.smoothed_grid = smoothed_grid;
  opt.target = target;
  return opt;
}

bool FlowParams::operator==(const FlowParams& o) const { return detail::sameParams(*this, o); }

}  // namespace driftlab
