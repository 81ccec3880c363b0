// RunWorker: the one run loop of driftlab. A Run (run.hpp: particles, generator, ...) on its own
// std::jthread (STYLE.md L3, L4, L6, L7).
//
// Threads: send(), latest() and stepsDone() are called from any thread; everything in the
// "worker state" block of Impl, and the Run, are touched only by the worker thread (and by the
// constructor before the thread starts). Readers never wait for a step: the queue mutex is held
// only to push or swap out the command vector, the snapshot mutex only to exchange a pointer.
//
// Behaviour readers rely on:
// - Snapshot::error holds the last rejection of the latest command batch (a batch without one
//   clears it); a failure inside the loop also sets it and pauses the run.
// - Reset / NewSeed restart the metric history (the step counter restarts at 0) with one marker.
// - SetStepRate caps the speed while running (step_rate_limiter.hpp): between due steps the worker
//   sleeps in the command queue, so commands still apply at once. A reset then shows its start
//   state for one interval; Resume steps at once. StepOnce (and so headless capture, which steps a
//   paused run) is never limited.
// - Metrics rows come every metrics_every steps, and a costly row (over 20 ms) postpones the next
//   so that rows take at most ~1/10 of the worker's time (at a million particles a row costs
//   several steps' worth).
// - The history keeps at most 20 000 rows (the older half is thinned by 2 when full) and 1 000
//   markers (the oldest quarter dropped when full). A row is never added for a step the history
//   already has a row at or past (a replay after a Seek, a fork's first row).
// - Timeline (run_worker.hpp): a keyframe after every step (KeyframeTimeline thins them within the
//   budget) and a pinned one after every change. A change is any command after which the Run
//   added a marker; Reset / NewSeed (restartHistory) start a new timeline. The first step after a
//   Seek decides: when the recorded future holds no change, stepping replays it (same rows, no
//   new ones); when it holds one, that future is cut off as a faded branch, since the run will
//   not make that change again.
//
// [SECTION] constants | Impl | the loop | commands | history | publishing | RunWorker
#include "driftlab/run/run_worker.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <deque>
#include <exception>
#include <future>
#include <memory>
#include <new>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/run/step_rate_limiter.hpp"
#include "run/worker_channels.hpp"

namespace driftlab {

// [SECTION] constants
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kPublishInterval = std::chrono::microseconds(16'667);  // ~60 publishes per second
constexpr int kMetricsCostFactor = 10;                               // costly rows: <= ~1/10 of the time
constexpr auto kCheapMetrics = std::chrono::milliseconds(20);        // ... rows cheaper than this: every k steps
constexpr auto kRateWindow = std::chrono::seconds(1);                // steps_per_second window
constexpr auto kEditMarkerMerge = std::chrono::seconds(1);           // one marker per brush stroke
constexpr std::size_t kMaxHistoryRows = 20'000;
constexpr std::size_t kMaxMarkers = 1'000;
constexpr std::size_t kMaxWarnings = 8;
constexpr std::size_t kMaxBranches = 4;
constexpr std::size_t kMinHistoryBudget = std::size_t{1} << 20;  // 1 MiB
constexpr int kMaxCadence = 1'000'000;

void checkCadence(const char* what, int steps) {
  DRIFTLAB_CHECK(steps >= 1 && steps <= kMaxCadence,
                 std::string(what) + ": must be in [1, 1000000] (got " + std::to_string(steps) + ")");
}

}  // namespace

// [SECTION] Impl
struct RunWorker::Impl final : RunContext {
  Impl(std::unique_ptr<Run> r, int metrics_every_steps, bool start_paused, const ForkSeed* seed = nullptr);

  // thread: worker
  void loop(std::stop_token st);

  // ---- shared between threads ----
  detail::CommandQueue queue;
  detail::SnapshotSlot slot;
  std::atomic<std::uint64_t> steps_done{0};  // steps that advanced the counter (rollbacks do not count)

  // ---- worker state: worker thread only ----
  std::unique_ptr<Run> run;
  bool is_paused = false;
  int step_once = 0;                         // StepOnce requests not yet served
  std::uint64_t params_version = 0;
  std::uint64_t snapshot_id = 0;
  int steps_per_publish = 1;
  int metrics_every = 5;
  StepRateLimiter speed;                     // unlimited until a SetStepRate
  long step_limit = -1;                      // SetStepLimit: no running step past it (-1 = none)

