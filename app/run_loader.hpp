// Loading a scenario of either kind and building its worker, for the shell's start, Load, drop,
// preset, mode-switch and script `load` paths. GUI-free (tested in tests/app/app_unit_test.cpp).
// The shell builds the new worker with these first and swaps it in only once it exists, so a
// file that fails to load leaves the previous run running. Main thread (the shell's).
#pragma once

#include <memory>
#include <string>

#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/run/run_worker.hpp"

namespace driftlab::app {

// A scenario file's content: a particle-flow scenario, or a generator scenario (generator_mode),
// whose name and field are copied into `flow` for the panels and scripts.
struct ScenarioOfAnyKind {
  bool generator_mode = false;
  Scenario flow;
  GeneratorScenario generator;
};

// The kind is read from the file's structure (scenario_kind.hpp). Throws InvalidArgument naming
// the path: missing or malformed file, bad field, or a model file ("use driftlab-cli generate").
ScenarioOfAnyKind loadScenarioOfAnyKind(const std::string& path);

// Build the worker of a run (its thread starts at once, paused when `paused`). The engine is
// constructed here, reading the data and init CSV files: any exception doing so (missing,
// unreadable or malformed CSV, a refused memory budget) becomes InvalidArgument
// "<source>: <what>", where source names the scenario file or preset.
std::unique_ptr<RunWorker> buildFlowWorker(const Scenario& s, bool paused, const std::string& source);
std::unique_ptr<RunWorker> buildGeneratorWorker(const GeneratorScenario& s, bool paused, const std::string& source);

// Build first, swap after: `current` becomes the worker that build() returns, and the old worker
// is joined only then. When build() throws, `current` is left exactly as it was (its run goes on,
// and it is never null if it was not) and the exception propagates to the caller.
template <class Build>
void swapInBuiltWorker(std::unique_ptr<RunWorker>& current, Build&& build) {
  std::unique_ptr<RunWorker> next = build();
  current = std::move(next);
}

}  // namespace driftlab::app
