// "key=value" settings (CLI --set, scripts, the worker's SetParam command). The keys are the
// parameter table's (param_table.cpp); a setting is applied as a patch to the scenario's JSON
// form and read back through the scenario reader, so it gets exactly the same type checks and
// validation as a scenario file, and the scenario is left unchanged when anything is wrong.
// Besides the table's keys, any field path of the scenario format is accepted
// ("integrator.step=0.005", "divergence.weights.chi2=0.25"). Any thread.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/base/text.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/param_spec.hpp"
#include "flow/param_text.hpp"
#include "flow/scenario_json.hpp"
#include "flow/setting_patch.hpp"

namespace driftlab {

namespace detail {

namespace {

// keys with their own handling besides the table's (the table's dataset, init, data_csv,
// init_csv and weights keys are also handled in code: a .csv path, a weight list)
constexpr const char* kSpecialKeys[] = {"bandwidth", "divergence", "weights.NAME", "seed"};

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    out.push_back(s.substr(start, pos == std::string::npos ? std::string::npos : pos - start));
    if (pos == std::string::npos) return out;
    start = pos + 1;
  }
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// a number if the whole text is one in decimal syntax (integers stay integers so seeds keep all 64
// bits); else the text, which the field's reader refuses naming it
Json numberOrText(const std::string& text) {
  const std::string t = trim(text);
  if (t.empty()) return Json(text);
  const bool plain_integer = t.find_first_not_of("0123456789") == std::string::npos ||
                             (t[0] == '-' && t.size() > 1 && t.find_first_not_of("0123456789", 1) == std::string::npos);
  if (plain_integer) {
    errno = 0;
    char* end = nullptr;
    if (t[0] == '-') {
      const long long v = std::strtoll(t.c_str(), &end, 10);
      if (errno == 0 && *end == '\0') return Json(static_cast<std::int64_t>(v));
    } else {
      const unsigned long long v = std::strtoull(t.c_str(), &end, 10);
      if (errno == 0 && *end == '\0') return Json(static_cast<std::uint64_t>(v));
    }
  }
  // decimal syntax only, as in CSV and JSON files: strtod would also take "0x10" (as 16). "nan"
  // and "inf" become doubles that validation refuses, naming them (shortDump prints them as such)
  double d = 0.0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec == std::errc() && end == t.data() + t.size()) return Json(d);
  return Json(text);
}

// converts the text to the JSON type of the field it replaces (current may be null: new leaf)
Json typedValue(const std::string& text, const Json* current) {
  if (current == nullptr || current->is_number()) return numberOrText(text);
  if (current->is_string()) return Json(text);
  if (current->is_boolean()) {
    const std::string t = trim(text);
    if (t == "true" || t == "1" || t == "on" || t == "yes") return Json(true);
    if (t == "false" || t == "0" || t == "off" || t == "no") return Json(false);
    return Json(text);  // the reader reports "expected true or false (got ...)"
  }
  if (current->is_array()) {
    Json arr = Json::array();
    for (const auto& part : split(text, ',')) arr.push_back(numberOrText(part));
    return arr;
  }
  return Json(text);  // an object replaced by text: the reader names the type error
}

// a points file named by its extension (io/points_file.hpp reads .csv and .npy)
bool isPointsFilePath(const std::string& v) {
  if (v.size() <= 4) return false;
  std::string ext = v.substr(v.size() - 4);
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".csv" || ext == ".npy";
}

// "reverse_kl=1,chi2=0.5" (DivergenceWeights::parseList, the one weight-list parser) -> the
// scenario's weights object; a bare name (or "mixed") is kept as text, which the reader accepts
// as a single-term shorthand
Json weightsValue(const std::string& list) {
  if (list.find('=') == std::string::npos) return Json(trim(list));
  const DivergenceWeights w = DivergenceWeights::parseList(list);
  Json obj = Json::object();
  for (int i = 0; i < kNumDivergences; ++i) {
    if (w.w[i] != 0.0) obj[divergenceName(static_cast<Divergence>(i))] = w.w[i];
  }
  return obj;
}

// dataset=NAME, or a path ending in .csv or .npy selects the file dataset in one setting
void setNameOrCsv(Json& section, const char* name_field, const std::string& value, bool csv_key) {
  if (csv_key || isPointsFilePath(value)) {
    section[name_field] = "csv";
    section["csv"] = value;
  } else {
    section[name_field] = value;
  }
}

bool usedBy(ParamMode mode, ParamMode run_mode) {
  return mode == ParamMode::Shared || mode == ParamMode::RunLevel || mode == run_mode;
}

}  // namespace

KeyValue splitSetting(std::string_view text_view, const std::string& source, const std::vector<std::string>& keys) {
  const std::string text(text_view);
  // refused here, before any work: a scenario holding it could not be saved at the end of a run
  if (!isValidUtf8(text)) throwInvalidArgument(source + ": not valid UTF-8 text");
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throwInvalidArgument(source + ": expected key=value (keys: " + joinNames(keys) + ")");
  return {trim(text.substr(0, eq)), text.substr(eq + 1)};
}

