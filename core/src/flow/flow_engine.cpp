// FlowEngine: particle state and one step of the W2 gradient flow (THEORY.md §6), live parameter
// changes, resets and edits. Single-threaded object (see flow_engine.hpp).
//
// [SECTION] helpers: building data and particles, KDE sampling, small checks
// [SECTION] construction, reset, reseed
// [SECTION] live parameter changes
// [SECTION] one step (Euler / Heun, displacement cap, rollback; JKO)
// [SECTION] edits
// [SECTION] options and metrics
#include "driftlab/flow/flow_engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "driftlab/flow/class_modes.hpp"
#include "driftlab/flow/run_budget.hpp"
#include "driftlab/io/points_file.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/field/velocity.hpp"
#include "flow/jko_step.hpp"
#include "kde/column_norm.hpp"
#include "base/rng.hpp"

namespace driftlab {

// [SECTION] helpers: building data and particles, KDE sampling, small checks
namespace {

// salts of the streams of the Gaussian target's data and of DFM's source (independent of the
// dataset and init streams of the same seeds)
constexpr std::uint64_t kGaussianTargetSalt = 0x67617573732d7074ULL;
constexpr std::uint64_t kDfmSourceSalt = 0x64666d2d736f7572ULL;

// d x n independent standard normal coordinates
Points standardNormalPoints(Eigen::Index d, Eigen::Index n, std::uint64_t seed) {
  seeded::Rng rng(seed);
  Points out(d, n);
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index r = 0; r < d; ++r) out(r, k) = rng.normal();
  return out;
}

struct DataState {
  Points points;
  Points mode_centres;
  std::vector<double> mode_weights;
};

DataState buildPlaneData(const FlowParams& p);

bool onSphere(const FlowParams& p) { return p.geometry != GeometryKind::Euclidean; }

// the data set the parameters describe (built-in dataset or CSV file); on the sphere every point
// is scaled to unit length (THEORY.md §10), and a zero point or d < 3 is refused
DataState buildData(const FlowParams& p) {
  DataState s = buildPlaneData(p);
  if (onSphere(p)) {
    const std::string what = p.dataset == "csv" ? p.data_csv : "dataset " + p.dataset;
    s.points = normalizedToSphere(s.points, what);
    if (s.mode_centres.cols() > 0) s.mode_centres = normalizedToSphere(s.mode_centres, what + " (mode centres)");
  }
  if (!p.data_labels.empty()) {
    ClassModes modes = classModes(s.points, readLabels(p.data_labels), p.data_labels, onSphere(p));
    s.mode_centres = std::move(modes.centres);
    s.mode_weights = std::move(modes.weights);
  }
  return s;
}

// the particles as the geometry wants them: unit vectors on the sphere
Points placed(const FlowParams& p, Points x, const std::string& what) {
  return onSphere(p) ? normalizedToSphere(x, what) : x;
}

// the data set as read or drawn, before any geometry
DataState buildPlaneData(const FlowParams& p) {
  DataState s;
  if (p.dataset == "csv") {
    s.points = readPoints(p.data_csv);
    s.mode_centres = Points(s.points.rows(), 0);
  } else if (p.target == TargetKind::StandardGaussian) {
    // p = N(0, I) itself (THEORY.md §11.4): the data are draws of it, for the view and the metrics
    s.points = standardNormalPoints(2, p.samples, seeded::mixSeed(p.data_seed, kGaussianTargetSalt));
    s.mode_centres = Points(2, 0);
  } else {
    Dataset ds = sampleDataset(p.dataset, p.samples, p.data_seed);
    s.points = std::move(ds.points);
    s.mode_centres = std::move(ds.mode_centres);
    s.mode_weights = std::move(ds.mode_weights);
    if (s.mode_centres.rows() != s.points.rows()) s.mode_centres = Points(s.points.rows(), 0);
  }
  return s;
}

// the initial particles the parameters describe, in the data's dimension
Points buildParticles(const FlowParams& p, const Points& data) {
  // DFM starts from its source N(0, s0^2 I) at t = 0 (THEORY.md §12.2)
  if (p.mode == FlowMode::Dfm) {
    checkMemoryFits({p.particles, data.cols(), data.rows(), false}, availableMemoryBytes());
    return p.dfm_source_std *
           standardNormalPoints(data.rows(), p.particles, seeded::mixSeed(p.init_seed, kDfmSourceSalt));
  }
  if (p.init == "csv") {
    Points x = readPoints(p.init_csv);
    DRIFTLAB_CHECK(x.rows() == data.rows(), p.init_csv + ": particles have dimension " + std::to_string(x.rows()) +
                                                " but the data has dimension " + std::to_string(data.rows()));
    return placed(p, std::move(x), p.init_csv);
  }
  // refused with the numbers before allocating, not by the kernel or after minutes (run_budget.hpp)
  checkMemoryFits({p.particles, data.cols(), data.rows(), p.integrator == Integrator::Heun}, availableMemoryBytes());
  return placed(p, initialParticles(p.init, p.particles, p.init_seed, data), "init " + p.init);
}

// `count` draws from q_hat: a uniformly chosen particle plus N(0, h^2 I) noise (the Gaussian
// KDE of the particles; for other kernels the kernel width is the noise scale)
Points sampleFromKde(const Points& x, int count, double h, std::uint64_t seed) {
  seeded::Rng rng(seed);
  Points out(x.rows(), count);
  for (int k = 0; k < count; ++k) {
    const auto i = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(x.cols())));
    for (Eigen::Index r = 0; r < x.rows(); ++r) out(r, k) = x(r, i) + h * rng.normal();
  }
  return out;
}

// x resized to n columns: the first min(n, N) particles are kept, new ones drawn from q_hat
Points resizeParticles(const Points& x, int n, double h, std::uint64_t seed) {
  if (n <= x.cols()) return x.leftCols(n);
  Points out(x.rows(), n);
  out.leftCols(x.cols()) = x;
  out.rightCols(n - x.cols()) = sampleFromKde(x, static_cast<int>(n - x.cols()), h, seed);
  return out;
}

// v resized to n columns; new particles have not moved yet (zero velocity)
void resizeVelocities(Points& v, Eigen::Index rows, Eigen::Index n) {
  if (v.rows() != rows) {
    v = Points::Zero(rows, n);
    return;
  }
  const Eigen::Index old = v.cols();
  v.conservativeResize(rows, n);
  if (n > old) v.rightCols(n - old).setZero();
}

std::string shape(const Points& m) { return std::to_string(m.rows()) + "x" + std::to_string(m.cols()); }

std::string number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

void checkFinitePoints(const Points& pts, const char* what) {
  DRIFTLAB_CHECK(pts.allFinite(), std::string(what) + ": coordinates must be finite (got a NaN or infinity)");
}

void checkTotal(long long current, long long add, const char* what) {
  DRIFTLAB_CHECK(current + add <= kMaxPoints, std::string(what) + ": " + std::to_string(current + add) +
                                                  " points cannot fit (at most " + std::to_string(kMaxPoints) + ")");
}

// salt for the KDE sampling stream of added particles (independent of the init stream)
constexpr std::uint64_t kKdeSalt = 0x6b64652d61646421ULL;

}  // namespace

// [SECTION] construction, reset, reseed

FlowEngine::FlowEngine(const FlowParams& params) : params_(params) {
  params_.validate();
  geometry_ = makeGeometry(params_.geometry);
  eta_ = params_.step;
  rebuildData();
  rebuildParticles();
}

FlowEngine::FlowEngine(const FlowState& state) { restore(state); }

FlowState FlowEngine::capture() const {
  FlowState s;
  s.params = params_;
  s.particles = x_;
  s.data = y_;
  s.velocities = v_;
  s.mode_centres = mode_centres_;
  s.mode_weights = mode_weights_;
  s.time = t_;
  s.step_size = eta_;
  s.step_index = step_index_;
  s.dfm_step = dfm_step_;
  s.edit_counter = edit_counter_;
  s.dfm_learned = learned_;
  return s;
}

// checks first, then copies: a state that does not fit leaves the engine as it was
void FlowEngine::restore(const FlowState& s) {
  s.params.validate();
  const Eigen::Index d = s.particles.rows();
  DRIFTLAB_CHECK(d >= 1 && s.particles.cols() >= 1 && s.data.rows() == d && s.data.cols() >= 1,
                 "restore: particles " + shape(s.particles) + " and data " + shape(s.data) + " do not fit together");
  DRIFTLAB_CHECK(s.velocities.rows() == d && s.velocities.cols() == s.particles.cols(),
                 "restore: velocities are " + shape(s.velocities) + ", expected " + shape(s.particles));
  DRIFTLAB_CHECK(s.mode_centres.rows() == d || s.mode_centres.cols() == 0,
                 "restore: mode centres are " + shape(s.mode_centres) + " for dimension " + std::to_string(d));
  DRIFTLAB_CHECK(s.step_size > 0.0 && std::isfinite(s.step_size) && std::isfinite(s.time) && s.step_index >= 0 &&
                     s.dfm_step >= 0,
                 "restore: step size, flow time or step counters out of range");
  std::unique_ptr<Geometry> geometry = makeGeometry(s.params.geometry);
  FlowParams params = s.params;
  Points x = s.particles, y = s.data, v = s.velocities, centres = s.mode_centres;
  std::vector<double> weights = s.mode_weights;
  // commit (nothing below throws)
  params_ = std::move(params);
  geometry_ = std::move(geometry);
  x_ = std::move(x);
  y_ = std::move(y);
  v_ = std::move(v);
  mode_centres_ = std::move(centres);
  mode_weights_ = std::move(weights);
  t_ = s.time;
  eta_ = s.step_size;
  step_index_ = s.step_index;
  dfm_step_ = s.dfm_step;
  edit_counter_ = s.edit_counter;
  // a state captured before the training (a keyframe at step 0) carries none: keep the network in
  // hand, which is used only where it fits the restored data and settings (learnedDfmDrift)
  if (s.dfm_learned) learned_ = s.dfm_learned;
}

void FlowEngine::rebuildData() {
  DataState d = buildData(params_);
  y_ = std::move(d.points);
  mode_centres_ = std::move(d.mode_centres);
  mode_weights_ = std::move(d.mode_weights);
}

void FlowEngine::rebuildParticles() {
  x_ = buildParticles(params_, y_);
  v_ = Points::Zero(x_.rows(), x_.cols());
  dfm_step_ = 0;
}

// identical run: everything that shapes the trajectory is rebuilt from the seeds
void FlowEngine::reset() {
  DataState d = buildData(params_);  // may throw (e.g. a CSV file that disappeared): state unchanged
  Points x = buildParticles(params_, d.points);
  y_ = std::move(d.points);
  mode_centres_ = std::move(d.mode_centres);
  mode_weights_ = std::move(d.mode_weights);
  x_ = std::move(x);
  v_ = Points::Zero(x_.rows(), x_.cols());
  t_ = 0.0;
  step_index_ = 0;
  dfm_step_ = 0;
  eta_ = params_.step;
  edit_counter_ = 0;
}

void FlowEngine::reseed(std::uint64_t data_seed, std::uint64_t init_seed) {
  const FlowParams saved = params_;
  params_.data_seed = data_seed;
  params_.init_seed = init_seed;
  try {
    reset();
  } catch (...) {
    params_ = saved;
    throw;
  }
}

// [SECTION] live parameter changes

