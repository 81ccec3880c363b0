// Particle mode as a Run (run.hpp): a FlowEngine, its commands, its grid fields and its part of
// the snapshot. The loop (run_worker.cpp) does the rest. Worker thread only.
//
// Behaviour readers rely on:
// - params.particles / params.samples are the *requested* counts: brush edits change the point
//   sets, not these fields, so a stale SetParams from the UI does not undo the edits.
// - Grid fields are cell-centred over the SetView rectangle (default: data box padded by 25% on
//   each side), refreshed at most ~10 times per second and at most ~1/4 of the worker's time.
// - While paused, the arrows show the field at the current state (a step would show it anyway).
#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <type_traits>
#include <variant>

#include "base/rng.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/field/bridge_paths.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/memorization.hpp"
#include "driftlab/base/fnv1a.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/flow_state.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"
#include "driftlab/io/points_file.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/run.hpp"
#include "flow/param_diff.hpp"
#include "run/display_cadence.hpp"
#include "run/field_grids.hpp"

namespace driftlab {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kGridInterval = std::chrono::milliseconds(100);  // grid fields ~10 times per second
constexpr int kGridCostFactor = 4;                              // ... and at most ~1/4 of the worker's time
constexpr int kFlowMetricsEvery = 5;
// mode dfm's panel: a sample within 1e-2 of a training point counts as a copy (THEORY.md §12.3);
// a dozen bridge paths of 64 segments each read as paths without hiding the particles
constexpr double kMemorizationRadius = 1e-2;
constexpr int kBridgePaths = 12;
constexpr int kBridgeKnots = 64;
constexpr std::uint64_t kBridgePathSalt = 0x627269646765ULL;

class FlowRun;

// a particle run's state (FlowState) as a RunCheckpoint
class FlowCheckpoint final : public RunCheckpoint {
 public:
  explicit FlowCheckpoint(FlowState s) : state(std::move(s)) {}
  long step() const override { return state.step_index; }
  std::size_t bytes() const override { return state.bytes(); }
  std::uint64_t digest() const override {
    std::uint64_t h = fnv1a(state.particles.data(), static_cast<std::size_t>(state.particles.size()) * sizeof(double));
    h = fnv1a(state.data.data(), static_cast<std::size_t>(state.data.size()) * sizeof(double), h);
    return fnv1a(&state.time, sizeof state.time, h);
  }
  std::unique_ptr<Run> makeRun() const override;
  FlowState state;
};

class FlowRun final : public Run {
 public:
  explicit FlowRun(const FlowParams& params) : engine_(params) {}
  explicit FlowRun(const FlowState& state) : engine_(state) {}

  std::shared_ptr<const RunCheckpoint> capture() const override {
    return std::make_shared<const FlowCheckpoint>(engine_.capture());
  }
  void restore(const RunCheckpoint& c) override {
    const auto* flow = dynamic_cast<const FlowCheckpoint*>(&c);
    DRIFTLAB_CHECK(flow != nullptr, "restore: not a particle-flow state");
    engine_.restore(flow->state);
    // the restored state's velocities are those of its last step; grids and bandwidth are redone
    eta_used_ = 0.0;
    velocities_stale_ = false;
    display_v_valid_ = false;
    bandwidth_stale_ = true;
    grids_.wantSoon();
  }

  std::string errorPrefix() const override { return "engine"; }
  long stepIndex() const override { return engine_.stepIndex(); }
  double time() const override { return engine_.time(); }

  StepOutcome step() override {
    // dfm.drift learned: the first step trains the network (seconds; the last snapshot says so)
    trainLearnedDfmDriftIfNeeded(engine_);
    const StepReport r = engine_.step();
    bandwidth_ = r.bandwidth;
    bandwidth_stale_ = false;
    if (!r.ok) return StepOutcome{false, r.warning};
    eta_used_ = r.eta_used;
    velocities_stale_ = false;  // engine.velocities() is the field of this step
    display_v_valid_ = false;
    grids_.markStale();
    return StepOutcome{true, r.warning};  // e.g. the first step's bandwidth-scale warning
  }

