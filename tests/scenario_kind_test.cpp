// File kinds told apart by their JSON structure (core/src/generator/scenario_kind.cpp): flow
// scenarios, generator scenarios (saved, preset, hand-written), model files, and bad text.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "error_of.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/generator/scenario_kind.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("driftlab_kind_" + name)).string();
}

}  // namespace

TEST_CASE("scenario kind: saved flow and generator scenarios and model files are told apart") {
  CHECK(scenarioKindFromJson(scenarioToJson(presetScenario("default")), "flow.json") == ScenarioKind::Flow);
  CHECK(scenarioKindFromJson(generatorScenarioToJson(generatorPreset("gen_checkerboard")), "gen.json") ==
        ScenarioKind::Generator);
  for (const auto& entry : generatorPresetCatalog())
    CHECK(scenarioKindFromJson(generatorScenarioToJson(generatorPreset(entry.name)), entry.name) ==
          ScenarioKind::Generator);
  for (const auto& entry : presetCatalog())
    CHECK(scenarioKindFromJson(scenarioToJson(presetScenario(entry.name)), entry.name) == ScenarioKind::Flow);

  GeneratorScenario small = generatorPreset("gen_checkerboard");
  const GeneratorEngine engine(small.params);
  CHECK(scenarioKindFromJson(modelToJson(modelFromEngine(engine, small)), "model.json") == ScenarioKind::Model);
  CHECK(std::string(scenarioKindName(ScenarioKind::Model)) == "generator model file");
}

TEST_CASE("scenario kind: the word generator in a flow scenario's name or description keeps it a flow scenario") {
  Scenario s = presetScenario("default");
  s.name = "generator";
  s.description = "not a \"generator\" scenario: {\"generator\": {}} and \"kind\": \"generator\" are only text here";
  const std::string text = scenarioToJson(s);
  REQUIRE(text.find("\"generator\"") != std::string::npos);  // the old substring test would have said generator
  CHECK(scenarioKindFromJson(text, "flow.json") == ScenarioKind::Flow);

  const std::string path = tempPath("flow_named_generator.json");
  saveScenario(path, s);
  CHECK(scenarioKindOfFile(path) == ScenarioKind::Flow);
  CHECK_NOTHROW(requireScenarioKind(path, ScenarioKind::Flow));
  CHECK(loadScenario(path) == s);
  std::filesystem::remove(path);
}

TEST_CASE("scenario kind: a hand-written generator scenario needs only the generator object or the kind") {
  CHECK(scenarioKindFromJson(R"({"generator": {"lr": 0.001}})", "g.json") == ScenarioKind::Generator);
  CHECK(scenarioKindFromJson(R"({"kind": "generator", "name": "g"})", "g.json") == ScenarioKind::Generator);
  // a "generator" key inside a section is not the top-level object
  CHECK(scenarioKindFromJson(R"({"name": "x", "data": {"dataset": "generator"}})", "f.json") == ScenarioKind::Flow);
  CHECK(scenarioKindFromJson("{}", "empty.json") == ScenarioKind::Flow);
}

TEST_CASE("scenario kind: malformed or foreign JSON is one clear error naming the file") {
  const std::string broken = errorOf([] { scenarioKindFromJson(R"({ "data": { "dataset": )", "broken.json"); });
  CHECK(broken.rfind("broken.json: invalid JSON", 0) == 0);
  CHECK(broken.find('\n') == std::string::npos);

  CHECK(errorOf([] { scenarioKindFromJson("[1, 2]", "list.json"); }) ==
        "list.json: expected a JSON object {...} (got [1,2])");
  CHECK(errorOf([] { scenarioKindFromJson(R"({"kind": "flow"})", "k.json"); }) ==
        "k.json: kind: expected \"generator\" or no kind for a flow scenario (got \"flow\")");
  CHECK(errorOf([] { scenarioKindFromJson(R"({"format": "png"})", "m.json"); }) ==
        "m.json: format: expected \"driftlab-generator-model\" (got \"png\")");
  // the raw-text checks run before the parser: a key given twice is refused
  CHECK(errorOf([] { scenarioKindFromJson(R"({"steps": 5, "steps": 6})", "dup.json"); }).find("duplicate key") !=
        std::string::npos);
  CHECK(errorOf([] { scenarioKindFromJson(std::string(100000, '['), "deep.json"); }).find("nested deeper") !=
        std::string::npos);

  const std::string missing = tempPath("does_not_exist.json");
  CHECK(errorOf([&] { scenarioKindOfFile(missing); }).rfind(missing + ": cannot open scenario file", 0) == 0);
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(errorOf([&] { scenarioKindOfFile(dir); }) == dir + ": is a directory, not a JSON file");
}

TEST_CASE("scenario kind: requireScenarioKind names what the file is and the command that reads it") {
  const std::string gen = tempPath("gen.json");
  saveGeneratorScenario(gen, generatorPreset("gen_checkerboard"));
  CHECK(errorOf([&] { requireScenarioKind(gen, ScenarioKind::Flow); }) ==
        gen + ": this is a generator scenario, not a flow scenario (driftlab-cli train --scenario reads it)");
  CHECK_NOTHROW(requireScenarioKind(gen, ScenarioKind::Generator));
  const std::string flow = tempPath("flow.json");
  saveScenario(flow, presetScenario("default"));
  CHECK(errorOf([&] { requireScenarioKind(flow, ScenarioKind::Generator); }) ==
        flow + ": this is a flow scenario, not a generator scenario (driftlab-cli run --scenario reads it)");
  const std::string model = tempPath("model.json");
  GeneratorScenario small = generatorPreset("gen_checkerboard");
  saveModel(model, modelFromEngine(GeneratorEngine(small.params), small));
  CHECK(errorOf([&] { requireScenarioKind(model, ScenarioKind::Generator); }) ==
        model + ": this is a generator model file, not a generator scenario (driftlab-cli generate --model reads it)");
  for (const auto& p : {gen, flow, model}) std::filesystem::remove(p);
}