// Everything is built into temporaries first, so a throw leaves the run untouched.
void FlowEngine::setParams(const FlowParams& p) {
  p.validate();
  const FlowParams& o = params_;
  // a new geometry places data and particles anew (unit vectors on the sphere)
  const bool data_changed =
      p.geometry != o.geometry || p.dataset != o.dataset || p.target != o.target ||
      (p.dataset == "csv" ? (p.data_csv != o.data_csv || p.data_labels != o.data_labels) : (p.samples != o.samples || p.data_seed != o.data_seed));
  // DFM's clock starts at t = 0 from its source: a new source or time grid restarts it
  const bool dfm_restart =
      p.mode != o.mode ||
      (p.mode == FlowMode::Dfm && (p.dfm_source_std != o.dfm_source_std || p.dfm_steps != o.dfm_steps ||
                                   p.dfm_epsilon != o.dfm_epsilon || p.dfm_drift != o.dfm_drift ||
                                   (p.dfm_drift == DfmDriftKind::Learned &&
                                    (p.dfm_sigma != o.dfm_sigma || p.dfm_train_steps != o.dfm_train_steps))));
  const bool init_changed = dfm_restart || p.geometry != o.geometry || p.init != o.init ||
                            (p.init == "csv" ? p.init_csv != o.init_csv : p.init_seed != o.init_seed);
  const bool count_changed = p.init != "csv" && p.particles != o.particles;

  // data (law p)
  DataState new_data;
  if (data_changed) new_data = buildData(p);
  const Points& data_now = data_changed ? new_data.points : y_;

  // particles (law q): rebuilt on a layout change or a new dimension, else resized in place
  Points new_x;
  bool particles_rebuilt = false, particles_resized = false;
  std::uint64_t next_edit = edit_counter_;
  if (init_changed || data_now.rows() != x_.rows()) {
    new_x = buildParticles(p, data_now);
    particles_rebuilt = true;
  } else if (count_changed && p.particles != x_.cols()) {
    const double h = p.velocityOptions(x_, data_now, t_).kernel.h;
    new_x = placed(p, resizeParticles(x_, p.particles, h, seeded::mixSeed(p.init_seed, kKdeSalt + next_edit++)),
                   "added particles");
    particles_resized = true;
  }
  std::unique_ptr<Geometry> geometry = p.geometry != o.geometry ? makeGeometry(p.geometry) : nullptr;

  // commit (nothing below throws)
  if (data_changed) {
    y_ = std::move(new_data.points);
    mode_centres_ = std::move(new_data.mode_centres);
    mode_weights_ = std::move(new_data.mode_weights);
  }
  if (particles_rebuilt) {
    x_ = std::move(new_x);
    v_ = Points::Zero(x_.rows(), x_.cols());
    dfm_step_ = 0;
  } else if (particles_resized) {
    x_ = std::move(new_x);
    resizeVelocities(v_, x_.rows(), x_.cols());
  }
  if (geometry) geometry_ = std::move(geometry);
  if (p.step != o.step) eta_ = p.step;  // a new step size also clears rollback halvings
  edit_counter_ = next_edit;
  params_ = p;
}

// [SECTION] one step (Euler / Heun, displacement cap, rollback)