  Metrics metricsRow() override { return engine_.metrics(); }

  void apply(const Command& c, RunContext& ctx) override {
    std::visit(
        [&](const auto& command) {
          if constexpr (!kLoopCommand<std::decay_t<decltype(command)>>) applyCommand(command, ctx);
        },
        c);
  }

  bool refreshDisplay(bool paused) override;
  std::optional<Clock::time_point> displayDueAt() const override {
    if (!grids_.pending()) return std::nullopt;
    return grids_.dueAt();
  }
  void fillSnapshot(Snapshot& s, bool paused) override;

 private:
  void refreshDfmView();

  FlowEngine engine_;
  detail::DisplayCadence grids_{kGridInterval, kGridCostFactor, kGridInterval};
  detail::GridView view_;         // rectangle used only when custom_view_
  bool custom_view_ = false;
  detail::GridFields fields_;
  DfmView dfm_view_;               // mode dfm: the panel's numbers (refreshDfmView)
  GridField dfm_oracle_grid_;      // mode dfm with a learned drift: the oracle's arrows for comparison
  Points display_v_;              // velocity at the current state while paused
  bool display_v_valid_ = false;
  bool velocities_stale_ = true;  // engine.velocities() is not the current field
  double eta_used_ = 0.0;
  double bandwidth_ = 0.0;
  bool bandwidth_stale_ = true;

  void applyParams(const FlowParams& p, const std::string& label, RunContext& ctx) {
    const FlowParams before = engine_.params();
    engine_.setParams(p);  // validates; throws with the run untouched
    ctx.paramsChanged();
    const std::string diff = detail::describeParamsChange(before, engine_.params());
    if (!diff.empty()) ctx.addMarker(label.empty() ? diff : label);
    stateChanged(ctx);
  }

  // particles, data or parameters changed: grids, displayed velocities and bandwidth are stale,
  // and the change should be visible soon (the grid refresh still respects its rate limit)
  void stateChanged(RunContext& ctx) {
    grids_.wantSoon();
    velocities_stale_ = true;
    display_v_valid_ = false;
    bandwidth_stale_ = true;
    ctx.publishSoon();
  }

  void edited(RunContext& ctx, const std::string& label) {
    stateChanged(ctx);
    ctx.addEditMarker(label);
  }

  void applyCommand(const cmd::SetParams& c, RunContext& ctx) { applyParams(c.params, c.label, ctx); }

  void applyCommand(const cmd::SetParam& c, RunContext& ctx) {
    Scenario s;
    s.params = engine_.params();
    applySetting(s, c.key_equals_value);  // run-level keys (steps) do not concern a live run
    applyParams(s.params, c.key_equals_value, ctx);
  }

  void applyCommand(const cmd::Reset&, RunContext& ctx) {
    engine_.reset();
    eta_used_ = 0.0;
    stateChanged(ctx);
    ctx.restartHistory("reset");
  }

  void applyCommand(const cmd::NewSeed& c, RunContext& ctx) {
    engine_.reseed(c.seed, c.seed + 1);
    eta_used_ = 0.0;
    ctx.paramsChanged();
    stateChanged(ctx);
    ctx.restartHistory("new seed");
  }

  void applyCommand(const cmd::AddParticles& c, RunContext& ctx) {
    engine_.addParticles(c.points);
    edited(ctx, "add particles");
  }

  void applyCommand(const cmd::AddParticlesFromKde& c, RunContext& ctx) {
    engine_.addParticlesFromKde(c.count);
    edited(ctx, "add particles");
  }

  void applyCommand(const cmd::RemoveParticles& c, RunContext& ctx) {
    engine_.removeParticles(c.count);
    edited(ctx, "remove particles");
  }

  void applyCommand(const cmd::MoveParticle& c, RunContext& ctx) {
    engine_.setParticle(c.index, c.position);
    edited(ctx, "move particle");
  }

  void applyCommand(const cmd::AddData& c, RunContext& ctx) {
    engine_.addData(c.points);
    edited(ctx, "add data");
  }

