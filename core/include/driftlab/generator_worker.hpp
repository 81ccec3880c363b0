// GeneratorWorker: trains a GeneratorEngine (generator.hpp, MATH.md §5) on its own thread and
// publishes the same Snapshot as the FlowWorker, so the app draws generator mode with the
// particle-mode views: particles = samples of the fixed noise batch, velocities = their drift
// arrows, data = a fixed display data batch, grid fields of the generated distribution, metric
// rows with objective = the training loss, plus the warped latent grid for a 2-D latent.
// Threading as FlowWorker: commands are queued and applied between training steps; readers
// never wait for a step. STYLE.md L3, L4, L6.
//
// Commands: SetParams (the field part, live), SetParam (generator and flow keys,
// applyGeneratorSetting), Reset, NewSeed ("seed=N": every seed, network re-initialized), Pause,
// Resume, StepOnce, SetView, SetStepsPerPublish, SetMetricsEvery, SaveModel (model_file.hpp).
// The particle/data editing commands are rejected with "<what>: not available in generator mode".
#pragma once

#include <cstdint>
#include <memory>

#include "driftlab/generator.hpp"
#include "driftlab/run_worker.hpp"

namespace driftlab {

class GeneratorWorker : public RunWorker {
 public:
  // validates (throws InvalidArgument before any thread starts); start_paused as FlowWorker
  explicit GeneratorWorker(const GeneratorScenario& scenario, bool start_paused = false);
  ~GeneratorWorker() override;  // requests stop and joins

  void send(Command c) override;                            // any thread; never blocks on a step
  std::shared_ptr<const Snapshot> latest() const override;  // any thread; never blocks on a step
  std::uint64_t stepsDone() const override;                 // training steps done (any thread, atomic)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftlab
