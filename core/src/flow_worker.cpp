// FlowWorker: a FlowEngine on its own std::jthread (STYLE.md L3, L4, L6, L7).
//
// Threads: send(), latest() and stepsDone() are called from any thread; everything in the
// "worker state" block of Impl is touched only by the worker thread (and by the constructor
// before the thread starts). Readers never wait for a step: the queue mutex is held only to
// push or swap out the command vector, the snapshot mutex only to copy or exchange a pointer.
//
// Behaviour readers rely on:
// - Snapshot::error holds the last rejection of the latest command batch (a batch without one
//   clears it); an engine failure inside the loop also sets it and pauses the run.
// - params.particles / params.samples are the *requested* counts: brush edits change the point
//   sets, not these fields, so a stale SetParams from the UI does not undo the edits.
// - Reset / NewSeed restart the metric history (the step counter restarts at 0) with one marker.
// - Grid fields are cell-centred over the SetView rectangle (default: data box padded by 25% on
//   each side), refreshed at most ~10 times per second and at most ~1/4 of the worker's time.
//
// [SECTION] constants and helpers
// [SECTION] Impl: shared and worker-only state
// [SECTION] the worker loop
// [SECTION] commands
// [SECTION] stepping, metrics, grid fields
// [SECTION] publishing
// [SECTION] FlowWorker
#include "driftlab/flow_worker.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <string>
#include <utility>

#include "driftlab/csv.hpp"
#include "driftlab/datasets.hpp"
#include "driftlab/error.hpp"
#include "driftlab/flow_engine.hpp"
#include "driftlab/scenario.hpp"
#include "field_grids.hpp"
#include "worker_channels.hpp"
#include "param_diff.hpp"

namespace driftlab {

// [SECTION] constants and helpers
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPublishInterval = std::chrono::microseconds(16'667);  // ~60 publishes per second
constexpr auto kGridInterval = std::chrono::milliseconds(100);        // grid fields ~10 times per second
constexpr int kMetricsCostFactor = 10;         // costly metrics rows take at most ~1/10 of the worker's time
constexpr auto kCheapMetrics = std::chrono::milliseconds(20);       // ... rows cheaper than this: every k steps
constexpr int kGridCostFactor = 4;            // ... and at most ~1/4 of the worker's time
constexpr auto kRateWindow = std::chrono::seconds(1);                 // steps_per_second window
constexpr auto kEditMarkerMerge = std::chrono::seconds(1);            // one marker per brush stroke
constexpr std::size_t kMaxHistoryRows = 20'000;
constexpr std::size_t kMaxMarkers = 1'000;
constexpr std::size_t kMaxWarnings = 8;
constexpr int kMaxCadence = 1'000'000;

}  // namespace

// [SECTION] Impl: shared and worker-only state
struct FlowWorker::Impl {
  Impl(const FlowParams& params, bool start_paused);

  // thread: worker
  void run(std::stop_token st);

  // ---- shared between threads ----
  detail::CommandQueue queue;
  detail::SnapshotSlot slot;
  std::atomic<std::uint64_t> steps_done{0};       // successful steps (rolled-back ones do not count)

  // ---- worker state: worker thread only ----
  FlowEngine engine;
  bool paused = false;
  int step_once = 0;                              // StepOnce requests not yet served
  std::uint64_t params_version = 0;
  std::uint64_t snapshot_id = 0;
  detail::GridView view;                          // rectangle used only when custom_view
  bool custom_view = false;
  int steps_per_publish = 1;
  int metrics_every = 5;

  MetricHistory history;                          // working copy
  std::shared_ptr<const MetricHistory> history_ptr;  // published copy, replaced only on change
  bool history_changed = true;
  Clock::time_point last_edit_marker_time{};
  std::string last_edit_label;

  std::deque<std::string> warnings;
  std::string error;

  detail::GridFields grids;
  bool grids_dirty = true;                        // particles, data or parameters changed
  Clock::time_point next_grid{};                  // earliest time of the next grid refresh
  Clock::time_point last_grid{};                  // start of the last grid refresh
  Points display_v;                               // velocity at the current state while paused
  bool display_v_valid = false;
  bool velocities_stale = true;                   // engine.velocities() is not the current field

  double eta_used = 0.0;
  double bandwidth = 0.0;
  bool bandwidth_stale = true;
  std::deque<std::pair<Clock::time_point, long>> rate_window;  // (time, step index)
  int steps_since_metrics = 0;
  Clock::time_point next_metrics{};               // earliest time of the next cadence row
  bool metrics_due = false;                       // a reset asked for a row at step 0
  int steps_since_publish = 0;
  Clock::time_point last_publish{};
  bool publish_due = false;

