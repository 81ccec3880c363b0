// Internal: Scenario <-> nlohmann JSON values, shared by scenario.cpp (files) and settings.cpp
// ("key=value" settings are applied as a patch to the scenario's JSON form, so both go through
// the same type checks and validation). Not a public header: core links nlohmann-json privately.
// Any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "driftlab/flow/scenario.hpp"

namespace driftlab::detail {

using Json = nlohmann::ordered_json;

// full form: every field written (empty CSV paths omitted), in the README's order
Json scenarioToJsonValue(const Scenario& s);
// reads and validates; errors are prefixed with "<source_name>: "
Scenario scenarioFromJsonValue(const Json& j, const std::string& source_name);

}  // namespace driftlab::detail