bool setJsonPath(Json& root, const std::string& path, const std::string& text) {
  const auto parts = split(path, '.');
  Json* node = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!node->is_object() || !node->contains(parts[i])) return false;
    node = &(*node)[parts[i]];
  }
  if (!node->is_object() || parts.back().empty()) return false;
  const Json* current = node->contains(parts.back()) ? &(*node)[parts.back()] : nullptr;
  Json value = typedValue(text, current);
  (*node)[parts.back()] = std::move(value);
  return true;
}

bool patchFlowSetting(Json& j, const std::string& key, const std::string& value, ParamMode run_mode) {
  if (const FlowParamSpec* spec = findFlowParamSpec(key)) {
    if (!usedBy(spec->mode, run_mode)) {
      throwInvalidArgument(key + (run_mode == ParamMode::Generator
                                      ? ": a particle-flow setting: generator training does not use it"
                                      : ": a generator setting: a particle flow does not use it"));
    }
    const std::string k = spec->key;
    if (k == "dataset" || k == "data_csv") setNameOrCsv(j["data"], "dataset", value, k == "data_csv");
    else if (k == "init" || k == "init_csv") setNameOrCsv(j["init"], "layout", value, k == "init_csv");
    else if (k == "weights") j["divergence"]["weights"] = weightsValue(value);
    else return setJsonPath(j, spec->json_path, value);
    return true;
  }
  if (key == "bandwidth") {
    // a number: fixed bandwidth h; a name: the rule (h and the other rule parameters stay)
    const Json v = numberOrText(value);
    if (v.is_number()) {
      j["bandwidth"]["rule"] = "fixed";
      j["bandwidth"]["h"] = v;
    } else {
      j["bandwidth"]["rule"] = value;
    }
    return true;
  }
  if (key == "divergence") {
    j["divergence"]["weights"] = Json(trim(value));
    return true;
  }
  if (key.rfind("weights.", 0) == 0 || key.rfind("divergence.weights.", 0) == 0) {
    Json& w = j["divergence"]["weights"];
    if (!w.is_object()) w = Json::object();
    w[key.substr(key.rfind('.') + 1)] = numberOrText(value);
    return true;
  }
  if (key == "seed" && run_mode == ParamMode::Particles) {
    // data_seed = S, init_seed = S + 1 (FlowWorker's NewSeed uses the same rule)
    const Json v = numberOrText(value);
    if (v.is_number_unsigned()) {
      const std::uint64_t s = v.get<std::uint64_t>();
      j["data"]["seed"] = s;
      j["init"]["seed"] = s + 1;
    } else {
      j["data"]["seed"] = v;  // the reader names the type error
    }
    return true;
  }
  // any other field path of the scenario format: the reader rejects unknown fields with a hint
  if (key.find('.') != std::string::npos) return setJsonPath(j, key, value);
  return false;
}

std::vector<std::string> flowSettingKeys(ParamMode run_mode) {
  std::vector<std::string> keys;
  for (const auto& spec : flowParamSpecs()) {
    if (usedBy(spec.mode, run_mode)) keys.emplace_back(spec.key);
  }
  for (const char* k : kSpecialKeys) keys.emplace_back(k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

namespace {

std::string settingText(const Json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) return formatNumber(v.get<double>());
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) out += (out.empty() ? "" : ",") + settingText(item);
    return out;
  }
  return v.dump();
}

}  // namespace

}  // namespace detail

std::vector<std::string> settingKeys() { return detail::flowSettingKeys(ParamMode::Particles); }

std::string settingValue(const Scenario& s, std::string_view key) {
  const detail::FlowParamSpec* spec = detail::findFlowParamSpec(std::string(key));
  if (spec == nullptr) detail::throwInvalidArgument("settingValue: unknown key '" + std::string(key) + "'");
  if (std::string_view(spec->key) == "weights") return s.params.weights.toList();
  return detail::settingText(spec->write(s));
}

namespace {

// patches one "key=value" into the scenario JSON; errors name "--set key=value"
void patchSetting(detail::Json& j, std::string_view key_equals_value) {
  const std::string source = "--set " + std::string(key_equals_value);
  const detail::KeyValue kv = detail::splitSetting(key_equals_value, source, settingKeys());
  bool known = false;
  try {
    known = detail::patchFlowSetting(j, kv.key, kv.value, ParamMode::Particles);
  } catch (const InvalidArgument& e) {
    detail::throwInvalidArgument(source + ": " + e.what());
  }
  if (!known) {
    detail::throwInvalidArgument(source + ": unknown key '" + kv.key + "' (keys: " + detail::joinNames(settingKeys()) +
                                 ", or a scenario field path such as integrator.step)");
  }
}

}  // namespace

void applySetting(Scenario& s, std::string_view key_equals_value) {
  detail::Json j = detail::scenarioToJsonValue(s, ParamMode::Particles);
  patchSetting(j, key_equals_value);
  // read back and validate the whole scenario; s changes only if that succeeds
  s = detail::scenarioFromJsonValue(j, "--set " + std::string(key_equals_value));
}

void applySettings(Scenario& s, const std::vector<std::string>& key_equals_values) {
  if (key_equals_values.empty()) return;
  detail::Json j = detail::scenarioToJsonValue(s, ParamMode::Particles);
  std::string all;
  for (const std::string& one : key_equals_values) {
    patchSetting(j, one);
    all += (all.empty() ? "--set " : " --set ") + one;
  }
  s = detail::scenarioFromJsonValue(j, all);
}

}  // namespace driftlab
