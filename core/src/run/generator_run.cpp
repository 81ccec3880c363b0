// Generator mode as a Run (run.hpp): a GeneratorEngine (THEORY.md §7), its commands, its display
// and its part of the snapshot. The loop (run_worker.cpp) does the rest. Worker thread only.
//
// What is shown: samples of the fixed noise batch, their drift arrows
// (GeneratorEngine::sampleVelocities), a fixed display data batch, grid fields of the samples
// against that batch, and for a 2-D latent the image of a latent grid. The worker's time belongs
// to training steps, so the display has two rate-limited refreshes, each held to about 1/16 of
// the worker's time: the points (samples, arrows, latent grid: ~15 ms at the toy sizes, a
// training step is ~25 ms) at most ~7 times per second, and the grid fields (~140 ms for a 96 x 96
// heat map against 2048 + 2048 points) at most twice per second. A command that changes what is
// shown (parameters, view, reset) brings the next refresh forward to the minimum interval.
//
// The particle and data editing commands are rejected with "<what>: not available in generator mode".
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <type_traits>
#include <variant>

#include "driftlab/base/error.hpp"
#include "driftlab/base/fnv1a.hpp"
#include "driftlab/generator/generator_state.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/run/generator_worker.hpp"
#include "driftlab/run/run.hpp"
#include "flow/param_diff.hpp"
#include "run/display_cadence.hpp"
#include "run/field_grids.hpp"

namespace driftlab {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPointsInterval = std::chrono::milliseconds(150);  // samples + arrows <= ~7 times per second
constexpr auto kGridsInterval = std::chrono::milliseconds(500);   // grid fields <= 2 times per second
constexpr int kDisplayCostFactor = 16;                            // ... and each at most ~1/16 of the time
constexpr auto kPromptInterval = std::chrono::milliseconds(100);  // after a command that changes the view
constexpr int kLatentGridN = 21;                                  // latent grid lines per axis (2-D latent only)
constexpr double kLatentGridLim = 2.5;                            // over [-2.5, 2.5]^2: ~99% of N(0, I)
constexpr int kMaxDisplayData = 4096;                             // data points shown
// the display data batch: a step-like index no training step reaches (training uses 0, 1, ...)
constexpr std::uint64_t kDisplayDataIndex = 0x7D15'0000'0000'0001ull;

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// one line for the Run panel: what network and optimizer are training
std::string settingsLine(const GeneratorParams& p) {
  return p.arch.label() + ", lr " + num(p.adam.lr) + ", batch " + std::to_string(p.batch) + "/" +
         std::to_string(p.data_batch) + ", eta " + num(p.eta) +
         (p.ema > 0.0 ? ", samples from weight average " + num(p.ema) : std::string());
}

// a generator run's state (GeneratorState) with its scenario (the base of saved models) as a
// RunCheckpoint
class GeneratorCheckpoint final : public RunCheckpoint {
 public:
  GeneratorCheckpoint(GeneratorState s, GeneratorScenario sc) : state(std::move(s)), scenario(std::move(sc)) {}
  long step() const override { return state.step; }
  std::size_t bytes() const override { return state.bytes() + sizeof(GeneratorScenario); }
  std::uint64_t digest() const override {
    std::uint64_t h = fnv1a(state.weights.data(), state.weights.size() * sizeof(float));
    h = fnv1a(state.ema_weights.data(), state.ema_weights.size() * sizeof(float), h);
    return fnv1a(&state.step, sizeof state.step, h);
  }
  std::unique_ptr<Run> makeRun() const override;
  GeneratorState state;
  GeneratorScenario scenario;
};

class GeneratorRun final : public Run {
 public:
  explicit GeneratorRun(const GeneratorScenario& s) : scenario_(s), engine_(s.params) { showFirstPicture(); }
  explicit GeneratorRun(const GeneratorCheckpoint& c) : scenario_(c.scenario), engine_(c.state) { showFirstPicture(); }

