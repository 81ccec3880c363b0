// Generator scenario files and "key=value" settings. The layout is the particle-flow scenario's
// (the shared and run-level rows of the parameter table, written and read by flow/scenario.cpp's
// table code) plus "kind": "generator" and a "generator" object with the generator-only rows
// (generator_param_table.cpp). The particle-only settings are neither written nor accepted.
// Any thread.
#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/json_text.hpp"
#include "flow/param_text.hpp"
#include "flow/scenario_json.hpp"
#include "flow/setting_patch.hpp"
#include "generator/generator_json.hpp"
#include "generator/generator_param_spec.hpp"

namespace driftlab {

namespace detail {

namespace {

constexpr const char* kKind = "generator";

Scenario flowPart(const GeneratorScenario& s) {
  Scenario f;
  f.name = s.name;
  f.description = s.description;
  f.params = s.params.field;
  f.steps = s.steps;
  f.metrics_every = s.metrics_every;
  return f;
}

void takeFlowPart(GeneratorScenario& s, const Scenario& f) {
  s.name = f.name;
  s.description = f.description;
  s.params.field = f.params;
  s.steps = f.steps;
  s.metrics_every = f.metrics_every;
}

// Files written before the compute path was shared held it in "generator.compute_path" (the one
// training read) and always wrote the particle-only fields below; such a file is read as it
// was meant: its generator compute path becomes the shared one, the unused fields are dropped.
void upgradeOldLayout(GenJson& flow, GenJson& gen) {
  auto old_path = gen.find("compute_path");
  if (old_path == gen.end()) return;
  flow["compute_path"] = *old_path;
  gen.erase(old_path);
  if (auto data = flow.find("data"); data != flow.end() && data->is_object()) data->erase("samples");
  if (auto integ = flow.find("integrator"); integ != flow.end() && integ->is_object()) {
    for (const char* unused : {"type", "step", "cap_mode"}) integ->erase(unused);
  }
}

void readGeneratorObject(const GenJson& g, GeneratorParams& p) {
  std::vector<std::string> names;
  for (const auto& spec : generatorParamSpecs()) names.emplace_back(spec.key);
  const Fields fields(g, "generator", names);
  for (const auto& spec : generatorParamSpecs()) {
    if (const GenJson* v = fields.get(spec.key)) spec.read(p, *v, spec.json_path);
  }
}

}  // namespace

GenJson generatorScenarioToJsonValue(const GeneratorScenario& s) {
  GenJson j;
  j["kind"] = kKind;
  // a named value: items() of a temporary would refer to a destroyed document inside the loop
  const GenJson flow = scenarioToJsonValue(flowPart(s), ParamMode::Generator);
  for (auto& [key, value] : flow.items()) j[key] = value;
  // the geometry is written only off the plane: files of plane runs stay as they were before the
  // generator had a geometry, and so do the checksums of saved models (model_file.cpp), while a
  // driftlab without the sphere generator refuses a sphere model instead of generating off it
  if (s.params.field.geometry == GeometryKind::Euclidean) j.erase("geometry");
  GenJson g = GenJson::object();
  for (const auto& spec : generatorParamSpecs()) g[spec.key] = spec.write(s.params);
  j["generator"] = g;
  return j;
}

GeneratorScenario generatorScenarioFromJsonValue(const GenJson& j, const std::string& source_name) {
  if (!j.is_object()) throwInvalidArgument(source_name + ": expected a JSON object {...} (got " + shortDump(j) + ")");
  GeneratorScenario s;
  GenJson flow = j;
  if (const auto k = j.find("kind"); k != j.end()) {
    if (!k->is_string() || k->get<std::string>() != kKind) {
      throwInvalidArgument(source_name + ": kind: expected \"generator\" (got " + shortDump(*k) + ")");
    }
    flow.erase("kind");
  }
  const auto g = j.find("generator");
  if (g == j.end()) throwInvalidArgument(source_name + ": missing the \"generator\" object (is this a particle-flow scenario?)");
  GenJson gen = *g;
  flow.erase("generator");
  try {
    if (gen.is_object()) upgradeOldLayout(flow, gen);
    Scenario f = flowPart(s);  // a generator scenario's defaults where a field is absent
    readScenarioJson(flow, f, ParamMode::Generator);
    takeFlowPart(s, f);
    readGeneratorObject(gen, s.params);
    s.params.validate();
  } catch (const InvalidArgument& e) {
    throwInvalidArgument(source_name + ": " + e.what());
  }
  return s;
}

}  // namespace detail

GeneratorScenario generatorScenarioFromJson(std::string_view json_text, const std::string& source_name) {
  return detail::generatorScenarioFromJsonValue(detail::parseJsonText(json_text, source_name), source_name);
}

std::string generatorScenarioToJson(const GeneratorScenario& s) {
  return detail::generatorScenarioToJsonValue(s).dump(2) + "\n";
}

GeneratorScenario loadGeneratorScenario(const std::string& path) {
  return generatorScenarioFromJson(readTextFile(path, "scenario file", kMaxScenarioBytes), path);
}

void saveGeneratorScenario(const std::string& path, const GeneratorScenario& s) {
  detail::writeTextFileAtomically(path, generatorScenarioToJson(s), "scenario file");
}

std::vector<std::string> generatorSettingKeys() {
  std::vector<std::string> keys = detail::flowSettingKeys(ParamMode::Generator);
  for (const auto& spec : detail::generatorParamSpecs()) keys.emplace_back(spec.key);
  keys.emplace_back("compute_path");
  std::sort(keys.begin(), keys.end());
  return keys;
}

void applyGeneratorSetting(GeneratorScenario& s, std::string_view key_equals_value) {
  const std::string source = "--set " + std::string(key_equals_value);
  const detail::KeyValue kv = detail::splitSetting(key_equals_value, source, generatorSettingKeys());
  std::string key = kv.key;
  if (key.rfind("generator.", 0) == 0) key = key.substr(10);
  detail::GenJson j = detail::generatorScenarioToJsonValue(s);
  bool known = true;
  try {
    if (const auto* spec = detail::findGeneratorParamSpec(key)) {
      detail::setJsonPath(j, spec->json_path, kv.value);
    } else if (key == "compute_path") {
      detail::setJsonPath(j, "compute_path", kv.value);  // the one compute path, also training's
    } else if (key == "seed") {
      // every seed of the run from one number: data, network, noise, samples
      char* end = nullptr;
      errno = 0;
      const unsigned long long s0 = std::strtoull(kv.value.c_str(), &end, 10);
      const bool plain = !kv.value.empty() && kv.value.find_first_not_of("0123456789") == std::string::npos;
      if (!plain || *end != '\0' || errno != 0) detail::failField("seed", "expected an integer between 0 and 18446744073709551615 (got '" + kv.value + "')");
      j["data"]["seed"] = s0;
      j["generator"]["network_seed"] = s0 + 1;
      j["generator"]["noise_seed"] = s0 + 2;
      j["generator"]["sample_seed"] = s0 + 3;
    } else {
      known = detail::patchFlowSetting(j, key, kv.value, ParamMode::Generator);
    }
  } catch (const InvalidArgument& e) {
    detail::throwInvalidArgument(source + ": " + e.what());
  }
  if (!known) {
    detail::throwInvalidArgument(source + ": unknown key '" + kv.key + "' (keys: " +
                                 detail::joinNames(generatorSettingKeys()) + ")");
  }
  s = detail::generatorScenarioFromJsonValue(j, source);
}

}  // namespace driftlab
