#include "run_loader.hpp"

#include <exception>
#include <new>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/scenario_kind.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/generator_worker.hpp"

namespace driftlab::app {

namespace {

// one line naming the scenario and, through the engine's own message, the bad file
[[noreturn]] void rethrowNamingSource(const std::string& source) {
  std::string what;
  try {
    throw;
  } catch (const std::bad_alloc&) {
    what = "not enough memory to start the run";
  } catch (const std::exception& e) {
    what = e.what();
  }
  if (source.empty() || what.rfind(source + ":", 0) == 0) throw InvalidArgument(what);
  throw InvalidArgument(source + ": " + what);
}

}  // namespace

ScenarioOfAnyKind loadScenarioOfAnyKind(const std::string& path) {
  ScenarioOfAnyKind out;
  switch (scenarioKindOfFile(path)) {
    case ScenarioKind::Model:
      throw InvalidArgument(path + ": this is a generator model file, not a scenario; use driftlab-cli generate "
                                   "--model " + path + " to sample from it");
    case ScenarioKind::Generator:
      out.generator_mode = true;
      out.generator = loadGeneratorScenario(path);
      out.flow.name = out.generator.name;
      out.flow.description = out.generator.description;
      out.flow.params = out.generator.params.field;
      out.flow.steps = out.generator.steps;
      out.flow.metrics_every = out.generator.metrics_every;
      break;
    case ScenarioKind::Flow:
      out.flow = loadScenario(path);
      break;
  }
  return out;
}

std::unique_ptr<RunWorker> buildFlowWorker(const Scenario& s, bool paused, const std::string& source) {
  try {
    return std::make_unique<FlowWorker>(s.params, paused);
  } catch (...) {
    rethrowNamingSource(source);
  }
}

std::unique_ptr<RunWorker> buildGeneratorWorker(const GeneratorScenario& s, bool paused, const std::string& source) {
  try {
    return std::make_unique<GeneratorWorker>(s, paused);
  } catch (...) {
    rethrowNamingSource(source);
  }
}

}  // namespace driftlab::app