  std::shared_ptr<const RunCheckpoint> capture() const override {
    return std::make_shared<const GeneratorCheckpoint>(engine_.capture(), scenario_);
  }
  void restore(const RunCheckpoint& c) override {
    const auto* gen = dynamic_cast<const GeneratorCheckpoint*>(&c);
    DRIFTLAB_CHECK(gen != nullptr, "restore: not a generator state");
    engine_.restore(gen->state);
    data_dirty_ = true;
    points_.wantSoon();
    grids_.wantSoon();
  }

  std::string errorPrefix() const override { return "generator"; }
  long stepIndex() const override { return engine_.stepIndex(); }
  double time() const override { return engine_.trainingTime(); }

  // a skipped update (non-finite loss) still advances the step counter
  StepOutcome step() override {
    const TrainReport r = engine_.step();
    bandwidth_ = r.bandwidth;
    points_.markStale();
    grids_.markStale();
    std::string warning = !r.ok || !r.warning.empty() ? (r.warning.empty() ? "training step failed" : r.warning) : "";
    return StepOutcome{true, std::move(warning)};
  }

  // the engine metrics of the fixed samples, objective = the training loss (THEORY.md §7.1)
  Metrics metricsRow() override {
    const GeneratorMetrics g = engine_.metrics();
    Metrics m = g.m;
    m.objective = g.loss;
    return m;
  }

  void apply(const Command& c, RunContext& ctx) override {
    std::visit(
        [&](const auto& command) {
          if constexpr (!kLoopCommand<std::decay_t<decltype(command)>>) applyCommand(command, ctx);
        },
        c);
  }

  bool refreshDisplay(bool paused) override;
  std::optional<Clock::time_point> displayDueAt() const override {
    if (points_.pending() && grids_.pending()) return std::min(points_.dueAt(), grids_.dueAt());
    if (points_.pending()) return points_.dueAt();
    if (grids_.pending()) return grids_.dueAt();
    return std::nullopt;
  }
  void fillSnapshot(Snapshot& s, bool paused) override;

 private:
  GeneratorScenario scenario_;  // name, description, steps: the base of saved models
  GeneratorEngine engine_;
  std::string notice_;          // e.g. "saved model.json (step 120)"
  Points samples_, sample_v_, display_data_;
  PointsF latent_grid_;
  detail::GridFields fields_;
  detail::GridView view_;
  bool custom_view_ = false;
  detail::DisplayCadence points_{kPointsInterval, kDisplayCostFactor, kPromptInterval};
  detail::DisplayCadence grids_{kGridsInterval, kDisplayCostFactor, kPromptInterval};
  bool data_dirty_ = true;      // the display data batch must be redrawn
  double bandwidth_ = 0.0;

  void refreshGrids(const GeneratorParams& p);

  // readers get the samples and data at once; the worker adds arrows, grids and metrics
  void showFirstPicture() {
    display_data_ = engine_.dataBatch(std::min(engine_.params().sample_count, kMaxDisplayData), kDisplayDataIndex);
    data_dirty_ = false;
    samples_ = engine_.samples();
    sample_v_ = Points::Zero(samples_.rows(), samples_.cols());
  }

  // network or field changed: the display is stale, show it soon (the rate limit still applies)
  void stateChanged(RunContext& ctx) {
    points_.wantSoon();
    grids_.wantSoon();
    ctx.publishSoon();
  }

  // A network change re-initializes the network (step 0): the history restarts then.
  void applyParams(const GeneratorParams& p, const std::string& label, RunContext& ctx) {
    const GeneratorParams before = engine_.params();
    const long step_before = engine_.stepIndex();
    const std::string warning = engine_.setParams(p);  // validates; throws with the run untouched
    ctx.paramsChanged();
    if (!warning.empty()) ctx.addWarning(warning);
    if (engine_.stepIndex() != step_before) {
      ctx.restartHistory(label.empty() ? "network re-initialized" : label);
    } else if (!(before == engine_.params())) {
      const std::string diff = detail::describeParamsChange(before.field, engine_.params().field);
      ctx.addMarker(!label.empty() ? label : !diff.empty() ? diff : "generator settings");
    }
    const FlowParams& a = before.field;
    const FlowParams& b = engine_.params().field;
    if (a.dataset != b.dataset || a.data_seed != b.data_seed || a.data_csv != b.data_csv ||
        a.data_labels != b.data_labels)
      data_dirty_ = true;
    stateChanged(ctx);
  }

