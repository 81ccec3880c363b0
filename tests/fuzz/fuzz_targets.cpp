#include "fuzz_targets.hpp"

#include <exception>
#include <new>
#include <string>
#include <utility>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/io/csv.hpp"
#include "script.hpp"

namespace driftlab::fuzz {

namespace {

// a rejection must be one line of bounded length (it is what the user reads)
void checkMessage(const std::string& target, const std::string& what) {
  if (what.empty()) throw FuzzDefect{target + ": rejected with an empty message"};
  if (what.find('\n') != std::string::npos || what.find('\r') != std::string::npos)
    throw FuzzDefect{target + ": rejection message spans several lines: " + what.substr(0, 300)};
  if (what.size() > kMaxMessageLength)
    throw FuzzDefect{target + ": rejection message of " + std::to_string(what.size()) +
                     " characters (values must be cut): " + what.substr(0, 300)};
}

// runs one parse: InvalidArgument is a rejection; any other exception is a defect
template <class Fn>
Verdict guarded(const std::string& target, Fn&& fn) {
  try {
    fn();
    return Verdict::Accepted;
  } catch (const InvalidArgument& e) {
    checkMessage(target, e.what());
    return Verdict::Rejected;
  } catch (const FuzzDefect&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw FuzzDefect{target + ": std::bad_alloc escaped (an input must not make the parser allocate without bound)"};
  } catch (const std::exception& e) {
    throw FuzzDefect{target + ": an exception other than InvalidArgument escaped: " + std::string(e.what()).substr(0, 300)};
  }
}

// what was accepted must be written and read back to the same text (a value that is saved and
// then refused on load loses the user's work)
template <class Read, class Write>
void roundTrip(const std::string& target, const Read& read, const Write& write, const std::string& first_text) {
  std::string again;
  try {
    again = write(read(first_text, "round-trip.json"));
  } catch (const InvalidArgument& e) {
    throw FuzzDefect{target + ": an accepted input was written but cannot be read back: " +
                     std::string(e.what()).substr(0, 300)};
  }
  if (again != first_text) throw FuzzDefect{target + ": writing, reading and writing again changed the text"};
}

Verdict csvTarget(std::string_view in) {
  return guarded("csv", [&] {
    const Points pts = parseCsvPoints(std::string(in), "fuzz.csv");
    const std::string text = formatCsvPoints(pts, coordinateNames(static_cast<int>(pts.rows())));
    Points back;
    try {
      back = parseCsvPoints(text, "round-trip.csv");
    } catch (const InvalidArgument& e) {
      throw FuzzDefect{std::string("csv: accepted points cannot be read back: ") + e.what()};
    }
    if (back.rows() != pts.rows() || back.cols() != pts.cols() || !(back.array() == pts.array()).all())
      throw FuzzDefect{"csv: written points read back differently"};
  });
}

Verdict scenarioTarget(std::string_view in) {
  return guarded("scenario", [&] {
    const Scenario s = scenarioFromJson(in, "fuzz.json");
    roundTrip("scenario", [](const std::string& t, const std::string& n) { return scenarioFromJson(t, n); },
              [](const Scenario& x) { return scenarioToJson(x); }, scenarioToJson(s));
  });
}

Verdict generatorScenarioTarget(std::string_view in) {
  return guarded("generator_scenario", [&] {
    const GeneratorScenario s = generatorScenarioFromJson(in, "fuzz.json");
    roundTrip("generator_scenario",
              [](const std::string& t, const std::string& n) { return generatorScenarioFromJson(t, n); },
              [](const GeneratorScenario& x) { return generatorScenarioToJson(x); }, generatorScenarioToJson(s));
  });
}

Verdict modelTarget(std::string_view in) {
  return guarded("model", [&] {
    const GeneratorModel m = modelFromJson(in, "fuzz.json");
    roundTrip("model", [](const std::string& t, const std::string& n) { return modelFromJson(t, n); },
              [](const GeneratorModel& x) { return modelToJson(x); }, modelToJson(m));
  });
}

// `--set key=value`: a change the run accepts must leave a scenario that can be saved and loaded
Verdict settingTarget(std::string_view in) {
  return guarded("setting", [&] {
    Scenario s = defaultScenario();
    applySetting(s, in);
    roundTrip("setting", [](const std::string& t, const std::string& n) { return scenarioFromJson(t, n); },
              [](const Scenario& x) { return scenarioToJson(x); }, scenarioToJson(s));
  });
}

// `train --set key=value` and the app's generator settings: the same promise for a generator
Verdict generatorSettingTarget(std::string_view in) {
  return guarded("generator_setting", [&] {
    GeneratorScenario s = generatorPreset(generatorPresetCatalog().front().name);
    applyGeneratorSetting(s, in);
    roundTrip("generator_setting",
              [](const std::string& t, const std::string& n) { return generatorScenarioFromJson(t, n); },
              [](const GeneratorScenario& x) { return generatorScenarioToJson(x); }, generatorScenarioToJson(s));
  });
}

Verdict scriptTarget(std::string_view in) {
  return guarded("script", [&] { (void)app::parseScript(in, "fuzz.script", defaultScenario()); });
}

std::vector<std::string> csvSeeds() {
  return {"x,y\n0.5,1\n-2,3e-3\n", "1,2,3\n4,5,6\n", "# comment\nx0,x1\n1,2\n\n3,4\n", "a\n1\n2\n1e300\n"};
}

std::vector<std::string> scenarioSeeds() {
  std::vector<std::string> out;
  for (const auto& p : presetCatalog()) out.push_back(scenarioToJson(presetScenario(p.name)));
  return out;
}

std::vector<std::string> generatorScenarioSeeds() {
  std::vector<std::string> out;
  for (const auto& p : generatorPresetCatalog()) out.push_back(generatorScenarioToJson(generatorPreset(p.name)));
  return out;
}

// one small trained-for-zero-steps network: a complete, valid model file
std::vector<std::string> modelSeeds() {
  GeneratorScenario s = generatorPreset(generatorPresetCatalog().front().name);
  s.params.arch.hidden = {3, 2};
  s.params.batch = 8;
  s.params.data_batch = 8;
  s.params.sample_count = 8;
  const GeneratorEngine engine(s.params);
  return {modelToJson(modelFromEngine(engine, s))};
}

std::vector<std::string> settingSeeds() {
  std::vector<std::string> out = {"kernel=laplacian", "bandwidth=0.05", "weights=reverse_kl:1,chi2:0.5",
                                  "particles=300", "step=0.5"};
  for (const std::string& key : settingKeys()) out.push_back(key + "=1");
  return out;
}

std::vector<std::string> generatorSettingSeeds() {
  return {"lr=0.002", "widths=16,16", "latent=2", "batch=64", "ema=0.99", "eta=0.5", "seed=3", "kernel=gaussian",
          "name=gen_test", "weights=drift_double:1"};
}

std::vector<std::string> scriptSeeds() {
  return {"0 pause\n10 set kernel=laplacian\n20 view heat=logratio\n30 click 0.5 -1\n40 screenshot a.png\n50 quit\n",
          "# demo\n1 newseed 7\n2 step\n3 resume\n4 view tool=probe\n5 reset\n"};
}

std::string nested(std::size_t depth, const std::string& inner) {
  return std::string(depth, '[') + inner + std::string(depth, ']');
}

}  // namespace

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"csv", csvTarget, csvSeeds},
      {"scenario", scenarioTarget, scenarioSeeds},
      {"generator_scenario", generatorScenarioTarget, generatorScenarioSeeds},
      {"model", modelTarget, modelSeeds},
      {"setting", settingTarget, settingSeeds},
      {"generator_setting", generatorSettingTarget, generatorSettingSeeds},
      {"script", scriptTarget, scriptSeeds},
  };
  return all;
}