StepReport FlowEngine::step() {
  if (params_.mode == FlowMode::Dfm) return dfmStep();
  StepReport report;
  // nothing is committed before the end, so a rollback only has to halve the step
  auto rollback = [&](const char* what) {
    eta_ *= 0.5;
    report.ok = false;
    report.eta_used = 0.0;
    char buf[160];
    std::snprintf(buf, sizeof buf, "non-finite %s at step %ld: step rolled back, step size halved to %g", what,
                  step_index_, eta_);
    report.warning = buf;
    return report;
  };

  // velocity at the start of the step, THEORY.md §6.1-§6.2
  const VelocityOptions opt = velocityOptions();
  report.bandwidth = opt.kernel.h;
  if (params_.integrator == Integrator::Jko) {
    // a stalled JKO step (no inner step lowered its merit) takes the explicit step below instead
    // of leaving the particles where they were
    if (std::optional<StepReport> r = jkoStep(report, opt)) return *r;
  }
  // said once, at the first step: a bandwidth 1e3 times off the data's scale moves nothing (or
  // rolls every step back), and that would otherwise be the only sign (run_budget.hpp)
  if (step_index_ == 0 && report.warning.empty()) report.warning = bandwidthScaleWarning(opt.kernel.h, y_);
  Points v1 = particleVelocity(x_, y_, opt);
  ++report.field_evaluations;
  geometry_->projectTangent(x_, v1);

  // displacement cap (THEORY.md §6.3). Global: eta_eff = min(eta, c h / max_i |v_i|), the whole
  // ensemble slows down. PerParticle: eta stays, each particle's move is clipped to c h (GFD code,
  // THEORY.md §6.3), so one runaway particle cannot freeze the others.
  const double cap = params_.displacement_cap;
  const double cap_length = cap * opt.kernel.h;
  const bool global_cap = params_.cap_mode == CapMode::Global;
  // max_i |v_i|: first when the step size depends on it, else from the move's own pass
  double vmax = 0.0;
  if (global_cap) {
    vmax = maxColumnNorm(v1);
    if (std::isnan(vmax)) return rollback("velocity");
  }
  double eta_eff = eta_;
  if (cap > 0.0 && global_cap && vmax > 0.0) eta_eff = std::min(eta_, cap_length / vmax);
  // each particle's move clipped to cap_length (PerParticle mode only)
  const double clip_length = (cap > 0.0 && !global_cap) ? cap_length : 0.0;
  // x_new = x + eta_eff v1 (clipped), and the checks of v1 (NaN speed) and of the result
  auto firstMove = [&](Points& moved) {
    const bool finite = geometry_->advance(x_, v1, eta_eff, clip_length, moved, global_cap ? nullptr : &vmax);
    if (std::isnan(vmax)) return rollback("velocity");
    report.max_speed = vmax;
    if (!finite) return rollback("position");
    return report;
  };

  Points x_new;
  if (params_.integrator != Integrator::Heun) {
    // x <- x + eta_eff v (also the fallback of a stalled JKO step)
    if (const StepReport r = firstMove(x_new); !r.ok) return r;
  } else {
    // Heun (RK2): predictor x~ = x + eta_eff v1, v2 = velocity of the moved ensemble at t + eta_eff,
    // x <- x + eta_eff/2 (v1 + v2)
    Points x_pred;
    if (const StepReport r = firstMove(x_pred); !r.ok) return r;
    const VelocityOptions opt2 = optionsAt(x_pred, t_ + eta_eff);
    Points v2 = particleVelocity(x_pred, y_, opt2);
    ++report.field_evaluations;
    geometry_->projectTangent(x_pred, v2);
    const Points v_sum = v1 + v2;
    // the corrector may be faster than v1: shrink the step so the cap still holds exactly
    const double half_max = 0.5 * maxColumnNorm(v_sum);
    if (std::isnan(half_max)) return rollback("velocity");
    if (cap > 0.0 && global_cap && half_max > 0.0 && eta_eff * half_max > cap_length) {
      eta_eff = cap_length / half_max;
    }
    if (!geometry_->advance(x_, v_sum, 0.5 * eta_eff, clip_length, x_new)) return rollback("position");
  }

  // commit
  x_ = std::move(x_new);
  v_ = std::move(v1);
  t_ += eta_eff;
  ++step_index_;
  report.eta_used = eta_eff;
  return report;
}