  // the loop
  void iterate(std::vector<Command>& batch);
  void fail(const std::string& what);
  // commands
  void applyBatch(std::vector<Command>& batch);
  void apply(const cmd::SetParams& c);
  void apply(const cmd::SetParam& c);
  void apply(const cmd::Reset& c);
  void apply(const cmd::NewSeed& c);
  void apply(const cmd::Pause& c);
  void apply(const cmd::Resume& c);
  void apply(const cmd::StepOnce& c);
  void apply(const cmd::AddParticles& c);
  void apply(const cmd::AddParticlesFromKde& c);
  void apply(const cmd::RemoveParticles& c);
  void apply(const cmd::MoveParticle& c);
  void apply(const cmd::AddData& c);
  void apply(const cmd::EraseData& c);
  void apply(const cmd::ClearData& c);
  void apply(const cmd::SetDataset& c);
  void apply(const cmd::SetData& c);
  void apply(const cmd::SetInit& c);
  void apply(const cmd::SetView& c);
  void apply(const cmd::SetStepsPerPublish& c);
  void apply(const cmd::SetMetricsEvery& c);
  void apply(const cmd::SaveModel& c);
  void applyParams(const FlowParams& p, const std::string& label);
  void stateChanged();
  void addMarker(const std::string& label);
  void addEditMarker(const std::string& label);
  void restartHistory(const std::string& label);
  // stepping, metrics, grids
  void doStep();
  void recordMetrics();
  void refreshDisplay();
  void addWarning(const std::string& w);
  double stepsPerSecond() const;
  // publishing
  void publish();

  std::jthread thread;  // last: started after, and joined before, everything above
};

FlowWorker::Impl::Impl(const FlowParams& params, bool start_paused) : engine(params), paused(start_paused) {
  history_ptr = std::make_shared<const MetricHistory>();
  publish();  // readers get a (field-less) snapshot at once; the worker adds grids and metrics
}

// [SECTION] the worker loop

void FlowWorker::Impl::run(std::stop_token st) {
  // first full picture: metrics at step 0, grid fields, current velocities
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
    std::vector<Command> batch = queue.take(st, paused && step_once == 0, grids_dirty, next_grid);
    if (st.stop_requested()) break;
    iterate(batch);
  }
}

