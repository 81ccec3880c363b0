// File kinds by their JSON structure (scenario_kind.hpp). Any thread.
#include "driftlab/generator/scenario_kind.hpp"

#include <filesystem>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/model_file.hpp"
#include "generator/generator_json.hpp"

namespace driftlab {

const char* scenarioKindName(ScenarioKind kind) {
  switch (kind) {
    case ScenarioKind::Flow: return "flow scenario";
    case ScenarioKind::Generator: return "generator scenario";
    case ScenarioKind::Model: return "generator model file";
  }
  return "?";
}

ScenarioKind scenarioKindFromJson(std::string_view json_text, const std::string& source_name) {
  // parseJsonText runs checkJsonText (nesting limit, duplicate keys) before the parser
  const detail::GenJson j = detail::parseJsonText(json_text, source_name);
  if (!j.is_object())
    detail::throwInvalidArgument(source_name + ": expected a JSON object {...} (got " + detail::shortJson(j) + ")");
  if (auto format = j.find("format"); format != j.end()) {
    if (!format->is_string() || format->get<std::string>() != kModelFormat)
      detail::throwInvalidArgument(source_name + ": format: expected \"" + std::string(kModelFormat) + "\" (got " +
                                   detail::shortJson(*format) + ")");
    return ScenarioKind::Model;
  }
  if (auto kind = j.find("kind"); kind != j.end()) {
    if (!kind->is_string() || kind->get<std::string>() != "generator")
      detail::throwInvalidArgument(source_name + ": kind: expected \"generator\" or no kind for a flow scenario (got " +
                                   detail::shortJson(*kind) + ")");
    return ScenarioKind::Generator;
  }
  // a saved generator scenario always has "kind"; a hand-written one may carry only the object
  return j.contains("generator") ? ScenarioKind::Generator : ScenarioKind::Flow;
}

ScenarioKind scenarioKindOfFile(const std::string& path, std::size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) detail::throwInvalidArgument(path + ": is a directory, not a JSON file");
  return scenarioKindFromJson(readTextFile(path, "scenario file", max_bytes), path);
}

void requireScenarioKind(const std::string& path, ScenarioKind expected) {
  // a scenario is refused at the scenario size limit before it is parsed; a model file may be larger
  const ScenarioKind found =
      scenarioKindOfFile(path, expected == ScenarioKind::Model ? kMaxModelBytes : kMaxScenarioBytes);
  if (found == expected) return;
  const char* reader = found == ScenarioKind::Model       ? "driftlab-cli generate --model"
                       : found == ScenarioKind::Generator ? "driftlab-cli train --scenario"
                                                          : "driftlab-cli run --scenario";
  detail::throwInvalidArgument(path + ": this is a " + scenarioKindName(found) + ", not a " +
                               scenarioKindName(expected) + " (" + reader + " reads it)");
}

}  // namespace driftlab