  MetricHistory history;                             // working copy
  std::shared_ptr<const MetricHistory> history_ptr;  // published copy, replaced only on change
  bool history_changed = true;
  Clock::time_point last_edit_marker_time{};
  std::string last_edit_label;
  std::deque<std::string> warnings;
  std::string error;

  KeyframeTimeline<Run> timeline{kDefaultHistoryBudget};
  long branch_end = 0;                       // furthest step of the current branch
  bool seeked = false;                       // no step since the last Seek
  bool change_seen = false;                  // the Run added a marker while applying a command
  bool restarted = false;                    // ... or restarted the history

  std::deque<std::pair<Clock::time_point, long>> rate_window;  // (time, step index)
  int steps_since_metrics = 0;
  Clock::time_point next_metrics{};          // earliest time of the next cadence row
  bool metrics_due = false;                  // a reset asked for a row at step 0
  int steps_since_publish = 0;
  Clock::time_point last_publish{};
  bool publish_due = false;

  void iterate(std::vector<Command>& batch);
  bool held() const { return step_limit >= 0 && run->stepIndex() >= step_limit; }
  bool stepDue(Clock::time_point now) const {
    return is_paused ? step_once > 0 : !held() && speed.stepsDue(now) > 0;
  }
  void fail(const std::string& what);
  void applyOne(const Command& c);
  void applyToRun(const Command& c);
  void seekTo(long step);
  void cutFuture();
  void keepKeyframe(bool change);
  void answerFork(const cmd::RequestFork& c);
  void doStep();
  void recordMetrics();
  double stepsPerSecond() const;
  void publish();

  // RunContext (worker thread)
  void addMarker(const std::string& label) override;
  void addEditMarker(const std::string& label) override;
  void restartHistory(const std::string& label) override;
  void addWarning(const std::string& warning) override;
  void paramsChanged() override { ++params_version; }
  void publishSoon() override { publish_due = true; }
  bool paused() const override { return is_paused; }

