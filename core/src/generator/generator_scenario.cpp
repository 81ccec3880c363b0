// Generator scenario files and "key=value" settings. The layout reuses the particle-flow
// scenario JSON (scenario.hpp, parsed there, not here) for the field and adds "kind": "generator" plus
// a "generator" object; the flow-only sections init and geometry are not written.
// Any thread.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "driftlab/base/text.hpp"
#include "driftlab/io/json_text.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "generator/generator_json.hpp"

namespace driftlab {

namespace detail {

namespace {

constexpr const char* kKind = "generator";

[[noreturn]] void fail(const std::string& field, const std::string& what) { throwInvalidArgument(field + ": " + what); }

const GenJson* member(const GenJson& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

double readNumber(const GenJson& v, const std::string& field) {
  if (!v.is_number()) fail(field, "expected a number (got " + shortJson(v) + ")");
  return v.get<double>();
}

long long readInteger(const GenJson& v, const std::string& field, long long lo, long long hi) {
  long double x = 0;
  if (v.is_number_unsigned()) x = static_cast<long double>(v.get<std::uint64_t>());
  else if (v.is_number_integer()) x = static_cast<long double>(v.get<std::int64_t>());
  else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>())
    x = v.get<double>();
  else fail(field, "expected an integer (got " + shortJson(v) + ")");
  if (x < static_cast<long double>(lo) || x > static_cast<long double>(hi))
    fail(field, "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " +
                    shortJson(v) + ")");
  return static_cast<long long>(x);
}

std::uint64_t readSeed(const GenJson& v, const std::string& field) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_float() && v.get<double>() >= 0 && v.get<double>() < 18446744073709551616.0 &&
      std::floor(v.get<double>()) == v.get<double>())
    return static_cast<std::uint64_t>(v.get<double>());
  fail(field, "expected an integer between 0 and 18446744073709551615 (got " + shortJson(v) + ")");
}

std::string readString(const GenJson& v, const std::string& field) {
  if (!v.is_string()) fail(field, "expected a string (got " + shortJson(v) + ")");
  return v.get<std::string>();
}

std::vector<double> readNumberList(const GenJson& v, const std::string& field) {
  if (!v.is_array()) fail(field, "expected an array of numbers (got " + shortJson(v) + ")");
  std::vector<double> out;
  for (const auto& e : v) out.push_back(readNumber(e, field));
  return out;
}

std::vector<int> readWidthList(const GenJson& v, const std::string& field) {
  if (!v.is_array()) fail(field, "expected an array of integers (got " + shortJson(v) + ")");
  std::vector<int> out;
  for (const auto& e : v) out.push_back(static_cast<int>(readInteger(e, field, 1, 8192)));
  return out;
}

const char* const kGeneratorFields[] = {"latent",  "widths",     "output_dim", "activation",   "network_init",
                                        "init_scale", "init_center", "network_seed", "lr",        "beta1",
                                        "beta2",   "adam_eps",   "batch",      "data_batch",   "eta",  "compute_path",
                                        "noise_seed", "sample_count", "sample_seed", "ema"};

void readGeneratorObject(const GenJson& g, GeneratorParams& p) {
  if (!g.is_object()) fail("generator", "expected an object {...} (got " + shortJson(g) + ")");
  for (const auto& item : g.items()) {
    bool known = false;
    for (const char* f : kGeneratorFields) known = known || item.key() == f;
    if (!known) {
      std::string allowed;
      for (const char* f : kGeneratorFields) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
      fail("generator", "unknown field '" + item.key() + "'; allowed here: " + allowed);
    }
  }
  auto get = [&](const char* k) { return member(g, k); };
  const std::string pre = "generator.";
  if (auto v = get("latent")) p.arch.input_dim = static_cast<int>(readInteger(*v, pre + "latent", 1, 8192));
  if (auto v = get("widths")) p.arch.hidden = readWidthList(*v, pre + "widths");
  if (auto v = get("output_dim")) p.arch.output_dim = static_cast<int>(readInteger(*v, pre + "output_dim", 1, 8192));
  if (auto v = get("activation")) p.arch.activation = parseActivation(readString(*v, pre + "activation"));
  if (auto v = get("network_init")) p.network_init = parseNetworkInit(readString(*v, pre + "network_init"));
  if (auto v = get("init_scale")) p.init_scale = readNumber(*v, pre + "init_scale");
  if (auto v = get("init_center")) p.init_center = readNumberList(*v, pre + "init_center");
  if (auto v = get("network_seed")) p.network_seed = readSeed(*v, pre + "network_seed");
  if (auto v = get("lr")) p.adam.lr = readNumber(*v, pre + "lr");
  if (auto v = get("beta1")) p.adam.beta1 = readNumber(*v, pre + "beta1");
  if (auto v = get("beta2")) p.adam.beta2 = readNumber(*v, pre + "beta2");
  if (auto v = get("adam_eps")) p.adam.eps = readNumber(*v, pre + "adam_eps");
  if (auto v = get("batch")) p.batch = static_cast<int>(readInteger(*v, pre + "batch", 2, 65536));
  if (auto v = get("data_batch")) p.data_batch = static_cast<int>(readInteger(*v, pre + "data_batch", 1, 65536));
  if (auto v = get("eta")) p.eta = readNumber(*v, pre + "eta");
  if (auto v = get("compute_path")) p.compute_path = parseComputePath(readString(*v, pre + "compute_path"));
  if (auto v = get("noise_seed")) p.noise_seed = readSeed(*v, pre + "noise_seed");
  if (auto v = get("sample_count")) p.sample_count = static_cast<int>(readInteger(*v, pre + "sample_count", 1, 262144));
  if (auto v = get("sample_seed")) p.sample_seed = readSeed(*v, pre + "sample_seed");
  if (auto v = get("ema")) p.ema = readNumber(*v, pre + "ema");
}

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

}  // namespace