  // the FlowParams part only: the UI's parameter panel edits the field
  void applyCommand(const cmd::SetParams& c, RunContext& ctx) {
    GeneratorParams p = engine_.params();
    p.field = c.params;
    applyParams(p, c.label, ctx);
  }

  void applyCommand(const cmd::SetParam& c, RunContext& ctx) {
    GeneratorScenario s = scenario_;
    s.params = engine_.params();
    applyGeneratorSetting(s, c.key_equals_value);  // throws; s unchanged on error
    applyParams(s.params, c.key_equals_value, ctx);
  }

  // a dataset picked by name: the labels of a points file go with that file
  void applyCommand(const cmd::SetDataset& c, RunContext& ctx) {
    GeneratorParams p = engine_.params();
    p.field.dataset = c.name;
    p.field.data_labels.clear();
    applyParams(p, "dataset=" + c.name, ctx);
  }

  void applyCommand(const cmd::Reset&, RunContext& ctx) {
    engine_.reset();
    stateChanged(ctx);
    ctx.restartHistory("reset");
  }

  // every seed from one number (applyGeneratorSetting's "seed" key), then a fresh network
  void applyCommand(const cmd::NewSeed& c, RunContext& ctx) {
    GeneratorScenario s = scenario_;
    s.params = engine_.params();
    applyGeneratorSetting(s, "seed=" + std::to_string(c.seed));
    const std::string warning = engine_.setParams(s.params);
    (void)warning;  // the re-initialization is what the user asked for
    engine_.reset();
    ctx.paramsChanged();
    data_dirty_ = true;
    stateChanged(ctx);
    ctx.restartHistory("new seed");
  }

  void applyCommand(const cmd::SetView& c, RunContext&) {
    view_ = detail::gridViewFrom(c);
    custom_view_ = true;
    points_.wantSoon();
    grids_.wantSoon();
  }

  // the current network with the live parameters (model_file.hpp; atomic write)
  void applyCommand(const cmd::SaveModel& c, RunContext& ctx) {
    DRIFTLAB_CHECK(!c.path.empty(), "save model: the file name is empty");
    try {
      saveModel(c.path, modelFromEngine(engine_, scenario_));
    } catch (const InvalidArgument&) {
      throw;
    } catch (const std::exception& e) {
      throw InvalidArgument("save model: " + c.path + ": " + e.what());
    }
    notice_ = "saved " + c.path + " (step " + std::to_string(engine_.stepIndex()) + ")";
    ctx.publishSoon();
  }

