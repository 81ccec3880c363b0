// GeneratorWorker: generator mode (a GeneratorEngine, generator.hpp, THEORY.md §7) in the run
// loop (run_worker.hpp). It publishes the same Snapshot as particle mode, so the app draws
// generator mode with the particle-mode views: particles = samples of the fixed noise batch,
// velocities = their drift arrows, data = a fixed display data batch, grid fields of the
// generated distribution, metric rows with objective = the training loss, plus
// Snapshot::generator (the network's settings and, for a 2-D latent, the warped latent grid).
// The Run itself is in core/src/run/generator_run.cpp.
//
// Commands: SetParams (the field part, live), SetParam (generator and flow keys,
// applyGeneratorSetting), Reset, NewSeed ("seed=N": every seed, network re-initialized), SetView,
// SaveModel (model_file.hpp), and the loop's own. The particle/data editing commands are
// rejected with "<what>: not available in generator mode".
#pragma once

#include "driftlab/generator/generator.hpp"
#include "driftlab/run/run_worker.hpp"

namespace driftlab {

class GeneratorWorker : public RunWorker {
 public:
  // validates (throws InvalidArgument before any thread starts); metric rows every
  // scenario.metrics_every steps; start_paused as RunWorker
  explicit GeneratorWorker(const GeneratorScenario& scenario, bool start_paused = false);
};

}  // namespace driftlab
