// FlowParams: validation (one place for every field), the velocity options in force at a given
// time, equality, and integrator names. Error messages name the field by its path in a
// scenario file (README "Scenario format"), e.g. "integrator.step: must be > 0 and finite (got -0.5)".
// Any thread.
#include "driftlab/flow/flow_params.hpp"

#include <cmath>
#include <string>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "flow/param_text.hpp"

namespace driftlab {

namespace {

using detail::formatNumber;

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  detail::throwInvalidArgument(field + ": " + what);
}

void requirePositiveFinite(const char* field, double v) {
  if (!(v > 0.0) || !std::isfinite(v)) fail(field, "must be > 0 and finite (got " + formatNumber(v) + ")");
}

void requireNonNegativeFinite(const char* field, double v) {
  if (!(v >= 0.0) || !std::isfinite(v)) fail(field, "must be >= 0 and finite (got " + formatNumber(v) + ")");
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

std::string datasetChoices() { return detail::joinNames(datasetCatalog()) + ", csv"; }
std::string initChoices() { return detail::joinNames(initCatalog()) + ", csv"; }

}  // namespace

const char* integratorName(Integrator i) {
  switch (i) {
    case Integrator::Euler: return "euler";
    case Integrator::Heun: return "heun";
  }
  return "euler";
}

Integrator parseIntegrator(std::string_view name) {
  if (name == "euler") return Integrator::Euler;
  if (name == "heun" || name == "rk2") return Integrator::Heun;
  detail::throwInvalidArgument("integrator: unknown '" + std::string(name) + "' (expected one of euler, heun)");
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
  detail::checkPointCount("data.samples", samples);

  // particles (law q)
  if (init == "csv") {
    if (init_csv.empty()) fail("init.layout", "'csv' needs init.csv (a CSV file path)");
  } else if (!isInitName(init)) {
    fail("init.layout", "unknown '" + init + "' (expected one of " + initChoices() + ")");
  }
  detail::checkPointCount("init.particles", particles);
  checkMemory(*this);

  // bandwidth first: kernel.h is overridden by the rule, so the kernel's own h is checked with
  // the rule's first bandwidth in its place (an unused stale kernel.h is not an error)
  // scenario-file names first (bandwidth.rate, bandwidth.min), then the library's own checks
  requirePositiveFinite("bandwidth.h", bandwidth.h);  // also h0 of the annealing rule
  requireNonNegativeFinite("bandwidth.rate", bandwidth.anneal_rate);
  requirePositiveFinite("bandwidth.min", bandwidth.h_min);
  validateBandwidthSpec(bandwidth);
  KernelSpec k = kernel;
  k.h = bandwidth.rule == BandwidthRule::MultiScale && !bandwidth.scales.empty() ? bandwidth.scales.front()
                                                                                  : bandwidth.h;
  if (!(k.h > 0.0) || !std::isfinite(k.h)) k.h = 1.0;  // Silverman/median: h is computed later
  validateKernelSpec(k);

  // divergence
  validateWeights(weights);
  if (!std::isfinite(alpha)) fail("divergence.alpha", "must be finite (got " + formatNumber(alpha) + ")");
  requirePositiveFinite("divergence.ratio_min", ratio_min);
  requirePositiveFinite("divergence.ratio_max", ratio_max);
  if (!(ratio_min < ratio_max)) {
    fail("divergence.ratio_min", "must be > 0 and < ratio_max (got " + formatNumber(ratio_min) +
                                     ", ratio_max = " + formatNumber(ratio_max) + ")");
  }
  if (smoothed_grid < 8 || smoothed_grid > 1024) {
    fail("divergence.smoothed_grid", "must be between 8 and 1024 (got " + std::to_string(smoothed_grid) + ")");
  }

  // time stepping
  requirePositiveFinite("integrator.step", step);
  requireNonNegativeFinite("integrator.displacement_cap", displacement_cap);

  // metrics
  requirePositiveFinite("metrics.reference_h", metrics_h);
}

// THEORY.md §3: the rule gives one bandwidth (kernel.h) or several (multi-scale extras)
VelocityOptions FlowParams::velocityOptions(const Points& particles_now, const Points& data_now, double t) const {
  VelocityOptions opt;
  const std::vector<double> hs = resolveBandwidths(bandwidth, particles_now, data_now, t);
  opt.kernel = kernel;
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
  return opt;
}

// Field-by-field. kernel.h is deliberately not compared: it is always replaced by the bandwidth
// rule (velocityOptions), so two parameter sets that differ only there give identical runs,
// and scenario files do not store it (bandwidth.h is the one bandwidth a user sets).
bool FlowParams::operator==(const FlowParams& o) const {
  const bool kernel_eq = kernel.kind == o.kernel.kind && kernel.nu == o.kernel.nu &&
                         kernel.beta == o.kernel.beta && kernel.c == o.kernel.c;
  const bool bandwidth_eq = bandwidth.rule == o.bandwidth.rule && bandwidth.h == o.bandwidth.h &&
                            bandwidth.anneal_rate == o.bandwidth.anneal_rate &&
                            bandwidth.h_min == o.bandwidth.h_min && bandwidth.scales == o.bandwidth.scales;
  return dataset == o.dataset && data_csv == o.data_csv && samples == o.samples && data_seed == o.data_seed &&
         init == o.init && init_csv == o.init_csv && particles == o.particles && init_seed == o.init_seed &&
         kernel_eq && bandwidth_eq && weights.w == o.weights.w && alpha == o.alpha && chi2 == o.chi2 &&
         leave_one_out == o.leave_one_out && ratio_min == o.ratio_min && ratio_max == o.ratio_max &&
         velocity_mode == o.velocity_mode && smoothed_grid == o.smoothed_grid && integrator == o.integrator &&
         step == o.step && displacement_cap == o.displacement_cap && cap_mode == o.cap_mode && path == o.path && geometry == o.geometry &&
         metrics_h == o.metrics_h;
}

}  // namespace driftlab
