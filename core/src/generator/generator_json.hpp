// Internal: GeneratorScenario <-> nlohmann JSON values, shared by generator_scenario.cpp (scenario
// files, settings) and model_file.cpp (the scenario embedded in a model file). Not a public
// header: core links nlohmann-json privately. Any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "driftlab/generator/generator.hpp"

namespace driftlab::detail {

using GenJson = nlohmann::ordered_json;

GenJson generatorScenarioToJsonValue(const GeneratorScenario& s);
// reads and validates; errors are prefixed with "<source_name>: "
GeneratorScenario generatorScenarioFromJsonValue(const GenJson& j, const std::string& source_name);
// a JSON value shortened for one-line messages
std::string shortJson(const GenJson& v);
// nlohmann parse of text; a parse error becomes "<source_name>: invalid JSON: <where>"
GenJson parseJsonText(std::string_view text, const std::string& source_name);

}  // namespace driftlab::detail