std::string shortJson(const GenJson& v) {
  std::string s = v.dump();
  if (s.size() > 60) s = s.substr(0, 57) + "...";
  return s;
}

GenJson parseJsonText(std::string_view text, const std::string& source_name) {
  checkJsonText(text, source_name);  // before the recursive parser sees it
  try {
    return GenJson::parse(text.begin(), text.end());
  } catch (const GenJson::exception& e) {
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos)
      what = what.substr(close + 2);
    throwInvalidArgument(source_name + ": invalid JSON: " + what);
  }
}

GenJson generatorScenarioToJsonValue(const GeneratorScenario& s) {
  GenJson flow = GenJson::parse(scenarioToJson(flowPart(s)));
  GenJson j;
  j["kind"] = kKind;
  for (auto it = flow.begin(); it != flow.end(); ++it) {
    // particle-only sections: not used by generator training ("integrator" stays: it holds the
    // displacement_cap that generator mode applies to the target displacement)
    if (it.key() == "init" || it.key() == "geometry") continue;
    j[it.key()] = it.value();
  }
  const GeneratorParams& p = s.params;
  GenJson g;
  g["latent"] = p.arch.input_dim;
  g["widths"] = p.arch.hidden;
  g["output_dim"] = p.arch.output_dim;
  g["activation"] = activationName(p.arch.activation);
  g["network_init"] = networkInitName(p.network_init);
  g["init_scale"] = p.init_scale;
  g["init_center"] = p.init_center;
  g["network_seed"] = p.network_seed;
  g["lr"] = p.adam.lr;
  g["beta1"] = p.adam.beta1;
  g["beta2"] = p.adam.beta2;
  g["adam_eps"] = p.adam.eps;
  g["batch"] = p.batch;
  g["data_batch"] = p.data_batch;
  g["eta"] = p.eta;
  g["compute_path"] = computePathName(p.compute_path);
  g["noise_seed"] = p.noise_seed;
  g["sample_count"] = p.sample_count;
  g["sample_seed"] = p.sample_seed;
  g["ema"] = p.ema;
  j["generator"] = g;
  return j;
}

