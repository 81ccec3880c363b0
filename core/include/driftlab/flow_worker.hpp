// FlowWorker: runs a FlowEngine on its own thread. Commands go through a queue and are
// applied between steps (never in the middle of one, never restarting the run); readers take
// the latest immutable Snapshot without waiting for a step in progress. STYLE.md L3, L4, L6.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "driftlab/flow_params.hpp"
#include "driftlab/run_worker.hpp"
#include "driftlab/snapshot.hpp"

namespace driftlab {

// the commands (cmd::*, Command) are in run_worker.hpp

class FlowWorker : public RunWorker {
 public:
  // starts the thread; start_paused = true publishes the initial state and waits for Resume/StepOnce
  explicit FlowWorker(const FlowParams& params, bool start_paused = false);
  ~FlowWorker() override;  // requests stop and joins
  FlowWorker(const FlowWorker&) = delete;
  FlowWorker& operator=(const FlowWorker&) = delete;

  void send(Command c) override;                            // any thread; never blocks on a step
  std::shared_ptr<const Snapshot> latest() const override;  // any thread; never blocks on a step
  std::uint64_t stepsDone() const override;                 // any thread (atomic counter)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftlab
