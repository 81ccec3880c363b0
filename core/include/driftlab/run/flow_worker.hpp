// FlowWorker: particle mode (a FlowEngine, flow_engine.hpp) in the run loop (run_worker.hpp).
// Metric rows every 5 steps by default. The Run itself is in core/src/run/flow_run.cpp.
#pragma once

#include "driftlab/flow/flow_params.hpp"
#include "driftlab/run/run_worker.hpp"

namespace driftlab {

class FlowWorker : public RunWorker {
 public:
  // validates (throws InvalidArgument before any thread starts); start_paused as RunWorker
  explicit FlowWorker(const FlowParams& params, bool start_paused = false);
};

}  // namespace driftlab
