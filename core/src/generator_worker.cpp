// GeneratorWorker: a GeneratorEngine on its own std::jthread (STYLE.md L3, L4, L6, L7). The
// same thread model as flow_worker.cpp:
//
// Threads: send(), latest() and stepsDone() are called from any thread; everything in the
// "worker state" block of Impl is touched only by the worker thread (and by the constructor
// before the thread starts). The queue mutex is held only to push or swap out the command
// vector, the snapshot mutex only to exchange a pointer, so readers never wait for a step.
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
// [SECTION] constants | Impl | loop | commands | stepping and display | publishing | GeneratorWorker
#include "driftlab/generator_worker.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>
#include <exception>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "driftlab/error.hpp"
#include "driftlab/model_file.hpp"
#include "field_grids.hpp"
#include "param_diff.hpp"
#include "worker_channels.hpp"

namespace driftlab {

// [SECTION] constants
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPublishInterval = std::chrono::microseconds(16'667);  // ~60 publishes per second
constexpr auto kPointsInterval = std::chrono::milliseconds(150);      // samples + arrows <= ~7 times per second
constexpr auto kGridsInterval = std::chrono::milliseconds(500);       // grid fields <= 2 times per second
constexpr int kDisplayCostFactor = 16;        // ... and each at most ~1/16 of the worker's time
constexpr auto kPromptInterval = std::chrono::milliseconds(100);      // after a command that changes the view
constexpr auto kRateWindow = std::chrono::seconds(1);
constexpr std::size_t kMaxHistoryRows = 20'000;
constexpr std::size_t kMaxMarkers = 1'000;
constexpr std::size_t kMaxWarnings = 8;
constexpr int kMaxCadence = 1'000'000;
constexpr int kLatentGridN = 21;              // latent grid lines per axis (2-D latent only)
constexpr double kLatentGridLim = 2.5;        // over [-2.5, 2.5]^2: ~99% of N(0, I)
constexpr int kMaxDisplayData = 4096;         // data points shown
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

}  // namespace

// [SECTION] Impl
struct GeneratorWorker::Impl {
  Impl(const GeneratorScenario& s, bool start_paused);

  // thread: worker
  void run(std::stop_token st);

  // ---- shared between threads ----
  detail::CommandQueue queue;
  detail::SnapshotSlot slot;
  std::atomic<std::uint64_t> steps_done{0};       // training steps taken (a skipped update counts: the step index advanced)

  // ---- worker state: worker thread only ----
  GeneratorScenario scenario;                     // name, description, steps: the base of saved models
  GeneratorEngine engine;
  bool paused = false;
  int step_once = 0;
  std::uint64_t params_version = 0;
  std::uint64_t snapshot_id = 0;
  detail::GridView view;
  bool custom_view = false;
  int steps_per_publish = 1;
  int metrics_every = 100;

  MetricHistory history;
  std::shared_ptr<const MetricHistory> history_ptr;
  bool history_changed = true;
  std::deque<std::string> warnings;
  std::string error;
  std::string notice;                             // e.g. "saved model.json (step 120)"

  // display state, refreshed by refreshDisplay()
  Points samples, sample_v, display_data;
  PointsF latent_grid;
  detail::GridFields grids;
  bool display_dirty = true;                      // the points are stale
  bool grids_dirty = true;                        // the grid fields are stale
  bool data_dirty = true;                         // the display data batch must be redrawn
  Clock::time_point next_display{};               // earliest next points refresh
  Clock::time_point last_display{};
  Clock::time_point next_grids{};                 // earliest next grid refresh (always with a points refresh)
  Clock::time_point last_grids{};
  double bandwidth = 0.0;

  std::deque<std::pair<Clock::time_point, long>> rate_window;
  int steps_since_metrics = 0;
  bool metrics_due = false;
  int steps_since_publish = 0;
  Clock::time_point last_publish{};
  bool publish_due = false;

  void iterate(std::vector<Command>& batch);
  void fail(const std::string& what);
  void applyBatch(std::vector<Command>& batch);
  void apply(const cmd::SetParams& c);
  void apply(const cmd::SetParam& c);
  void apply(const cmd::Reset& c);
  void apply(const cmd::NewSeed& c);
  void apply(const cmd::Pause& c);
  void apply(const cmd::Resume& c);
  void apply(const cmd::StepOnce& c);
  void apply(const cmd::SetView& c);
  void apply(const cmd::SetStepsPerPublish& c);
  void apply(const cmd::SetMetricsEvery& c);
  void apply(const cmd::SaveModel& c);
  void apply(const cmd::AddParticles&) { unavailable("add particles"); }
  void apply(const cmd::AddParticlesFromKde&) { unavailable("add particles"); }
  void apply(const cmd::RemoveParticles&) { unavailable("remove particles"); }
  void apply(const cmd::MoveParticle&) { unavailable("move particle"); }
  void apply(const cmd::AddData&) { unavailable("add data"); }
  void apply(const cmd::EraseData&) { unavailable("erase data"); }
  void apply(const cmd::ClearData&) { unavailable("clear data"); }
  void apply(const cmd::SetDataset& c);
  void apply(const cmd::SetData&) { unavailable("set data"); }
  void apply(const cmd::SetInit&) { unavailable("init"); }
  [[noreturn]] static void unavailable(const std::string& what) {
    throw InvalidArgument(what + ": not available in generator mode");
  }
  void applyParams(const GeneratorParams& p, const std::string& label);
  void stateChanged();
  void addMarker(const std::string& label);
  void restartHistory(const std::string& label);
  void doStep();
  void recordMetrics();
  void refreshDisplay();
  void refreshGrids(const GeneratorParams& p);
  void displayWanted();
  void addWarning(const std::string& w);
  double stepsPerSecond() const;
  void publish();

  std::jthread thread;  // last: started after, and joined before, everything above
};

GeneratorWorker::Impl::Impl(const GeneratorScenario& s, bool start_paused)
    : scenario(s), engine(s.params), paused(start_paused), metrics_every(std::max(1, s.metrics_every)) {
  history_ptr = std::make_shared<const MetricHistory>();
  // readers get the samples and data at once; the worker adds arrows, grids and metrics
  display_data = engine.dataBatch(std::min(s.params.sample_count, kMaxDisplayData), kDisplayDataIndex);
  data_dirty = false;
  samples = engine.samples();
  sample_v = Points::Zero(samples.rows(), samples.cols());
  publish();
}

// [SECTION] loop

void GeneratorWorker::Impl::run(std::stop_token st) {
  try {
    recordMetrics();
    refreshDisplay();
    publish();
  } catch (const std::exception& e) {
    fail(e.what());
  }
  while (!st.stop_requested()) {
    // paused with nothing to do: sleep until a command arrives, stop is requested, or a pending
    // display refresh becomes due (no busy loop)
    const bool display_pending = display_dirty || grids_dirty;
    const Clock::time_point wake_at = display_dirty && grids_dirty ? std::min(next_display, next_grids)
                                      : display_dirty              ? next_display
                                                                   : next_grids;
    std::vector<Command> batch = queue.take(st, paused && step_once == 0, display_pending, wake_at);
    if (st.stop_requested()) break;
    iterate(batch);
  }
}

void GeneratorWorker::Impl::iterate(std::vector<Command>& batch) {
  const bool was_paused = paused;
  const bool had_commands = !batch.empty();
  try {
    if (had_commands) applyBatch(batch);
    if (metrics_due) recordMetrics();
    if (!paused || step_once > 0) {
      if (paused) --step_once;
      doStep();
    }
    refreshDisplay();
    const auto now = Clock::now();
    const bool force = had_commands || paused != was_paused || (paused && publish_due);
    const bool timely = steps_since_publish >= steps_per_publish && now - last_publish >= kPublishInterval;
    if (force || timely) publish();
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

void GeneratorWorker::Impl::fail(const std::string& what) {
  error = "generator error at step " + std::to_string(engine.stepIndex()) + ": " + what + " (run paused)";
  paused = true;
  step_once = 0;
  try {
    publish();
  } catch (...) {
    // out of memory while publishing: readers keep the previous snapshot
  }
}

// [SECTION] commands

// as FlowWorker: consecutive SetParams collapse to the last; Snapshot::error = last rejection
void GeneratorWorker::Impl::applyBatch(std::vector<Command>& batch) {
  error = detail::applyCommandBatch(batch, [this](const auto& c) { apply(c); });
}

// A network change re-initializes the network (step 0): the history restarts then.
void GeneratorWorker::Impl::applyParams(const GeneratorParams& p, const std::string& label) {
  const GeneratorParams before = engine.params();
  const long step_before = engine.stepIndex();
  const std::string warning = engine.setParams(p);  // validates; throws with the run untouched
  ++params_version;
  if (!warning.empty()) addWarning(warning);
  if (engine.stepIndex() != step_before) {
    restartHistory(label.empty() ? "network re-initialized" : label);
  } else if (!(before == engine.params())) {
    std::string diff = detail::describeParamsChange(before.field, engine.params().field);
    addMarker(!label.empty() ? label : !diff.empty() ? diff : "generator settings");
  }
  if (before.field.dataset != engine.params().field.dataset || before.field.data_seed != engine.params().field.data_seed ||
      before.field.data_csv != engine.params().field.data_csv)
    data_dirty = true;
  stateChanged();
}

// the FlowParams part only: the UI's parameter panel edits the field
void GeneratorWorker::Impl::apply(const cmd::SetParams& c) {
  GeneratorParams p = engine.params();
  p.field = c.params;
  applyParams(p, c.label);
}

void GeneratorWorker::Impl::apply(const cmd::SetParam& c) {
  GeneratorScenario s = scenario;
  s.params = engine.params();
  applyGeneratorSetting(s, c.key_equals_value);  // throws; s unchanged on error
  applyParams(s.params, c.key_equals_value);
}

void GeneratorWorker::Impl::apply(const cmd::SetDataset& c) {
  GeneratorParams p = engine.params();
  p.field.dataset = c.name;
  applyParams(p, "dataset=" + c.name);
}

void GeneratorWorker::Impl::apply(const cmd::Reset&) {
  engine.reset();
  stateChanged();
  restartHistory("reset");
}

// every seed from one number (applyGeneratorSetting's "seed" key), then a fresh network
void GeneratorWorker::Impl::apply(const cmd::NewSeed& c) {
  GeneratorScenario s = scenario;
  s.params = engine.params();
  applyGeneratorSetting(s, "seed=" + std::to_string(c.seed));
  const std::string warning = engine.setParams(s.params);
  (void)warning;  // the re-initialization is what the user asked for
  engine.reset();
  ++params_version;
  data_dirty = true;
  stateChanged();
  restartHistory("new seed");
}

void GeneratorWorker::Impl::apply(const cmd::Pause&) {
  paused = true;
  step_once = 0;
}

void GeneratorWorker::Impl::apply(const cmd::Resume&) {
  paused = false;
  step_once = 0;
}

void GeneratorWorker::Impl::apply(const cmd::StepOnce&) {
  if (paused) ++step_once;
}

void GeneratorWorker::Impl::apply(const cmd::SetView& c) {
  detail::GridView v;
  v.x0 = c.x0;
  v.y0 = c.y0;
  v.x1 = c.x1;
  v.y1 = c.y1;
  v.quiver_n = c.quiver_n;
  v.density_n = c.density_n;
  detail::validateGridView(v);
  view = v;
  custom_view = true;
  displayWanted();
}

void GeneratorWorker::Impl::apply(const cmd::SetStepsPerPublish& c) {
  DRIFTLAB_CHECK(c.steps >= 1 && c.steps <= kMaxCadence,
                 "steps_per_publish: must be in [1, 1000000] (got " + std::to_string(c.steps) + ")");
  steps_per_publish = c.steps;
}

void GeneratorWorker::Impl::apply(const cmd::SetMetricsEvery& c) {
  DRIFTLAB_CHECK(c.steps >= 1 && c.steps <= kMaxCadence,
                 "metrics_every: must be in [1, 1000000] (got " + std::to_string(c.steps) + ")");
  metrics_every = c.steps;
}

// the current network with the live parameters (model_file.hpp; atomic write)
void GeneratorWorker::Impl::apply(const cmd::SaveModel& c) {
  DRIFTLAB_CHECK(!c.path.empty(), "save model: the file name is empty");
  try {
    saveModel(c.path, modelFromEngine(engine, scenario));
  } catch (const InvalidArgument&) {
    throw;
  } catch (const std::exception& e) {
    throw InvalidArgument("save model: " + c.path + ": " + e.what());
  }
  notice = "saved " + c.path + " (step " + std::to_string(engine.stepIndex()) + ")";
  publish_due = true;
}

// network or field changed: the display is stale, show it soon (rate limit still applies)
void GeneratorWorker::Impl::stateChanged() {
  displayWanted();
  publish_due = true;
}

// points and grids both stale after a command: refresh them within kPromptInterval of the last
// refresh, not at their training-time cadence (a headless capture sends a view per frame)
void GeneratorWorker::Impl::displayWanted() {
  display_dirty = true;
  grids_dirty = true;
  next_display = std::min(next_display, last_display + kPromptInterval);
  next_grids = std::min(next_grids, last_grids + kPromptInterval);
}

void GeneratorWorker::Impl::addMarker(const std::string& label) {
  history.markers.push_back(ChangeMarker{engine.stepIndex(), engine.trainingTime(), label});
  if (history.markers.size() > kMaxMarkers)
    history.markers.erase(history.markers.begin(), history.markers.begin() + static_cast<std::ptrdiff_t>(kMaxMarkers / 4));
  history_changed = true;
}

// the step counter restarted at 0: old rows and markers would overlap the new run
void GeneratorWorker::Impl::restartHistory(const std::string& label) {
  history.rows.clear();
  history.markers.clear();
  addMarker(label);
  rate_window.clear();
  steps_since_metrics = 0;
  metrics_due = true;
}

// [SECTION] stepping and display

void GeneratorWorker::Impl::doStep() {
  const TrainReport r = engine.step();
  bandwidth = r.bandwidth;
  if (!r.ok || !r.warning.empty()) addWarning(r.warning.empty() ? "training step failed" : r.warning);
  steps_done.fetch_add(1);
  display_dirty = true;
  grids_dirty = true;
  ++steps_since_publish;
  const auto now = Clock::now();
  rate_window.emplace_back(now, engine.stepIndex());
  while (rate_window.size() > 2 && now - rate_window[1].first >= kRateWindow) rate_window.pop_front();
  if (++steps_since_metrics >= metrics_every) recordMetrics();
}

// one row: the engine metrics of the fixed samples, objective = the training loss (MATH.md §5.1)
void GeneratorWorker::Impl::recordMetrics() {
  steps_since_metrics = 0;
  metrics_due = false;
  try {
    const GeneratorMetrics g = engine.metrics();
    Metrics m = g.m;
    m.objective = g.loss;
    history.rows.push_back(m);
  } catch (const std::exception& e) {
    addWarning(std::string("metrics failed at step ") + std::to_string(engine.stepIndex()) + ": " + e.what());
    return;
  }
  if (history.rows.size() >= kMaxHistoryRows) {
    const std::size_t half = history.rows.size() / 2;
    std::vector<Metrics> rows;
    rows.reserve(history.rows.size());
    for (std::size_t i = 0; i < half; i += 2) rows.push_back(history.rows[i]);
    rows.insert(rows.end(), history.rows.begin() + static_cast<std::ptrdiff_t>(half), history.rows.end());
    history.rows = std::move(rows);
  }
  history_changed = true;
  publish_due = true;
}

// samples, arrows, display data and latent grid, then the grid fields when they are due; each
// rate-limited on its own (top of file)
void GeneratorWorker::Impl::refreshDisplay() {
  const auto start = Clock::now();
  bool grids_due = grids_dirty && start >= next_grids;
  // the grid fields are computed from the samples, so a grid refresh also refreshes the points
  if (!grids_due && (!display_dirty || start < next_display)) return;
  display_dirty = false;  // cleared first: a refresh that throws is not retried in a tight loop
  if (grids_due) grids_dirty = false;
  last_display = start;
  next_display = start + kPointsInterval;
  const GeneratorParams& p = engine.params();
  if (data_dirty || display_data.rows() != engine.dim()) {
    display_data = engine.dataBatch(std::min(p.sample_count, kMaxDisplayData), kDisplayDataIndex);
    data_dirty = false;
    grids_dirty = true;
    grids_due = true;  // new data: grids drawn against the old batch would not match it
  }
  samples = engine.samples();
  sample_v = engine.sampleVelocities(samples);
  if (!sample_v.allFinite() || sample_v.cols() != samples.cols()) sample_v = Points::Zero(samples.rows(), samples.cols());
  if (p.arch.input_dim == 2 && engine.dim() == 2)
    latent_grid = engine.latentGridImage(kLatentGridN, kLatentGridLim).cast<float>();
  else
    latent_grid.resize(0, 0);
  publish_due = true;
  const auto points_done = Clock::now();
  next_display = start + std::max<Clock::duration>(kPointsInterval, kDisplayCostFactor * (points_done - start));
  if (grids_due) refreshGrids(p);
}

// grid fields of the current samples against the display data (2-D only)
void GeneratorWorker::Impl::refreshGrids(const GeneratorParams& p) {
  const auto start = Clock::now();
  grids_dirty = false;
  last_grids = start;
  next_grids = start + kGridsInterval;
  const VelocityOptions opt = p.velocityOptions(samples, display_data, engine.stepIndex());
  bandwidth = opt.kernel.h;
  if (engine.dim() == 2) {
    const detail::GridView v = custom_view ? view : detail::paddedDataView(display_data, view);
    const ComputePathScope path_scope(p.compute_path);  // the training field's path (generator.hpp)
    grids = detail::computeGridFields(samples, display_data, opt, v);
  } else {
    grids = detail::GridFields{};
  }
  next_grids = start + std::max<Clock::duration>(kGridsInterval, kDisplayCostFactor * (Clock::now() - start));
}

void GeneratorWorker::Impl::addWarning(const std::string& w) {
  warnings.push_back(w);
  while (warnings.size() > kMaxWarnings) warnings.pop_front();
  publish_due = true;
}

double GeneratorWorker::Impl::stepsPerSecond() const {
  if (paused || rate_window.size() < 2) return 0.0;
  const double dt = std::chrono::duration<double>(rate_window.back().first - rate_window.front().first).count();
  const long steps = rate_window.back().second - rate_window.front().second;
  return dt > 0.0 && steps > 0 ? static_cast<double>(steps) / dt : 0.0;
}

// [SECTION] publishing

void GeneratorWorker::Impl::publish() {
  if (history_changed) {
    history_ptr = std::make_shared<const MetricHistory>(history);  // copy-on-write
    history_changed = false;
  }
  if (paused) rate_window.clear();
  const GeneratorParams& p = engine.params();

  auto s = std::make_shared<Snapshot>();
  s->snapshot_id = ++snapshot_id;
  s->params_version = params_version;
  s->params = p.field;
  s->step = engine.stepIndex();
  s->time = engine.trainingTime();
  s->step_size = p.eta;
  s->eta_used = p.eta;
  s->bandwidth = bandwidth;
  s->paused = paused;
  s->steps_per_second = stepsPerSecond();

  s->particles = samples.cast<float>();
  s->velocities = sample_v.cast<float>();
  s->data = display_data.cast<float>();
  s->mode_centres = engine.modeCentres().cast<float>();

  s->velocity = grids.velocity;
  s->attraction = grids.attraction;
  s->repulsion = grids.repulsion;
  s->per_term = grids.per_term;
  if (!grids.velocity.empty()) {
    s->terms = grids.terms;
  } else {
    for (int d = 0; d < kNumDivergences; ++d)
      if (p.field.weights.w[static_cast<std::size_t>(d)] > 0.0) s->terms.push_back(static_cast<Divergence>(d));
  }
  s->log_p = grids.log_p;
  s->log_q = grids.log_q;
  s->speed = grids.speed;

  s->history = history_ptr;
  s->warnings.assign(warnings.begin(), warnings.end());
  s->error = error;

  s->generator_mode = true;
  s->train_step = engine.stepIndex();
  s->generator_name = scenario.name;
  s->generator_settings = settingsLine(p);
  s->generator_notice = notice;
  s->generator_lr = engine.currentLr();  // after any blow-up halvings
  s->generator_eta = p.eta;
  s->generator_ema = p.ema;
  s->generator_batch = p.batch;
  s->generator_data_batch = p.data_batch;
  s->generator_latent = p.arch.input_dim;
  for (std::size_t i = 0; i < p.arch.hidden.size(); ++i)
    s->generator_widths += (i ? "," : "") + std::to_string(p.arch.hidden[i]);
  s->latent_grid = latent_grid;
  s->latent_nx = latent_grid.cols() > 0 ? kLatentGridN : 0;
  s->latent_ny = s->latent_nx;

  slot.publish(std::move(s));
  last_publish = Clock::now();
  steps_since_publish = 0;
  publish_due = false;
}

// [SECTION] GeneratorWorker

GeneratorWorker::GeneratorWorker(const GeneratorScenario& scenario, bool start_paused)
    : impl_(std::make_unique<Impl>(scenario, start_paused)) {
  impl_->thread = std::jthread([impl = impl_.get()](std::stop_token st) { impl->run(std::move(st)); });
}

GeneratorWorker::~GeneratorWorker() {
  impl_->thread.request_stop();
  impl_->queue.wakeAll();
  if (impl_->thread.joinable()) impl_->thread.join();
}

// thread: any
void GeneratorWorker::send(Command c) { impl_->queue.push(std::move(c)); }

// thread: any
std::shared_ptr<const Snapshot> GeneratorWorker::latest() const { return impl_->slot.latest(); }

// thread: any
std::uint64_t GeneratorWorker::stepsDone() const { return impl_->steps_done.load(); }

}  // namespace driftlab