std::vector<HostileInput> hostileInputs() {
  constexpr std::size_t kDeep = 100'000;  // 200 KB of brackets: stack overflow in recursive parsers
  std::vector<HostileInput> out;
  out.push_back({"scenario", "top level nested 100000 deep", nested(kDeep, "1")});
  out.push_back({"scenario", "data nested 100000 deep", "{\"data\": " + nested(kDeep, "0") + "}"});
  out.push_back({"scenario", "weights nested 100000 deep", "{\"weights\": " + nested(kDeep, "1") + "}"});
  out.push_back({"scenario", "bandwidth.scales nested 100000 deep",
                 "{\"bandwidth\": {\"rule\": \"multiscale\", \"scales\": " + nested(kDeep, "0.1") + "}}"});
  out.push_back({"scenario", "objects nested 100000 deep",
                 [] {
                   std::string s;
                   for (std::size_t i = 0; i < kDeep; ++i) s += "{\"a\":";
                   return s + "1" + std::string(kDeep, '}');
                 }()});
  out.push_back({"generator_scenario", "generator nested 100000 deep",
                 "{\"kind\": \"generator\", \"generator\": " + nested(kDeep, "1") + "}"});
  out.push_back({"model", "architecture nested 100000 deep", "{\"architecture\": " + nested(kDeep, "2") + "}"});
  out.push_back({"scenario", "a name of 1 MB", "{\"name\": \"" + std::string(1 << 20, 'n') + "\"}"});
  out.push_back({"scenario", "invalid UTF-8 in the name", "{\"name\": \"a\xff" "b\"}"});
  out.push_back({"setting", "invalid UTF-8 in a setting", "name=a\xff" "b"});
  out.push_back({"setting", "a setting value of 1 MB", "kernel=" + std::string(1 << 20, 'k')});
  out.push_back({"generator_setting", "invalid UTF-8 in a generator setting", "name=gen\xff"});
  out.push_back({"csv", "a UTF-8 byte order mark before a headerless row", "\xef\xbb\xbf" "1,2\n3,4\n"});
  out.push_back({"csv", "carriage returns only", "x,y\r1,2\r3,4\r"});
  out.push_back({"csv", "one row of 200000 columns", [] {
                   std::string s;
                   for (int i = 0; i < 200'000; ++i) s += i ? ",1" : "1";
                   return s + "\n";
                 }()});
  out.push_back({"script", "a click at 3e38", "2 click 0 3e38\n"});
  out.push_back({"script", "a line of 1 MB", "1 set name=" + std::string(1 << 20, 's') + "\n"});
  return out;
}

}  // namespace driftlab::fuzz