// commands, then at most one step, then grids and a publish when due
void FlowWorker::Impl::iterate(std::vector<Command>& batch) {
  const bool was_paused = paused;
  const bool had_commands = !batch.empty();
  try {
    if (had_commands) applyBatch(batch);
    if (metrics_due) recordMetrics();  // once per batch, however many resets it held
    bool rolled_back = false;
    if (!paused || step_once > 0) {
      if (paused) --step_once;
      const long before = engine.stepIndex();
      doStep();
      rolled_back = engine.stepIndex() == before;
    }
    refreshDisplay();
    const auto now = Clock::now();
    // a rollback's warning goes out at the normal cadence (a stuck run must not flood readers)
    const bool force = had_commands || paused != was_paused || (paused && publish_due);
    const bool timely =
        (steps_since_publish >= steps_per_publish || rolled_back) && now - last_publish >= kPublishInterval;
    if (force || timely) publish();
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

// anything unexpected inside the loop: report it in a snapshot and pause, never terminate
void FlowWorker::Impl::fail(const std::string& what) {
  error = "engine error at step " + std::to_string(engine.stepIndex()) + ": " + what + " (run paused)";
  paused = true;
  step_once = 0;
  try {
    publish();
  } catch (...) {
    // out of memory while publishing: readers keep the previous snapshot
  }
}

// [SECTION] commands

// in order; consecutive SetParams collapse to the last one (a slider drag sends one per frame).
// Snapshot::error holds the last rejection of this batch; a batch without one clears it.
void FlowWorker::Impl::applyBatch(std::vector<Command>& batch) {
  error = detail::applyCommandBatch(batch, [this](const auto& c) { apply(c); });
}

void FlowWorker::Impl::applyParams(const FlowParams& p, const std::string& label) {
  const FlowParams before = engine.params();
  engine.setParams(p);  // validates; throws with the run untouched
  ++params_version;
  const std::string diff = detail::describeParamsChange(before, engine.params());
  if (!diff.empty()) addMarker(label.empty() ? diff : label);
  stateChanged();
}

void FlowWorker::Impl::apply(const cmd::SetParams& c) { applyParams(c.params, c.label); }

void FlowWorker::Impl::apply(const cmd::SetParam& c) {
  Scenario s;
  s.params = engine.params();
  applySetting(s, c.key_equals_value);  // run-level keys (steps) do not concern a live run
  applyParams(s.params, c.key_equals_value);
}

void FlowWorker::Impl::apply(const cmd::Reset&) {
  engine.reset();
  stateChanged();
  restartHistory("reset");
}

void FlowWorker::Impl::apply(const cmd::NewSeed& c) {
  engine.reseed(c.seed, c.seed + 1);
  ++params_version;
  stateChanged();
  restartHistory("new seed");
}

void FlowWorker::Impl::apply(const cmd::Pause&) {
  paused = true;
  step_once = 0;
}

void FlowWorker::Impl::apply(const cmd::Resume&) {
  paused = false;
  step_once = 0;
}

void FlowWorker::Impl::apply(const cmd::StepOnce&) {
  if (paused) ++step_once;  // while running it would be one step among many: ignored
}

void FlowWorker::Impl::apply(const cmd::AddParticles& c) {
  engine.addParticles(c.points);
  stateChanged();
  addEditMarker("add particles");
}

void FlowWorker::Impl::apply(const cmd::AddParticlesFromKde& c) {
  engine.addParticlesFromKde(c.count);
  stateChanged();
  addEditMarker("add particles");
}

void FlowWorker::Impl::apply(const cmd::RemoveParticles& c) {
  engine.removeParticles(c.count);
  stateChanged();
  addEditMarker("remove particles");
}

void FlowWorker::Impl::apply(const cmd::MoveParticle& c) {
  engine.setParticle(c.index, c.position);
  stateChanged();
  addEditMarker("move particle");
}

void FlowWorker::Impl::apply(const cmd::AddData& c) {
  engine.addData(c.points);
  stateChanged();
  addEditMarker("add data");
}

void FlowWorker::Impl::apply(const cmd::EraseData& c) {
  engine.eraseData(c.centre, c.radius);
  stateChanged();
  addEditMarker("erase data");
}

void FlowWorker::Impl::apply(const cmd::ClearData&) {
  const Points first = engine.data().leftCols(1);  // one point stays so the KDE exists
  engine.setData(first);
  stateChanged();
  addMarker("clear data");
}

void FlowWorker::Impl::apply(const cmd::SetDataset& c) {
  FlowParams p = engine.params();
  p.dataset = c.name;
  applyParams(p, "dataset=" + c.name);
}

void FlowWorker::Impl::apply(const cmd::SetData& c) {
  engine.setData(c.points);
  stateChanged();
  addMarker("set data (" + std::to_string(c.points.cols()) + " points)");
}

// a new layout goes through setParams; the current layout is re-drawn in place (same seed)
void FlowWorker::Impl::apply(const cmd::SetInit& c) {
  FlowParams p = engine.params();
  if (p.init != c.name) {
    p.init = c.name;
    applyParams(p, "init=" + c.name);
    return;
  }
  const Points x = c.name == "csv" ? readCsvPoints(p.init_csv)
                                   : initialParticles(c.name, p.particles, p.init_seed, engine.data());
  DRIFTLAB_CHECK(x.rows() == engine.dim(), "init: " + p.init_csv + " has dimension " + std::to_string(x.rows()) +
                                               ", the run has " + std::to_string(engine.dim()));
  const Eigen::Index n_old = engine.particles().cols(), n_new = x.cols();
  if (n_new > n_old) engine.addParticles(x.rightCols(n_new - n_old));
  if (n_new < n_old) engine.removeParticles(static_cast<int>(n_old - n_new));
  for (Eigen::Index i = 0; i < std::min(n_old, n_new); ++i) engine.setParticle(static_cast<int>(i), x.col(i));
  stateChanged();
  addMarker("init=" + c.name);
}

void FlowWorker::Impl::apply(const cmd::SetView& c) {
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
  grids_dirty = true;
  // the user is looking somewhere new: refresh soon, but a pan sends one view per frame, so
  // still at most ~10 times per second
  next_grid = std::min(next_grid, last_grid + kGridInterval);
}

void FlowWorker::Impl::apply(const cmd::SetStepsPerPublish& c) {
  DRIFTLAB_CHECK(c.steps >= 1 && c.steps <= kMaxCadence,
                 "steps_per_publish: must be in [1, 1000000] (got " + std::to_string(c.steps) + ")");
  steps_per_publish = c.steps;
}

void FlowWorker::Impl::apply(const cmd::SetMetricsEvery& c) {
  DRIFTLAB_CHECK(c.steps >= 1 && c.steps <= kMaxCadence,
                 "metrics_every: must be in [1, 1000000] (got " + std::to_string(c.steps) + ")");
  metrics_every = c.steps;
}

// a particle run has no network to save (generator_worker.cpp writes model files)
void FlowWorker::Impl::apply(const cmd::SaveModel&) {
  throw InvalidArgument("save model: only in generator mode");
}

// particles, data or parameters changed: grids, displayed velocities and bandwidth are stale,
// and the change should be visible soon (grid refresh still respects its rate limit)
void FlowWorker::Impl::stateChanged() {
  grids_dirty = true;
  // a change is shown ~10 times per second at most, without waiting out the cost-based delay
  next_grid = std::min(next_grid, last_grid + kGridInterval);
  velocities_stale = true;
  display_v_valid = false;
  bandwidth_stale = true;
  publish_due = true;
}

void FlowWorker::Impl::addMarker(const std::string& label) {
  history.markers.push_back(ChangeMarker{engine.stepIndex(), engine.time(), label});
  if (history.markers.size() > kMaxMarkers) {
    // drop the oldest quarter at once (amortized O(1) per marker)
    history.markers.erase(history.markers.begin(),
                          history.markers.begin() + static_cast<std::ptrdiff_t>(kMaxMarkers / 4));
  }
  history_changed = true;
  last_edit_label.clear();
}

// brush strokes send one edit per frame: one marker per stroke (same label within a second)
void FlowWorker::Impl::addEditMarker(const std::string& label) {
  const auto now = Clock::now();
  const bool same_stroke = label == last_edit_label && now - last_edit_marker_time < kEditMarkerMerge;
  if (!same_stroke) addMarker(label);
  last_edit_label = label;
  last_edit_marker_time = now;
}

// after a reset the step counter restarts at 0: old rows and markers would overlap the new run
void FlowWorker::Impl::restartHistory(const std::string& label) {
  history.rows.clear();
  history.markers.clear();
  addMarker(label);
  rate_window.clear();
  eta_used = 0.0;
  steps_since_metrics = 0;
  metrics_due = true;
}

// [SECTION] stepping, metrics, grid fields

void FlowWorker::Impl::doStep() {
  const StepReport r = engine.step();
  bandwidth = r.bandwidth;
  bandwidth_stale = false;
  if (!r.ok) {
    addWarning(r.warning);
    return;
  }
  steps_done.fetch_add(1);
  eta_used = r.eta_used;
  velocities_stale = false;  // engine.velocities() is the field of this step
  display_v_valid = false;
  grids_dirty = true;
  ++steps_since_publish;
  const auto now = Clock::now();
  rate_window.emplace_back(now, engine.stepIndex());
  while (rate_window.size() > 2 && now - rate_window[1].first >= kRateWindow) rate_window.pop_front();
  // every metrics_every steps, but never more than ~1/kMetricsCostFactor of the worker's time: at a
  // million particles one row costs ~0.2 s, several steps' worth (issue 4)
  if (++steps_since_metrics >= metrics_every && now >= next_metrics) recordMetrics();
}

// one metrics row; a failure is a warning, not a reason to stop the flow
void FlowWorker::Impl::recordMetrics() {
  steps_since_metrics = 0;
  metrics_due = false;
  const auto start = Clock::now();
  try {
    history.rows.push_back(engine.metrics());
    // cheap rows (the usual case) keep the exact cadence; a costly one postpones the next
    const auto cost = Clock::now() - start;
    next_metrics = cost > kCheapMetrics ? start + kMetricsCostFactor * cost : start;
  } catch (const std::exception& e) {
    addWarning(std::string("metrics failed at step ") + std::to_string(engine.stepIndex()) + ": " + e.what());
    return;
  }
  if (history.rows.size() >= kMaxHistoryRows) {
    // full: thin the older half by 2, keep the newer half as it is
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

// grid fields (2-D) and, while paused, the velocity at the current state; rate-limited
void FlowWorker::Impl::refreshDisplay() {
  const auto start = Clock::now();
  if (!grids_dirty || start < next_grid) return;
  // cleared first: a refresh that throws is not retried in a tight loop
  grids_dirty = false;
  last_grid = start;
  next_grid = start + kGridInterval;
  const VelocityOptions opt = engine.velocityOptions();
  bandwidth = opt.kernel.h;
  bandwidth_stale = false;
  // the grids and the paused display velocity follow the run's path (issue 4): without it they
  // would take float64 exact sums, N (N + M) pairs, i.e. hours at a million particles
  const ComputePathScope path_scope(engine.params().path);
  if (engine.dim() == 2) {
    const detail::GridView v = custom_view ? view : detail::paddedDataView(engine.data(), view);
    grids = detail::computeGridFields(engine.particles(), engine.data(), opt, v);
  } else {
    grids = detail::GridFields{};
  }
  if (paused && velocities_stale) {
    display_v = particleVelocity(engine.particles(), engine.data(), opt);
    // a non-finite field is not shown (the next step would roll back and warn); no retry loop
    display_v_valid = display_v.cols() == engine.particles().cols() && display_v.rows() == engine.dim() &&
                      display_v.allFinite();
    velocities_stale = false;
  }
  publish_due = true;
  const auto cost = Clock::now() - start;
  next_grid = start + std::max<Clock::duration>(kGridInterval, kGridCostFactor * cost);
}

void FlowWorker::Impl::addWarning(const std::string& w) {
  warnings.push_back(w);
  while (warnings.size() > kMaxWarnings) warnings.pop_front();
  publish_due = true;
}

double FlowWorker::Impl::stepsPerSecond() const {
  if (paused || rate_window.size() < 2) return 0.0;
  const double dt = std::chrono::duration<double>(rate_window.back().first - rate_window.front().first).count();
  const long steps = rate_window.back().second - rate_window.front().second;
  return dt > 0.0 && steps > 0 ? static_cast<double>(steps) / dt : 0.0;
}

// [SECTION] publishing

// builds a fresh immutable snapshot off-lock, then swaps the pointer in
void FlowWorker::Impl::publish() {
  if (bandwidth_stale) {
    // the rule can fail on degenerate data (e.g. Silverman on one point); the step then reports
    // it, and publishing must still work: keep the last value
    try {
      bandwidth = engine.currentBandwidth();
    } catch (const std::exception&) {
    }
    bandwidth_stale = false;
  }
  if (history_changed) {
    history_ptr = std::make_shared<const MetricHistory>(history);  // copy-on-write
    history_changed = false;
  }
  if (paused) rate_window.clear();

  auto s = std::make_shared<Snapshot>();
  s->snapshot_id = ++snapshot_id;
  s->params_version = params_version;
  s->params = engine.params();
  s->step = engine.stepIndex();
  s->time = engine.time();
  s->step_size = engine.currentStep();
  s->eta_used = eta_used;
  s->bandwidth = bandwidth;
  s->paused = paused;
  s->steps_per_second = stepsPerSecond();

  s->particles = engine.particles().cast<float>();
  const bool use_display = paused && display_v_valid && display_v.cols() == engine.particles().cols();
  s->velocities = (use_display ? display_v : engine.velocities()).cast<float>();
  s->data = engine.data().cast<float>();
  s->mode_centres = engine.modeCentres().cast<float>();

  s->velocity = grids.velocity;
  s->attraction = grids.attraction;
  s->repulsion = grids.repulsion;
  s->per_term = grids.per_term;
  if (!grids.velocity.empty()) {
    s->terms = grids.terms;
  } else {
    const DivergenceWeights& w = engine.params().weights;
    for (int d = 0; d < kNumDivergences; ++d) {
      if (w.w[static_cast<std::size_t>(d)] > 0.0) s->terms.push_back(static_cast<Divergence>(d));
    }
  }
  s->log_p = grids.log_p;
  s->log_q = grids.log_q;
  s->speed = grids.speed;

  s->history = history_ptr;
  s->warnings.assign(warnings.begin(), warnings.end());
  s->error = error;

  slot.publish(std::move(s));
  last_publish = Clock::now();
  steps_since_publish = 0;
  publish_due = false;
}

// [SECTION] FlowWorker

FlowWorker::FlowWorker(const FlowParams& params, bool start_paused)
    : impl_(std::make_unique<Impl>(params, start_paused)) {
  impl_->thread = std::jthread([impl = impl_.get()](std::stop_token st) { impl->run(std::move(st)); });
}

FlowWorker::~FlowWorker() {
  // jthread's destructor would do the same; explicit so the order is visible
  impl_->thread.request_stop();
  impl_->queue.wakeAll();
  if (impl_->thread.joinable()) impl_->thread.join();
}

// thread: any
void FlowWorker::send(Command c) { impl_->queue.push(std::move(c)); }

// thread: any; copies a pointer under a mutex that is never held during a step
std::shared_ptr<const Snapshot> FlowWorker::latest() const { return impl_->slot.latest(); }

// thread: any
std::uint64_t FlowWorker::stepsDone() const { return impl_->steps_done.load(); }

}  // namespace driftlab
