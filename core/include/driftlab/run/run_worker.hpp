// RunWorker: the one run loop of driftlab. It runs a Run (run.hpp: particle mode, generator mode,
// ...) on its own thread; commands (commands.hpp) go through a queue and are applied between
// steps (never in the middle of one, never restarting the run); readers take the latest
// immutable Snapshot without waiting for a step in progress. The app holds a RunWorker and does
// not care which mode runs. STYLE.md L3, L4, L6.
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>

#include "driftlab/base/keyframe_timeline.hpp"
#include "driftlab/run/commands.hpp"
#include "driftlab/run/run.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab {

// Keyframe memory of a run's timeline unless cmd::SetHistoryBudget says otherwise.
inline constexpr std::size_t kDefaultHistoryBudget = std::size_t{256} << 20;  // 256 MiB

// Everything a fork's side B starts from, taken by side A's worker between two steps: the state,
// the metric history and the keyframe timeline (shared immutable checkpoints, so B can seek into
// the common past), the metric cadence and the speed cap.
struct ForkSeed {
  std::shared_ptr<const RunCheckpoint> state;
  MetricHistory history;
  KeyframeTimeline<Run> timeline{kDefaultHistoryBudget};
  long branch_end = 0;
  int metrics_every = 5;
  double step_rate = 0.0;
};

// The timeline (Seek, Branch, DiscardBranches, SetHistoryBudget): every step is kept as a
// keyframe or can be replayed from one (base/keyframe_timeline.hpp, within the budget). Seek(k)
// pauses at step k of the current branch, backwards or forwards, bit for bit (THEORY.md §6.6);
// resuming without a change replays the recorded future (its metric rows are kept). A change at a
// past step (new parameters, an edit, Branch) cuts the recorded future off into a faded branch of
// the metric history, and the run continues from there as a new branch. Reset / NewSeed start a
// new timeline.
class RunWorker {
 public:
  // Starts the thread. metrics_every: steps between metric rows (1 .. 1e6; SetMetricsEvery changes
  // it); start_paused = true publishes the initial state and waits for Resume / StepOnce.
  RunWorker(std::unique_ptr<Run> run, int metrics_every, bool start_paused);
  // a fork's side B: continues seed.state with A's history and timeline (throws InvalidArgument)
  RunWorker(const ForkSeed& seed, bool start_paused);
  virtual ~RunWorker();  // requests stop and joins
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;

  void send(Command c);                             // any thread; never blocks on a step
  std::shared_ptr<const Snapshot> latest() const;   // any thread; never blocks on a step
  std::uint64_t stepsDone() const;                  // any thread: steps that advanced the counter
  // any thread; never blocks: the worker answers between two steps (poll the future with
  // wait_for(0)); the future throws std::future_error when the worker ends first
  std::future<std::shared_ptr<const ForkSeed>> requestFork();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftlab
