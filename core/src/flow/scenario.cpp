// Scenario files: JSON text <-> Scenario with strict checking (unknown keys, wrong types and
// invalid values are errors that name the field path and the value). The fields, their order and
// their types come from the parameter table (param_table.cpp); schema: README "Scenario format".
// Doubles are written by nlohmann-json's shortest round-trip formatting, so save + load gives an
// equal Scenario. Any thread.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/json_text.hpp"
#include "driftlab/io/output_file.hpp"
#include "flow/param_spec.hpp"
#include "flow/scenario_json.hpp"

namespace driftlab {

namespace detail {

namespace {

// "integrator.step" -> {"integrator", "step"}; "steps" -> {"", "steps"}
std::pair<std::string, std::string> splitPath(const std::string& path) {
  const auto dot = path.find('.');
  if (dot == std::string::npos) return {"", path};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

bool usedBy(const FlowParamSpec& spec, ParamMode run_mode) {
  if (spec.mode == ParamMode::Shared || spec.mode == ParamMode::RunLevel) return true;
  return spec.mode == run_mode;
}

[[noreturn]] void failUnused(const std::string& field, ParamMode run_mode) {
  failField(field, run_mode == ParamMode::Generator
                       ? "a particle-flow setting: generator training does not use it"
                       : "a generator setting: a particle flow does not use it");
}

// the top-level names and each section's field names that a run of this mode reads
struct Layout {
  std::vector<std::string> top;
  std::vector<std::pair<std::string, std::vector<std::string>>> sections;
  std::vector<std::string>* section(const std::string& name) {
    for (auto& s : sections) {
      if (s.first == name) return &s.second;
    }
    return nullptr;
  }
};

Layout layoutFor(ParamMode run_mode) {
  Layout layout;
  for (const auto& spec : flowParamSpecs()) {
    if (!usedBy(spec, run_mode)) continue;
    const auto [section, leaf] = splitPath(spec.json_path);
    const std::string& top = section.empty() ? leaf : section;
    if (std::find(layout.top.begin(), layout.top.end(), top) == layout.top.end()) layout.top.push_back(top);
    if (section.empty()) continue;
    if (!layout.section(section)) layout.sections.push_back({section, {}});
    layout.section(section)->push_back(leaf);
  }
  return layout;
}

// a field the table knows but this mode does not use: refused with the reason
void refuseUnused(const Json& j, ParamMode run_mode) {
  if (!j.is_object()) return;
  for (const auto& spec : flowParamSpecs()) {
    if (usedBy(spec, run_mode)) continue;
    const auto [section, leaf] = splitPath(spec.json_path);
    const Json* holder = &j;
    if (!section.empty()) {
      auto it = j.find(section);
      if (it == j.end() || !it->is_object()) continue;
      holder = &*it;
    }
    if (holder->contains(leaf)) failUnused(spec.json_path, run_mode);
  }
}

}  // namespace

Json scenarioToJsonValue(const Scenario& s, ParamMode run_mode) {
  Json j = Json::object();
  for (const auto& spec : flowParamSpecs()) {
    if (!usedBy(spec, run_mode)) continue;
    Json value = spec.write(s);
    if (value.is_null()) continue;  // an empty optional path
    const auto [section, leaf] = splitPath(spec.json_path);
    if (section.empty()) j[leaf] = std::move(value);
    else j[section][leaf] = std::move(value);
  }
  return j;
}

void readScenarioJson(const Json& j, Scenario& s, ParamMode run_mode) {
  refuseUnused(j, run_mode);
  Layout layout = layoutFor(run_mode);
  const Fields top(j, "", layout.top);
  for (const auto& [section, leaves] : layout.sections) {
    if (const Json* v = top.get(section)) Fields(*v, section, leaves);  // unknown fields, non-objects
  }
  for (const auto& spec : flowParamSpecs()) {
    if (!usedBy(spec, run_mode)) continue;
    const auto [section, leaf] = splitPath(spec.json_path);
    const Json* holder = section.empty() ? &j : top.get(section);
    if (!holder) continue;
    auto it = holder->find(leaf);
    if (it != holder->end()) spec.read(s, *it, spec.json_path);
  }
  s.params.validate();
}

Scenario scenarioFromJsonValue(const Json& j, const std::string& source_name) {
  Scenario s;
  try {
    readScenarioJson(j, s, ParamMode::Particles);
  } catch (const InvalidArgument& e) {
    throwInvalidArgument(source_name + ": " + e.what());
  }
  return s;
}

// written completely or not at all (driftlab/io/output_file.hpp)
void writeTextFileAtomically(const std::string& path, const std::string& text, const char* what) {
  writeFileAtomically(path, text, what);
}

}  // namespace detail

Scenario scenarioFromJson(std::string_view json_text, const std::string& source_name) {
  return detail::scenarioFromJsonValue(detail::parseJsonText(json_text, source_name), source_name);
}

std::string scenarioToJson(const Scenario& s) {
  return detail::scenarioToJsonValue(s, ParamMode::Particles).dump(2) + "\n";
}

Scenario loadScenario(const std::string& path) {
  return scenarioFromJson(readTextFile(path, "scenario file", kMaxScenarioBytes), path);
}

void saveScenario(const std::string& path, const Scenario& s) {
  detail::writeTextFileAtomically(path, scenarioToJson(s), "scenario file");
}

}  // namespace driftlab