// JKO: the proximal step by inner iterations on Phi (flow/jko_step.hpp, THEORY.md §11.2), with
// the same velocity and objective as the flow's curves; no displacement cap (the implicit step
// is stable for any eta), rollback only on non-finite values
std::optional<StepReport> FlowEngine::jkoStep(StepReport& report, const VelocityOptions& opt) {
  if (step_index_ == 0) report.warning = bandwidthScaleWarning(opt.kernel.h, y_);
  const detail::JkoField field = [&](const Points& x, Points& v) {
    ++report.field_evaluations;
    v = particleVelocity(x, y_, opt);
    return objectiveValue(x, y_, opt);
  };
  // only the exact smoothed velocity is the gradient of the objective the curves show
  const bool v_is_gradient = opt.mode == VelocityMode::ExactSmoothed && x_.rows() <= 2 &&
                             isIntegrable(opt.kernel, int(x_.rows()));
  detail::JkoResult r =
      detail::jkoStep(x_, {eta_, params_.jko_inner_steps, params_.jko_tol, v_is_gradient}, field);
  if (!r.finite || !r.x.allFinite()) {
    eta_ *= 0.5;
    report.ok = false;
    report.eta_used = 0.0;
    char buf[160];
    std::snprintf(buf, sizeof buf, "non-finite values in the JKO step at step %ld: step rolled back, step size halved to %g",
                  step_index_, eta_);
    report.warning = buf;
    return report;
  }
  report.inner_iterations = r.iterations;
  report.residual = r.residual;
  if (r.stalled) {
    char buf[240];
    std::snprintf(buf, sizeof buf, "JKO step %ld: no inner step lowered the residual (the plug-in velocity is not "
                  "the gradient of Phi); took the explicit Euler step with the displacement cap instead", step_index_);
    report.warning = buf;
    return std::nullopt;
  }
  if (!r.converged && report.warning.empty()) {
    char buf[200];
    std::snprintf(buf, sizeof buf, "JKO step %ld stopped after %d inner iterations at residual %.3g (jko.tol %g "
                  "of the explicit step)", step_index_, r.iterations, r.residual, params_.jko_tol);
    report.warning = buf;
  }
  // the velocity shown with the particles: the one the implicit step used, v(x_new)
  v_ = (r.x - x_) / eta_;
  x_ = std::move(r.x);
  t_ += eta_;
  ++step_index_;
  report.eta_used = eta_;
  report.max_speed = maxColumnNorm(v_);
  return report;
}

// [SECTION] edits

void FlowEngine::addParticles(const Points& pts) {
  DRIFTLAB_CHECK(pts.rows() == x_.rows(), "add particles: points are " + shape(pts) + ", expected " +
                                              std::to_string(x_.rows()) + " rows (the flow's dimension)");
  checkFinitePoints(pts, "add particles");
  checkTotal(x_.cols(), pts.cols(), "add particles");
  if (pts.cols() == 0) return;
  const Eigen::Index n = x_.cols();
  Points x(x_.rows(), n + pts.cols());
  x.leftCols(n) = x_;
  x.rightCols(pts.cols()) = pts;
  x_ = std::move(x);
  resizeVelocities(v_, x_.rows(), x_.cols());
}

void FlowEngine::addParticlesFromKde(int count) {
  DRIFTLAB_CHECK(count >= 0, "add particles: count must be >= 0 (got " + std::to_string(count) + ")");
  checkTotal(x_.cols(), count, "add particles");
  if (count == 0) return;
  const double h = currentBandwidth();
  const Points added = sampleFromKde(x_, count, h, seeded::mixSeed(params_.init_seed, kKdeSalt + edit_counter_));
  ++edit_counter_;
  addParticles(added);
}

void FlowEngine::removeParticles(int count) {
  DRIFTLAB_CHECK(count >= 0, "remove particles: count must be >= 0 (got " + std::to_string(count) + ")");
  const Eigen::Index n = std::max<Eigen::Index>(1, x_.cols() - count);
  if (n == x_.cols()) return;
  x_.conservativeResize(Eigen::NoChange, n);
  resizeVelocities(v_, x_.rows(), n);
}

void FlowEngine::setParticle(int index, const Eigen::VectorXd& position) {
  DRIFTLAB_CHECK(index >= 0 && index < x_.cols(), "move particle: index " + std::to_string(index) +
                                                      " out of range [0, " + std::to_string(x_.cols()) + ")");
  DRIFTLAB_CHECK(position.size() == x_.rows(), "move particle: position has " + std::to_string(position.size()) +
                                                   " coordinates, expected " + std::to_string(x_.rows()));
  DRIFTLAB_CHECK(position.allFinite(), "move particle: coordinates must be finite (got a NaN or infinity)");
  x_.col(index) = position;
}