  void applyCommand(const cmd::EraseData& c, RunContext& ctx) {
    engine_.eraseData(c.centre, c.radius);
    edited(ctx, "erase data");
  }

  void applyCommand(const cmd::ClearData&, RunContext& ctx) {
    const Points first = engine_.data().leftCols(1);  // one point stays so the KDE exists
    engine_.setData(first);
    stateChanged(ctx);
    ctx.addMarker("clear data");
  }

  // a dataset picked by name: the labels of a points file go with that file
  void applyCommand(const cmd::SetDataset& c, RunContext& ctx) {
    FlowParams p = engine_.params();
    p.dataset = c.name;
    p.data_labels.clear();
    applyParams(p, "dataset=" + c.name, ctx);
  }

  void applyCommand(const cmd::SetData& c, RunContext& ctx) {
    engine_.setData(c.points);
    stateChanged(ctx);
    ctx.addMarker("set data (" + std::to_string(c.points.cols()) + " points)");
  }

  // a new layout goes through setParams; the current layout is re-drawn in place (same seed)
  void applyCommand(const cmd::SetInit& c, RunContext& ctx) {
    FlowParams p = engine_.params();
    if (p.init != c.name) {
      p.init = c.name;
      applyParams(p, "init=" + c.name, ctx);
      return;
    }
    const Points x = c.name == "csv" ? readPoints(p.init_csv)
                                     : initialParticles(c.name, p.particles, p.init_seed, engine_.data());
    DRIFTLAB_CHECK(x.rows() == engine_.dim(), "init: " + p.init_csv + " has dimension " + std::to_string(x.rows()) +
                                                  ", the run has " + std::to_string(engine_.dim()));
    const Eigen::Index n_old = engine_.particles().cols(), n_new = x.cols();
    if (n_new > n_old) engine_.addParticles(x.rightCols(n_new - n_old));
    if (n_new < n_old) engine_.removeParticles(static_cast<int>(n_old - n_new));
    for (Eigen::Index i = 0; i < std::min(n_old, n_new); ++i) engine_.setParticle(static_cast<int>(i), x.col(i));
    stateChanged(ctx);
    ctx.addMarker("init=" + c.name);
  }

  void applyCommand(const cmd::SetView& c, RunContext&) {
    view_ = detail::gridViewFrom(c);
    custom_view_ = true;
    // the user is looking somewhere new: refresh soon, but a pan sends one view per frame, so
    // still at most ~10 times per second
    grids_.wantSoon();
  }

