// Internal: Scenario <-> JSON values through the parameter table, shared by scenario.cpp (files),
// settings.cpp ("key=value" settings are applied as a patch to the scenario's JSON form, so both
// go through the same type checks and validation) and the generator's scenario format, which
// holds the same fields for its field (run_mode Generator: the particle-only ones are left out
// and refused). Not a public header: core links nlohmann-json privately. Any thread.
#pragma once

#include <string>

#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/json_fields.hpp"

namespace driftlab::detail {

// every field the mode uses, in the table's order (empty CSV paths omitted)
Json scenarioToJsonValue(const Scenario& s, ParamMode run_mode);
// reads the fields present into s (absent ones keep s's values) and validates; errors name the
// field path but not the source
void readScenarioJson(const Json& j, Scenario& s, ParamMode run_mode);
// a particle-flow scenario from its defaults; errors are prefixed with "<source_name>: "
Scenario scenarioFromJsonValue(const Json& j, const std::string& source_name);

// whole-file text I/O; errors "<path>: cannot open <what> (<reason>)"
// through a temporary file and a rename, so a failed save leaves no truncated file
void writeTextFileAtomically(const std::string& path, const std::string& text, const char* what);

}  // namespace driftlab::detail