  std::jthread thread;  // last: started after, and joined before, everything above
};

RunWorker::Impl::Impl(std::unique_ptr<Run> r, int metrics_every_steps, bool start_paused, const ForkSeed* seed)
    : run(std::move(r)), is_paused(start_paused), metrics_every(metrics_every_steps) {
  checkCadence("metrics_every", metrics_every);
  if (seed) {
    history = seed->history;
    timeline = seed->timeline;
    branch_end = seed->branch_end;
    speed.setRate(seed->step_rate, Clock::now());
  }
  history_ptr = std::make_shared<const MetricHistory>(history);
  history_changed = false;
  publish();  // readers get a first (field-less) snapshot at once; the worker adds grids and metrics
}

// [SECTION] the loop

void RunWorker::Impl::loop(std::stop_token st) {
  // the first full picture: metrics at step 0, display fields
  try {
    keepKeyframe(false);
    recordMetrics();
    run->refreshDisplay(is_paused);
    publish();
  } catch (const std::exception& e) {
    fail(e.what());
  }
  while (!st.stop_requested()) {
    // paused with nothing to do: sleep until a command arrives, stop is requested, or a pending
    // display refresh falls due (no busy loop)
    // running under a speed cap with no step due yet: sleep the same way until the next step is due
    std::optional<Clock::time_point> due = run->displayDueAt();
    const bool idle = !stepDue(Clock::now());
    // held at a step limit: like paused, only a command (a new limit) wakes it
    if (idle && !is_paused && !held()) due = due ? std::min(*due, speed.nextDueAt()) : speed.nextDueAt();
    std::vector<Command> batch = queue.take(st, idle, due.has_value(), due.value_or(Clock::time_point{}));
    if (st.stop_requested()) break;
    iterate(batch);
  }
}

// commands, then at most one step, then display refreshes and a publish when due
void RunWorker::Impl::iterate(std::vector<Command>& batch) {
  const bool was_paused = is_paused;
  const bool had_commands = !batch.empty();
  try {
    if (had_commands) error = detail::applyCommandBatch(batch, [this](const Command& c) { applyOne(c); });
    if (metrics_due) recordMetrics();  // once per batch, however many resets it held
    bool rolled_back = false;
    if (stepDue(Clock::now())) {
      if (is_paused) --step_once;
      const long before = run->stepIndex();
      doStep();
      if (!is_paused) speed.stepTaken(Clock::now());
      rolled_back = run->stepIndex() == before;
    }
    if (run->refreshDisplay(is_paused)) publish_due = true;
    const auto now = Clock::now();
    // a rollback's warning goes out at the normal cadence (a stuck run must not flood readers)
    const bool force = had_commands || is_paused != was_paused || (is_paused && publish_due);
    const bool timely =
        (steps_since_publish >= steps_per_publish || rolled_back) && now - last_publish >= kPublishInterval;
    if (force || timely) publish();
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

// anything unexpected inside the loop: report it in a snapshot and pause, never terminate
void RunWorker::Impl::fail(const std::string& what) {
  error = run->errorPrefix() + " error at step " + std::to_string(run->stepIndex()) + ": " + what + " (run paused)";
  is_paused = true;
  step_once = 0;
  try {
    publish();
  } catch (...) {
    // out of memory while publishing: readers keep the previous snapshot
  }
}

// [SECTION] commands: the loop's own, then the Run's

void RunWorker::Impl::applyOne(const Command& c) {
  if (std::holds_alternative<cmd::Pause>(c)) {
    is_paused = true;
    step_once = 0;
  } else if (std::holds_alternative<cmd::Resume>(c)) {
    if (is_paused) speed.restart(Clock::now(), /*hold_current=*/false);
    is_paused = false;
    step_once = 0;
  } else if (std::holds_alternative<cmd::StepOnce>(c)) {
    if (is_paused) ++step_once;  // while running it would be one step among many: ignored
  } else if (const auto* spp = std::get_if<cmd::SetStepsPerPublish>(&c)) {
    checkCadence("steps_per_publish", spp->steps);
    steps_per_publish = spp->steps;
  } else if (const auto* rate = std::get_if<cmd::SetStepRate>(&c)) {
    DRIFTLAB_CHECK(std::isfinite(rate->steps_per_second) && rate->steps_per_second >= 0,
                   "speed: steps per second must be >= 0 (0 = unlimited; got " +
                       std::to_string(rate->steps_per_second) + ")");
    speed.setRate(rate->steps_per_second, Clock::now());
  } else if (const auto* me = std::get_if<cmd::SetMetricsEvery>(&c)) {
    checkCadence("metrics_every", me->steps);
    metrics_every = me->steps;
  } else if (const auto* seek = std::get_if<cmd::Seek>(&c)) {
    seekTo(seek->step);
  } else if (std::holds_alternative<cmd::Branch>(c)) {
    cutFuture();
    addMarker("branch");
    keepKeyframe(true);
  } else if (std::holds_alternative<cmd::DiscardBranches>(c)) {
    history.branches.clear();
    history_changed = true;
  } else if (const auto* budget = std::get_if<cmd::SetHistoryBudget>(&c)) {
    DRIFTLAB_CHECK(budget->bytes >= kMinHistoryBudget,
                   "history budget: must be at least 1 MiB (got " + std::to_string(budget->bytes) + " bytes)");
    timeline = KeyframeTimeline<Run>(budget->bytes);
    keepKeyframe(true);
  } else if (const auto* fork = std::get_if<cmd::RequestFork>(&c)) {
    answerFork(*fork);
  } else if (const auto* limit = std::get_if<cmd::SetStepLimit>(&c)) {
    step_limit = limit->max_step < 0 ? -1 : limit->max_step;
  } else {
    applyToRun(c);
  }
}

// a Run's command; a marker means the state changed: the timeline keeps the new state
void RunWorker::Impl::applyToRun(const Command& c) {
  change_seen = false;
  restarted = false;
  run->apply(c, *this);  // throws with the run untouched: nothing to keep
  if (restarted) {
    timeline.clear();
    branch_end = run->stepIndex();
    history.branches.clear();
    history_changed = true;
    seeked = false;
    keepKeyframe(false);
  } else if (change_seen) {
    cutFuture();
    keepKeyframe(true);
  }
}

// [SECTION] timeline and fork

// keyframes are a convenience: a state that does not fit in memory costs the seek, not the run
void RunWorker::Impl::keepKeyframe(bool change) {
  try {
    if (change) {
      timeline.recordChange(*run);
    } else {
      timeline.record(*run);
    }
  } catch (const std::bad_alloc&) {
    addWarning("timeline: out of memory for a keyframe at step " + std::to_string(run->stepIndex()));
  }
}

void RunWorker::Impl::seekTo(long step) {
  const long first = std::max<long>(0, timeline.firstStep());
  DRIFTLAB_CHECK(step >= first && step <= branch_end, "seek: step " + std::to_string(step) +
                                                          " is outside the run's timeline (steps " +
                                                          std::to_string(first) + " to " +
                                                          std::to_string(branch_end) + ")");
  if (step != run->stepIndex()) {
    DRIFTLAB_CHECK(timeline.seek(*run, step),
                   "seek: step " + std::to_string(step) + " is no longer held by the timeline");
  }
  is_paused = true;
  step_once = 0;
  seeked = run->stepIndex() < branch_end;
  rate_window.clear();
  publish_due = true;
}

// a change in the past: the recorded future becomes a faded branch of the history
void RunWorker::Impl::cutFuture() {
  seeked = false;
  const long now = run->stepIndex();
  if (now >= branch_end) return;
  MetricBranch b;
  b.from_step = now;
  // the change that causes the cut is marked at `now` already, after markers of the old future:
  // split by step, keeping the order within each part
  const auto later = [now](const auto& x) { return x.step > now; };
  const auto moveLater = [&](auto& from, auto& to) {
    const auto cut = std::stable_partition(from.begin(), from.end(), [&](const auto& x) { return !later(x); });
    to.assign(std::make_move_iterator(cut), std::make_move_iterator(from.end()));
    from.erase(cut, from.end());
  };
  moveLater(history.rows, b.rows);
  moveLater(history.markers, b.markers);
  ++history.cuts;
  if (!b.rows.empty()) {
    history.branches.push_back(std::move(b));
    if (history.branches.size() > kMaxBranches) history.branches.erase(history.branches.begin());
  }
  branch_end = now;
  history_changed = true;
}

void RunWorker::Impl::answerFork(const cmd::RequestFork& c) {
  if (!c.reply) return;
  try {
    addMarker("fork");
    history_changed = true;
    auto seed = std::make_shared<ForkSeed>();
    seed->state = run->capture();
    seed->history = history;
    seed->timeline = timeline;
    seed->branch_end = branch_end;
    seed->metrics_every = metrics_every;
    seed->step_rate = speed.rate();
    c.reply->set_value(std::move(seed));
  } catch (...) {
    c.reply->set_exception(std::current_exception());
  }
}

// [SECTION] stepping and history

void RunWorker::Impl::doStep() {
  const long before = run->stepIndex();
  if (seeked) {
    // first step after a Seek: a change ahead in the recorded future will not happen again
    seeked = false;
    const bool change_ahead = std::any_of(history.markers.begin(), history.markers.end(),
                                          [before](const ChangeMarker& m) { return m.step > before; });
    if (change_ahead) {
      cutFuture();
      keepKeyframe(true);
    }
  }
  const StepOutcome r = run->step();
  if (!r.warning.empty()) addWarning(r.warning);
  if (!r.advanced || run->stepIndex() == before) return;
  steps_done.fetch_add(1);
  branch_end = std::max(branch_end, run->stepIndex());
  keepKeyframe(false);
  ++steps_since_publish;
  const auto now = Clock::now();
  rate_window.emplace_back(now, run->stepIndex());
  while (rate_window.size() > 2 && now - rate_window[1].first >= kRateWindow) rate_window.pop_front();
  if (++steps_since_metrics >= metrics_every && now >= next_metrics) recordMetrics();
}

// one metrics row; a failure is a warning, not a reason to stop the run
void RunWorker::Impl::recordMetrics() {
  steps_since_metrics = 0;
  metrics_due = false;
  // a replayed step of the recorded future (or a fork's first row): the row is there already
  if (!history.rows.empty() && history.rows.back().step >= run->stepIndex()) return;
  const auto start = Clock::now();
  try {
    history.rows.push_back(run->metricsRow());
    // cheap rows (the usual case) keep the exact cadence; a costly one postpones the next
    const auto cost = Clock::now() - start;
    next_metrics = cost > kCheapMetrics ? start + kMetricsCostFactor * cost : start;
  } catch (const std::exception& e) {
    addWarning(std::string("metrics failed at step ") + std::to_string(run->stepIndex()) + ": " + e.what());
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

void RunWorker::Impl::addMarker(const std::string& label) {
  change_seen = true;
  history.markers.push_back(ChangeMarker{run->stepIndex(), run->time(), label});
  if (history.markers.size() > kMaxMarkers) {
    // drop the oldest quarter at once (amortized O(1) per marker)
    history.markers.erase(history.markers.begin(),
                          history.markers.begin() + static_cast<std::ptrdiff_t>(kMaxMarkers / 4));
  }
  history_changed = true;
  last_edit_label.clear();
}

// brush strokes send one edit per frame: one marker per stroke (same label within a second)
void RunWorker::Impl::addEditMarker(const std::string& label) {
  const auto now = Clock::now();
  const bool same_stroke = label == last_edit_label && now - last_edit_marker_time < kEditMarkerMerge;
  change_seen = true;  // a merged stroke still changed the state
  if (!same_stroke) addMarker(label);
  last_edit_label = label;
  last_edit_marker_time = now;
}

// after a reset the step counter restarts at 0: old rows and markers would overlap the new run
void RunWorker::Impl::restartHistory(const std::string& label) {
  restarted = true;
  ++history.restarts;
  history.rows.clear();
  history.markers.clear();
  addMarker(label);
  rate_window.clear();
  steps_since_metrics = 0;
  metrics_due = true;
  speed.restart(Clock::now(), /*hold_current=*/true);  // the start state stays on screen for one interval
}

void RunWorker::Impl::addWarning(const std::string& warning) {
  warnings.push_back(warning);
  while (warnings.size() > kMaxWarnings) warnings.pop_front();
  publish_due = true;
}

double RunWorker::Impl::stepsPerSecond() const {
  if (is_paused || rate_window.size() < 2) return 0.0;
  const double dt = std::chrono::duration<double>(rate_window.back().first - rate_window.front().first).count();
  const long steps = rate_window.back().second - rate_window.front().second;
  return dt > 0.0 && steps > 0 ? static_cast<double>(steps) / dt : 0.0;
}

// [SECTION] publishing

// builds a fresh immutable snapshot off-lock, then swaps the pointer in
void RunWorker::Impl::publish() {
  if (history_changed) {
    history_ptr = std::make_shared<const MetricHistory>(history);  // copy-on-write
    history_changed = false;
  }
  if (is_paused) rate_window.clear();

  auto s = std::make_shared<Snapshot>();
  s->snapshot_id = ++snapshot_id;
  s->params_version = params_version;
  s->step = run->stepIndex();
  s->time = run->time();
  s->paused = is_paused;
  s->steps_per_second = stepsPerSecond();
  s->step_rate_limit = speed.rate();
  run->fillSnapshot(*s, is_paused);
  s->history = history_ptr;
  s->timeline = TimelineView{std::max<long>(0, timeline.firstStep()), branch_end, timeline.size(), timeline.bytes(),
                             timeline.budget(), timeline.interval()};
  s->warnings.assign(warnings.begin(), warnings.end());
  s->error = error;

  slot.publish(std::move(s));
  last_publish = Clock::now();
  steps_since_publish = 0;
  publish_due = false;
}

// [SECTION] RunWorker

RunWorker::RunWorker(std::unique_ptr<Run> run, int metrics_every, bool start_paused)
    : impl_(std::make_unique<Impl>(std::move(run), metrics_every, start_paused)) {
  impl_->thread = std::jthread([impl = impl_.get()](std::stop_token st) { impl->loop(std::move(st)); });
}

RunWorker::RunWorker(const ForkSeed& seed, bool start_paused) {
  DRIFTLAB_CHECK(seed.state != nullptr, "fork: no state to continue");
  impl_ = std::make_unique<Impl>(seed.state->makeRun(), seed.metrics_every, start_paused, &seed);
  impl_->thread = std::jthread([impl = impl_.get()](std::stop_token st) { impl->loop(std::move(st)); });
}

RunWorker::~RunWorker() {
  // jthread's destructor would do the same; explicit so the order is visible
  impl_->thread.request_stop();
  impl_->queue.wakeAll();
  if (impl_->thread.joinable()) impl_->thread.join();
}

// thread: any
void RunWorker::send(Command c) { impl_->queue.push(std::move(c)); }

// thread: any; copies a pointer under a mutex that is never held during a step
std::shared_ptr<const Snapshot> RunWorker::latest() const { return impl_->slot.latest(); }

// thread: any (atomic counter)
std::uint64_t RunWorker::stepsDone() const { return impl_->steps_done.load(); }

// thread: any
std::future<std::shared_ptr<const ForkSeed>> RunWorker::requestFork() {
  auto reply = std::make_shared<std::promise<std::shared_ptr<const ForkSeed>>>();
  auto answer = reply->get_future();
  send(cmd::RequestFork{std::move(reply)});
  return answer;
}

}  // namespace driftlab
