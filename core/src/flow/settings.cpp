// "key=value" settings (CLI --set, scripts, the worker's SetParam command). A setting is applied
// as a patch to the scenario's JSON form and read back through the scenario reader, so it gets
// exactly the same type checks and validation as a scenario file, and the scenario is left
// unchanged when anything is wrong. Besides the short keys of settingKeys(), any field path of
// the scenario format is accepted ("integrator.step=0.005", "divergence.weights.chi2=0.25").
// Any thread.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "driftlab/base/text.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/param_text.hpp"
#include "flow/scenario_json.hpp"

namespace driftlab {

namespace {

using detail::Json;

// short key -> JSON path; keys with special handling are listed in applyShortKey
struct Alias {
  const char* key;
  const char* path;
};
constexpr Alias kAliases[] = {
    {"samples", "data.samples"},          {"data_seed", "data.seed"},
    {"particles", "init.particles"},      {"init_seed", "init.seed"},
    {"kernel", "kernel.type"},            {"nu", "kernel.nu"},
    {"beta", "kernel.beta"},              {"c", "kernel.c"},
    {"alpha", "divergence.alpha"},        {"chi2", "divergence.chi2_convention"},
    {"leave_one_out", "divergence.leave_one_out"},
    {"ratio_min", "divergence.ratio_min"}, {"ratio_max", "divergence.ratio_max"},
    {"velocity", "divergence.velocity"},  {"smoothed_grid", "divergence.smoothed_grid"},
    {"integrator", "integrator.type"},    {"step", "integrator.step"},
    {"displacement_cap", "integrator.displacement_cap"}, {"cap_mode", "integrator.cap_mode"}, {"path", "compute_path"},
    {"metrics_h", "metrics.reference_h"}, {"steps", "steps"},
    {"metrics_every", "metrics_every"},   {"name", "name"},
    {"description", "description"},
};
// keys handled in code rather than by a plain alias
constexpr const char* kSpecialKeys[] = {"dataset", "data_csv", "init", "init_csv", "bandwidth", "divergence",
                                        "weights", "weights.NAME", "seed"};

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

// a number if the whole text is one (integers stay integers so seeds keep all 64 bits; "nan" and
// "inf" become doubles and are then rejected by validation with the value named); else the text
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
  char* end = nullptr;
  const double d = std::strtod(t.c_str(), &end);
  if (end != t.c_str() && *end == '\0') return Json(d);
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

// sets a dotted path; intermediate objects must exist (a new leaf is allowed: the reader then
// rejects unknown fields with a hint)
bool setPath(Json& root, const std::string& path, const std::string& text) {
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

bool endsWithCsv(const std::string& v) {
  return v.size() > 4 && (v.compare(v.size() - 4, 4, ".csv") == 0 || v.compare(v.size() - 4, 4, ".CSV") == 0);
}

// "reverse_kl=1,chi2=0.5" -> {"reverse_kl": 1, "chi2": 0.5}; a bare name (or "mixed") is kept as
// text, which the reader accepts as a single-term shorthand
Json weightsValue(const std::string& list) {
  if (list.find('=') == std::string::npos) return Json(trim(list));
  Json obj = Json::object();
  for (const auto& entry : split(list, ',')) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos) {
      detail::throwInvalidArgument("weights: expected name=weight entries separated by commas (got '" + entry + "')");
    }
    obj[trim(entry.substr(0, eq))] = numberOrText(entry.substr(eq + 1));
  }
  return obj;
}

// applies one setting to the JSON form; false = unknown key
bool applyKey(Json& j, const std::string& key, const std::string& value) {
  for (const auto& a : kAliases) {
    if (key == a.key) return setPath(j, a.path, value);
  }
  if (key == "dataset" || key == "data_csv") {
    // a path ending in .csv selects the CSV dataset in one setting
    if (key == "data_csv" || endsWithCsv(value)) {
      j["data"]["dataset"] = "csv";
      j["data"]["csv"] = value;
    } else {
      j["data"]["dataset"] = value;
    }
    return true;
  }
  if (key == "init" || key == "init_csv") {
    if (key == "init_csv" || endsWithCsv(value)) {
      j["init"]["layout"] = "csv";
      j["init"]["csv"] = value;
    } else {
      j["init"]["layout"] = value;
    }
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
  if (key == "weights") {
    j["divergence"]["weights"] = weightsValue(value);
    return true;
  }
  if (key.rfind("weights.", 0) == 0) {
    Json& w = j["divergence"]["weights"];
    if (!w.is_object()) w = Json::object();
    w[key.substr(8)] = numberOrText(value);
    return true;
  }
  if (key == "seed") {
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
  // any full field path of the scenario format
  if (key.find('.') != std::string::npos) return setPath(j, key, value);
  return false;
}

std::vector<std::string> shortKeys() {
  std::vector<std::string> keys;
  for (const auto& a : kAliases) keys.emplace_back(a.key);
  for (const char* k : kSpecialKeys) keys.emplace_back(k);
  for (const char* k : {"bandwidth.rule", "bandwidth.h", "bandwidth.rate", "bandwidth.min", "bandwidth.scales"}) {
    keys.emplace_back(k);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

std::vector<std::string> settingKeys() { return shortKeys(); }

void applySetting(Scenario& s, std::string_view key_equals_value) {
  const std::string text(key_equals_value);
  const std::string source = "--set " + text;
  // refused here, before any work: a scenario holding it could not be saved at the end of a run
  if (!isValidUtf8(text)) detail::throwInvalidArgument(source + ": not valid UTF-8 text");
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    detail::throwInvalidArgument(source + ": expected key=value (keys: " + detail::joinNames(shortKeys()) + ")");
  }
  const std::string key = trim(text.substr(0, eq));
  const std::string value = text.substr(eq + 1);

  Json j = detail::scenarioToJsonValue(s);
  bool known = false;
  try {
    known = applyKey(j, key, value);
  } catch (const InvalidArgument& e) {
    detail::throwInvalidArgument(source + ": " + e.what());
  }
  if (!known) {
    detail::throwInvalidArgument(source + ": unknown key '" + key + "' (keys: " + detail::joinNames(shortKeys()) +
                                 ", or a scenario field path such as integrator.step)");
  }
  // read back and validate the whole scenario; s changes only if that succeeds
  s = detail::scenarioFromJsonValue(j, source);
}

}  // namespace driftlab
