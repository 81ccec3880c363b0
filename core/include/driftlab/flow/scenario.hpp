// Scenario files (JSON via nlohmann-json), built-in presets and "key=value" settings.
// A scenario is a FlowParams plus run-level fields. Load/save round-trips exactly.
// Any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "driftlab/flow/flow_params.hpp"
#include "driftlab/kde/kernel.hpp"  // NamedDescription

namespace driftlab {

struct Scenario {
  std::string name = "default";
  std::string description;
  FlowParams params;
  long steps = 500;          // default number of steps for a headless run
  int metrics_every = 10;    // metrics cadence (steps) for headless runs
  bool operator==(const Scenario&) const = default;
};

// JSON text <-> Scenario. Every field is validated; an error names the field and the value:
// "scenario.json: kernel.h: must be > 0 (got -0.1)", "scenario.json: unknown field 'kernal'".
// Missing fields take their defaults.
Scenario scenarioFromJson(std::string_view json_text, const std::string& source_name);
std::string scenarioToJson(const Scenario& s);  // pretty-printed, doubles with round-trip precision
Scenario loadScenario(const std::string& path);  // throws InvalidArgument (missing file, bad JSON, bad field)
void saveScenario(const std::string& path, const Scenario& s);

// Built-in presets (the app and the CLI share them).
std::vector<NamedDescription> presetCatalog();
Scenario presetScenario(std::string_view name);  // throws InvalidArgument for an unknown name
Scenario defaultScenario();

// Applies one "key=value" setting (CLI --set, scripts, the worker's SetParam command).
// Keys: dataset, init, kernel, bandwidth (a number = fixed h, or silverman|median),
// bandwidth.rule, bandwidth.h, bandwidth.rate, bandwidth.min, bandwidth.scales, divergence
// (a name or "mixed"), weights.NAME, weights (a list), alpha, chi2, leave_one_out, ratio_min,
// ratio_max, velocity (plugin|smoothed), smoothed_grid, integrator, step, displacement_cap,
// particles, samples, seed (both seeds), data_seed, init_seed, nu, beta, c, steps, metrics_h.
// Throws InvalidArgument naming the key and value; s is unchanged on error.
void applySetting(Scenario& s, std::string_view key_equals_value);
// Several settings as one edit (command-line --set lists): each is patched in order, the whole
// scenario is validated once at the end, so settings that need each other (init=csv with
// init.csv=F) may come in any order. Errors of one setting name it; a failed final check names
// the whole list. s is unchanged on error.
void applySettings(Scenario& s, const std::vector<std::string>& key_equals_values);
std::vector<std::string> settingKeys();
// The value of one parameter-table key as applySetting accepts it back (numbers in shortest
// round-trip form, lists comma separated, weights as name=w,...): applySetting(s, key + "=" +
// settingValue(s, key)) leaves s unchanged. Throws InvalidArgument for a key not in the table.
std::string settingValue(const Scenario& s, std::string_view key);

}  // namespace driftlab
