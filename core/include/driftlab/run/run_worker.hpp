// RunWorker: the one run loop of driftlab. It runs a Run (run.hpp: particle mode, generator mode,
// ...) on its own thread; commands (commands.hpp) go through a queue and are applied between
// steps (never in the middle of one, never restarting the run); readers take the latest
// immutable Snapshot without waiting for a step in progress. The app holds a RunWorker and does
// not care which mode runs. STYLE.md L3, L4, L6.
#pragma once

#include <cstdint>
#include <memory>

#include "driftlab/run/commands.hpp"
#include "driftlab/run/run.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab {

class RunWorker {
 public:
  // Starts the thread. metrics_every: steps between metric rows (1 .. 1e6; SetMetricsEvery changes
  // it); start_paused = true publishes the initial state and waits for Resume / StepOnce.
  RunWorker(std::unique_ptr<Run> run, int metrics_every, bool start_paused);
  virtual ~RunWorker();  // requests stop and joins
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;

  void send(Command c);                             // any thread; never blocks on a step
  std::shared_ptr<const Snapshot> latest() const;   // any thread; never blocks on a step
  std::uint64_t stepsDone() const;                  // any thread: steps that advanced the counter

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftlab
