// Internal: GeneratorScenario <-> JSON values, shared by generator_scenario.cpp (scenario files,
// settings) and model_file.cpp (the scenario embedded in a model file). The JSON helpers are the
// flow layer's one field reader (flow/json_fields.hpp). Not a public header: core links
// nlohmann-json privately. Any thread.
#pragma once

#include <string>

#include "driftlab/generator/generator.hpp"
#include "flow/json_fields.hpp"

namespace driftlab::detail {

using GenJson = Json;

GenJson generatorScenarioToJsonValue(const GeneratorScenario& s);
// reads and validates; errors are prefixed with "<source_name>: "
GeneratorScenario generatorScenarioFromJsonValue(const GenJson& j, const std::string& source_name);

}  // namespace driftlab::detail