GeneratorScenario generatorScenarioFromJsonValue(const GenJson& j, const std::string& source_name) {
  if (!j.is_object()) throwInvalidArgument(source_name + ": expected a JSON object {...} (got " + shortJson(j) + ")");
  GeneratorScenario s;
  GenJson flow = j;
  if (const GenJson* k = member(j, "kind")) {
    if (!k->is_string() || k->get<std::string>() != kKind)
      throwInvalidArgument(source_name + ": kind: expected \"generator\" (got " + shortJson(*k) + ")");
    flow.erase("kind");
  }
  const GenJson* g = member(j, "generator");
  if (!g) throwInvalidArgument(source_name + ": missing the \"generator\" object (is this a particle-flow scenario?)");
  const GenJson gen = *g;
  flow.erase("generator");
  // defaults of a generator scenario (the flow reader keeps a field's value when it is absent)
  Scenario base = flowPart(s);
  Scenario f = scenarioFromJson(flow.dump(), source_name);
  if (!flow.contains("steps")) f.steps = base.steps;
  if (!flow.contains("metrics_every")) f.metrics_every = base.metrics_every;
  if (!flow.contains("name")) f.name = base.name;
  takeFlowPart(s, f);
  try {
    readGeneratorObject(gen, s.params);
    s.params.validate();
  } catch (const InvalidArgument& e) {
    throwInvalidArgument(source_name + ": " + e.what());
  }
  return s;
}

}  // namespace detail

bool GeneratorScenario::operator==(const GeneratorScenario& o) const {
  return name == o.name && description == o.description && params == o.params && steps == o.steps &&
         metrics_every == o.metrics_every;
}

GeneratorScenario generatorScenarioFromJson(std::string_view json_text, const std::string& source_name) {
  return detail::generatorScenarioFromJsonValue(detail::parseJsonText(json_text, source_name), source_name);
}

std::string generatorScenarioToJson(const GeneratorScenario& s) {
  return detail::generatorScenarioToJsonValue(s).dump(2) + "\n";
}

GeneratorScenario loadGeneratorScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::throwInvalidArgument(path + ": cannot open scenario file (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) detail::throwInvalidArgument(path + ": cannot read scenario file");
  return generatorScenarioFromJson(text.str(), path);
}

void saveGeneratorScenario(const std::string& path, const GeneratorScenario& s) {
  const std::string text = generatorScenarioToJson(s);
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) detail::throwInvalidArgument(path + ": cannot write scenario file (" + std::strerror(errno) + ")");
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      detail::throwInvalidArgument(path + ": cannot write scenario file");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    detail::throwInvalidArgument(path + ": cannot write scenario file (" + why + ")");
  }
}

std::vector<std::string> generatorSettingKeys() {
  return {"lr",       "batch",        "data_batch",  "eta",          "latent",      "widths",    "activation",
          "network_init", "init_scale", "init_center", "network_seed", "noise_seed", "sample_count", "sample_seed",
          "beta1",    "beta2",        "adam_eps",    "compute_path", "ema",         "seed"};
}

void applyGeneratorSetting(GeneratorScenario& s, std::string_view key_equals_value) {
  // refused here, before any training: a model holding it could not be saved at the end
  DRIFTLAB_CHECK(isValidUtf8(key_equals_value), "--set " + std::string(key_equals_value) + ": not valid UTF-8 text");
  const std::size_t eq = key_equals_value.find('=');
  DRIFTLAB_CHECK(eq != std::string_view::npos && eq > 0,
                 "--set: expected key=value (got '" + std::string(key_equals_value) + "')");
  std::string key(key_equals_value.substr(0, eq));
  const std::string value(key_equals_value.substr(eq + 1));
  if (key.rfind("generator.", 0) == 0) key = key.substr(10);
  GeneratorScenario t = s;
  GeneratorParams& p = t.params;
  auto number = [&]() {
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    DRIFTLAB_CHECK(!value.empty() && end && *end == '\0' && std::isfinite(v),
                   key + ": expected a number (got '" + value + "')");
    return v;
  };
  auto integer = [&](long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long v = std::strtoll(value.c_str(), &end, 10);
    DRIFTLAB_CHECK(!value.empty() && end && *end == '\0' && errno == 0 && v >= lo && v <= hi,
                   key + ": expected an integer between " + std::to_string(lo) + " and " + std::to_string(hi) +
                       " (got '" + value + "')");
    return v;
  };
  auto seed = [&]() {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(value.c_str(), &end, 10);
    DRIFTLAB_CHECK(!value.empty() && value[0] != '-' && end && *end == '\0' && errno == 0,
                   key + ": expected an integer between 0 and 18446744073709551615 (got '" + value + "')");
    return static_cast<std::uint64_t>(v);
  };
  bool mine = true;
  if (key == "lr") p.adam.lr = number();
  else if (key == "beta1") p.adam.beta1 = number();
  else if (key == "beta2") p.adam.beta2 = number();
  else if (key == "adam_eps") p.adam.eps = number();
  else if (key == "batch") p.batch = static_cast<int>(integer(2, 65536));
  else if (key == "data_batch") p.data_batch = static_cast<int>(integer(1, 65536));
  else if (key == "eta") p.eta = number();
  else if (key == "compute_path") p.compute_path = parseComputePath(value);
  else if (key == "latent") p.arch.input_dim = static_cast<int>(integer(1, 8192));
  else if (key == "widths") p.arch.hidden = parseWidths(value);
  else if (key == "activation") p.arch.activation = parseActivation(value);
  else if (key == "network_init") p.network_init = parseNetworkInit(value);
  else if (key == "init_scale") p.init_scale = number();
  else if (key == "init_center") {
    p.init_center.clear();
    std::size_t pos = 0;
    while (pos <= value.size()) {
      std::size_t comma = value.find(',', pos);
      if (comma == std::string::npos) comma = value.size();
      const std::string item = value.substr(pos, comma - pos);
      char* end = nullptr;
      const double v = std::strtod(item.c_str(), &end);
      DRIFTLAB_CHECK(!item.empty() && end && *end == '\0' && std::isfinite(v),
                     "init_center: expected numbers like 0.5,-0.2 (got '" + value + "')");
      p.init_center.push_back(v);
      pos = comma + 1;
    }
  } else if (key == "network_seed") p.network_seed = seed();
  else if (key == "noise_seed") p.noise_seed = seed();
  else if (key == "sample_count") p.sample_count = static_cast<int>(integer(1, 262144));
  else if (key == "sample_seed") p.sample_seed = seed();
  else if (key == "ema") p.ema = number();
  else if (key == "seed") {
    // every seed of the run from one number (the flow's "seed" sets data_seed too)
    const std::uint64_t s0 = seed();
    p.field.data_seed = s0;
    p.network_seed = s0 + 1;
    p.noise_seed = s0 + 2;
    p.sample_seed = s0 + 3;
  } else {
    mine = false;
  }
  if (!mine) {
    Scenario f = detail::flowPart(t);
    try {
      applySetting(f, key_equals_value);
    } catch (const InvalidArgument& e) {
      const std::string what = e.what();
      if (what.find("unknown key") == std::string::npos) throw;
      std::string keys;
      for (const auto& k : generatorSettingKeys()) keys += (keys.empty() ? "" : ", ") + k;
      throw InvalidArgument(what + "; generator keys: " + keys);
    }
    detail::takeFlowPart(t, f);
  }
  p.validate();
  s = std::move(t);
}

}  // namespace driftlab