// a data set of another dimension restarts the particles from their layout in that dimension
void FlowEngine::setData(const Points& data) {
  DRIFTLAB_CHECK(data.rows() >= 1 && data.cols() >= 1, "set data: need at least one point (got " + shape(data) + ")");
  checkFinitePoints(data, "set data");
  checkTotal(0, data.cols(), "set data");
  if (data.rows() != x_.rows()) {
    DRIFTLAB_CHECK(params_.init != "csv", "set data: data of dimension " + std::to_string(data.rows()) +
                                              " does not match the particles from " + params_.init_csv +
                                              " (dimension " + std::to_string(x_.rows()) + ")");
    Points x = initialParticles(params_.init, params_.particles, params_.init_seed, data);
    x_ = std::move(x);
    v_ = Points::Zero(x_.rows(), x_.cols());
  }
  y_ = data;
  mode_centres_ = Points(y_.rows(), 0);
  mode_weights_.clear();
}

void FlowEngine::addData(const Points& pts) {
  DRIFTLAB_CHECK(pts.rows() == y_.rows(), "add data: points are " + shape(pts) + ", expected " +
                                              std::to_string(y_.rows()) + " rows (the data's dimension)");
  checkFinitePoints(pts, "add data");
  checkTotal(y_.cols(), pts.cols(), "add data");
  if (pts.cols() == 0) return;
  const Eigen::Index m = y_.cols();
  Points y(y_.rows(), m + pts.cols());
  y.leftCols(m) = y_;
  y.rightCols(pts.cols()) = pts;
  y_ = std::move(y);
}

// removes the data points within `radius` of `centre`; if that would be all of them, the one
// farthest from the centre stays so the KDE exists
void FlowEngine::eraseData(const Eigen::VectorXd& centre, double radius) {
  DRIFTLAB_CHECK(centre.size() == y_.rows(), "erase data: centre has " + std::to_string(centre.size()) +
                                                 " coordinates, expected " + std::to_string(y_.rows()));
  DRIFTLAB_CHECK(centre.allFinite(), "erase data: centre must be finite");
  DRIFTLAB_CHECK(radius >= 0.0 && !std::isnan(radius),
                 "erase data: radius must be >= 0 (got " + number(radius) + ")");
  const Eigen::Index m = y_.cols();
  std::vector<Eigen::Index> keep;
  keep.reserve(static_cast<std::size_t>(m));
  Eigen::Index farthest = 0;
  double farthest_d2 = -1.0;
  const double r2 = radius * radius;
  for (Eigen::Index j = 0; j < m; ++j) {
    const double d2 = (y_.col(j) - centre).squaredNorm();
    if (d2 > r2) keep.push_back(j);
    if (d2 > farthest_d2) {
      farthest_d2 = d2;
      farthest = j;
    }
  }
  if (keep.empty()) keep.push_back(farthest);
  if (static_cast<Eigen::Index>(keep.size()) == m) return;
  Points y(y_.rows(), static_cast<Eigen::Index>(keep.size()));
  for (std::size_t k = 0; k < keep.size(); ++k) y.col(static_cast<Eigen::Index>(k)) = y_.col(keep[k]);
  y_ = std::move(y);
}

// [SECTION] options and metrics

VelocityOptions FlowEngine::velocityOptions() const { return optionsAt(x_, t_); }

// every kernel sum of the run (steps, metrics, display) takes the run's compute path (compute_path.hpp)
VelocityOptions FlowEngine::optionsAt(const Points& particles, double t) const {
  VelocityOptions opt = params_.velocityOptions(particles, y_, t);
  opt.path = params_.path;
  return opt;
}

double FlowEngine::currentBandwidth() const { return velocityOptions().kernel.h; }

// the reference kernel comes from the parameters (metrics_h), so curves stay comparable
Metrics FlowEngine::metrics(const MetricsOptions& opt) const {
  MetricsOptions o = opt;
  o.reference_h = params_.metrics_h;
  o.sphere = onSphere(params_);  // geodesic energy distance, sphere normalizers (THEORY.md §10.6)
  Metrics m = computeMetrics(x_, y_, mode_centres_, mode_weights_, velocityOptions(), o);
  m.step = step_index_;
  m.time = t_;
  return m;
}

}  // namespace driftlab