  [[noreturn]] static void unavailable(const std::string& what) {
    throw InvalidArgument(what + ": not available in generator mode");
  }
  void applyCommand(const cmd::AddParticles&, RunContext&) { unavailable("add particles"); }
  void applyCommand(const cmd::AddParticlesFromKde&, RunContext&) { unavailable("add particles"); }
  void applyCommand(const cmd::RemoveParticles&, RunContext&) { unavailable("remove particles"); }
  void applyCommand(const cmd::MoveParticle&, RunContext&) { unavailable("move particle"); }
  void applyCommand(const cmd::AddData&, RunContext&) { unavailable("add data"); }
  void applyCommand(const cmd::EraseData&, RunContext&) { unavailable("erase data"); }
  void applyCommand(const cmd::ClearData&, RunContext&) { unavailable("clear data"); }
  void applyCommand(const cmd::SetData&, RunContext&) { unavailable("set data"); }
  void applyCommand(const cmd::SetInit&, RunContext&) { unavailable("init"); }
};

// samples, arrows, display data and latent grid, then the grid fields when they are due; each
// rate-limited on its own (top of file)
bool GeneratorRun::refreshDisplay(bool) {
  const auto start = Clock::now();
  bool grids_due = grids_.due(start);
  // the grid fields are computed from the samples, so a grid refresh also refreshes the points
  if (!grids_due && !points_.due(start)) return false;
  points_.begin(start);
  if (grids_due) grids_.begin(start);
  const GeneratorParams& p = engine_.params();
  if (data_dirty_ || display_data_.rows() != engine_.dim()) {
    display_data_ = engine_.dataBatch(std::min(p.sample_count, kMaxDisplayData), kDisplayDataIndex);
    data_dirty_ = false;
    grids_due = true;  // new data: grids drawn against the old batch would not match it
  }
  samples_ = engine_.samples();
  sample_v_ = engine_.sampleVelocities(samples_);
  if (!sample_v_.allFinite() || sample_v_.cols() != samples_.cols())
    sample_v_ = Points::Zero(samples_.rows(), samples_.cols());
  if (p.arch.input_dim == 2 && engine_.dim() == 2)
    latent_grid_ = engine_.latentGridImage(kLatentGridN, kLatentGridLim).cast<float>();
  else
    latent_grid_.resize(0, 0);
  points_.end(start, Clock::now());
  if (grids_due) refreshGrids(p);
  return true;
}

// grid fields of the current samples against the display data (2-D only)
void GeneratorRun::refreshGrids(const GeneratorParams& p) {
  const auto start = Clock::now();
  grids_.begin(start);
  const VelocityOptions opt = p.velocityOptions(samples_, display_data_, engine_.stepIndex());
  bandwidth_ = opt.kernel.h;
  if (engine_.dim() == 2) {
    const detail::GridView v = custom_view_ ? view_ : detail::paddedDataView(display_data_, view_);
    // opt.path is the training field's path (GeneratorParams::velocityOptions)
    fields_ = detail::computeGridFields(samples_, display_data_, opt, v);
  } else if (engine_.dim() == 3 && p.field.geometry != GeometryKind::Euclidean) {
    fields_ = detail::computeSphereGridFields(samples_, display_data_, opt, view_);
  } else {
    fields_ = detail::GridFields{};
  }
  grids_.end(start, Clock::now());
}

void GeneratorRun::fillSnapshot(Snapshot& s, bool) {
  const GeneratorParams& p = engine_.params();
  s.params = p.field;
  s.step_size = p.eta;
  s.eta_used = p.eta;
  s.bandwidth = bandwidth_;
  s.particles = samples_.cast<float>();
  s.velocities = sample_v_.cast<float>();
  s.data = display_data_.cast<float>();
  s.mode_centres = engine_.modeCentres().cast<float>();
  detail::putGridFields(s, fields_, p.field.weights);

  auto g = std::make_shared<GeneratorView>();
  g->name = scenario_.name;
  g->settings = settingsLine(p);
  g->notice = notice_;
  g->lr = engine_.currentLr();  // after any blow-up halvings
  g->eta = p.eta;
  g->ema = p.ema;
  g->batch = p.batch;
  g->data_batch = p.data_batch;
  g->latent = p.arch.input_dim;
  for (std::size_t i = 0; i < p.arch.hidden.size(); ++i) g->widths += (i ? "," : "") + std::to_string(p.arch.hidden[i]);
  g->latent_grid = latent_grid_;
  g->latent_nx = latent_grid_.cols() > 0 ? kLatentGridN : 0;
  g->latent_ny = g->latent_nx;
  s.generator = std::move(g);
}

std::unique_ptr<Run> GeneratorCheckpoint::makeRun() const { return std::make_unique<GeneratorRun>(*this); }

}  // namespace

// [SECTION] GeneratorWorker

GeneratorWorker::GeneratorWorker(const GeneratorScenario& scenario, bool start_paused)
    : RunWorker(std::make_unique<GeneratorRun>(scenario), std::clamp(scenario.metrics_every, 1, 1'000'000), start_paused) {}

}  // namespace driftlab
