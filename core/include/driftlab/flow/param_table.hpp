// The parameter table: one description per setting — its `--set` key, its path in a scenario file,
// type, range, default, unit, marker label, one-line help, the modes that use it and whether a
// running flow takes it live. Scenario reading and writing, `--set`, validation messages,
// change-marker labels, `driftlab-cli params` and the app's tooltips come from it
// (core/src/flow/param_table.cpp, core/src/generator/generator_param_table.cpp). Any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace driftlab {

// Which runs use a setting; a setting of one mode cannot be written for the other.
enum class ParamMode {
  Shared,     // every mode: the field (kernel, bandwidth, divergence weights, compute path, ...)
  Particles,  // particle flow only (initial layout, N, integrator, step)
  Generator,  // generator training only (network, optimizer, batches)
  RunLevel,   // the scenario itself (name, description, steps, metrics cadence)
};
const char* paramModeName(ParamMode mode);  // shared, particles, generator, run

struct ParamInfo {
  std::string key;            // as in --set key=value
  std::string json_path;      // dotted path in the scenario file ("integrator.step")
  std::string type;           // number, integer, seed, bool, text, list, or the choices a|b|c
  std::string range;          // "> 0", "8 .. 1024", "" when any value of the type goes
  std::string default_value;  // as written in a scenario file
  std::string unit;           // "" when the value has none
  std::string label;          // short name on change markers
  std::string help;           // one line
  bool live = true;           // a running flow or training takes it without a restart
  ParamMode mode = ParamMode::Shared;
};

// every particle-flow setting (shared, particle-only and run-level), in scenario-file order
const std::vector<ParamInfo>& flowParamInfos();
// the description for a key or json path among flowParamInfos(); nullptr when unknown
const ParamInfo* findFlowParamInfo(std::string_view key_or_path);

}  // namespace driftlab