  // a particle run has no network to save (generator_run.cpp writes model files)
  void applyCommand(const cmd::SaveModel&, RunContext&) { throw InvalidArgument("save model: only in generator mode"); }
};

// grid fields (2-D) and, while paused, the velocity at the current state; rate-limited
bool FlowRun::refreshDisplay(bool paused) {
  const auto start = Clock::now();
  if (!grids_.due(start)) return false;
  grids_.begin(start);
  const VelocityOptions opt = engine_.velocityOptions();
  bandwidth_ = opt.kernel.h;
  bandwidth_stale_ = false;
  // the grids and the paused display velocity follow the run's compute path: without it they
  // would take float64 exact sums, N (N + M) pairs, i.e. hours at a million particles
  // (opt.path, set by FlowEngine::velocityOptions)
  const bool dfm = engine_.params().mode == FlowMode::Dfm;
  if (dfm) refreshDfmView();
  const detail::GridView plane_view = custom_view_ ? view_ : detail::paddedDataView(engine_.data(), view_);
  if (engine_.dim() == 2 && dfm) {
    const auto drift = [this](const Points& x) { return engine_.dfmDrift(x); };
    fields_ = detail::computeDfmGridFields(engine_.particles(), engine_.data(), opt, plane_view, drift, dfmBridgeOf(engine_.params()),
                                           engine_.dfmTime());
    dfm_oracle_grid_ = GridField{};
    if (engine_.learnedDfmDrift() != nullptr) {
      const auto oracle = [this](const Points& x) {
        return dfmOracleDrift(x, engine_.data(), dfmBridgeOf(engine_.params()), engine_.dfmTime());
      };
      dfm_oracle_grid_ = detail::quiverGridOf(plane_view, oracle);
    }
  } else if (engine_.dim() == 2) {
    fields_ = detail::computeGridFields(engine_.particles(), engine_.data(), opt, plane_view);
  } else if (engine_.dim() == 3 && engine_.params().geometry != GeometryKind::Euclidean) {
    fields_ = detail::computeSphereGridFields(engine_.particles(), engine_.data(), opt, view_);
  } else {
    fields_ = detail::GridFields{};
  }
  if (paused && velocities_stale_) {
    display_v_ = dfm ? engine_.dfmDrift(engine_.particles()) : particleVelocity(engine_.particles(), engine_.data(), opt);
    // a non-finite field is not shown (the next step would roll back and warn); no retry loop
    display_v_valid_ = display_v_.cols() == engine_.particles().cols() && display_v_.rows() == engine_.dim() &&
                       display_v_.allFinite();
    velocities_stale_ = false;
  }
  grids_.end(start, Clock::now());
  return true;
}

void FlowRun::fillSnapshot(Snapshot& s, bool paused) {
  if (bandwidth_stale_) {
    // the rule can fail on degenerate data (e.g. Silverman on one point); the step then reports
    // it, and publishing must still work: keep the last value
    try {
      bandwidth_ = engine_.currentBandwidth();
    } catch (const std::exception&) {
    }
    bandwidth_stale_ = false;
  }
  s.params = engine_.params();
  s.step_size = engine_.currentStep();
  s.eta_used = eta_used_;
  s.bandwidth = bandwidth_;
  s.particles = engine_.particles().cast<float>();
  const bool use_display = paused && display_v_valid_ && display_v_.cols() == engine_.particles().cols();
  s.velocities = (use_display ? display_v_ : engine_.velocities()).cast<float>();
  s.data = engine_.data().cast<float>();
  s.mode_centres = engine_.modeCentres().cast<float>();
  detail::putGridFields(s, fields_, engine_.params().weights);
  if (engine_.params().mode == FlowMode::Dfm) {
    auto view = std::make_shared<DfmView>(dfm_view_);
    view->t = engine_.dfmTime();
    view->t_end = 1.0 - engine_.params().dfm_epsilon;
    view->step = std::min<long>(engine_.dfmStepsTaken(), engine_.params().dfm_steps);
    view->steps = engine_.params().dfm_steps;
    view->oracle_velocity = dfm_oracle_grid_;
    s.dfm = std::move(view);
  }
}

// the DFM panel's numbers that need more than a read: the memorization share (N x M distances)
// and the bridge paths, refreshed with the grids
void FlowRun::refreshDfmView() {
  DfmView& v = dfm_view_;
  v.near_share = fractionNearData(engine_.particles(), engine_.data(), kMemorizationRadius);
  v.paths = 0;
  v.knots = 0;
  v.bridge_paths = PointsF{};
  if (engine_.dim() == 2) {
    v.paths = kBridgePaths;
    v.knots = kBridgeKnots;
    v.bridge_paths = sampleBridgePaths(engine_.data(), dfmBridgeOf(engine_.params()), kBridgePaths, kBridgeKnots,
                                       seeded::mixSeed(engine_.params().init_seed, kBridgePathSalt))
                         .cast<float>();
  }
  const DfmDriftModel* learned = engine_.learnedDfmDrift();
  v.learned = engine_.params().dfm_drift == DfmDriftKind::Learned;
  v.learned_ready = learned != nullptr;
  v.learned_loss = learned ? learned->losses() : std::vector<float>{};
  v.train_seconds = learned ? learned->trainSeconds() : 0.0;
}

std::unique_ptr<Run> FlowCheckpoint::makeRun() const { return std::make_unique<FlowRun>(state); }

}  // namespace

// [SECTION] FlowWorker

FlowWorker::FlowWorker(const FlowParams& params, bool start_paused)
    : RunWorker(std::make_unique<FlowRun>(params), kFlowMetricsEvery, start_paused) {}

}  // namespace driftlab
