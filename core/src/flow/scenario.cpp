// Scenario files: JSON text <-> Scenario with strict checking (unknown keys, wrong types and
// invalid values are errors that name the field path and the value). Schema: README
// "Scenario format". Doubles are written by nlohmann-json's shortest round-trip formatting, so
// save + load gives an equal Scenario. Any thread.
//
// [SECTION] field reader (types, unknown keys)
// [SECTION] names of enums
// [SECTION] Scenario -> JSON
// [SECTION] JSON -> Scenario
// [SECTION] text and files
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include "driftlab/io/json_text.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/param_text.hpp"
#include "flow/scenario_json.hpp"

namespace driftlab {

namespace {

using detail::Json;

[[noreturn]] void fail(const std::string& field, const std::string& what) {
  detail::throwInvalidArgument(field + ": " + what);
}

// a JSON value as the user wrote it, shortened for a one-line message
std::string shortDump(const Json& v) {
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 48) s = s.substr(0, 45) + "...";
  return s;
}

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// ---------------------------------------------------------------------------------------------
// [SECTION] field reader (types, unknown keys)
// ---------------------------------------------------------------------------------------------

// One JSON object at `path` ("" = top level). The constructor rejects a non-object and any key
// not in `allowed` (with a "did you mean" hint); readers leave `out` unchanged when the key is
// absent, so missing fields keep their defaults.
class Fields {
 public:
  Fields(const Json& obj, std::string path, std::initializer_list<const char*> allowed)
      : obj_(obj), path_(std::move(path)) {
    if (!obj_.is_object()) {
      fail(path_.empty() ? std::string("scenario") : path_, "expected an object {...} (got " + shortDump(obj_) + ")");
    }
    for (const auto& item : obj_.items()) {
      const std::string& key = item.key();
      bool known = false;
      std::string best;
      std::size_t best_d = 3;  // suggest only close matches
      std::vector<std::string> names;
      for (const char* a : allowed) {
        names.emplace_back(a);
        if (key == a) known = true;
        const std::size_t d = editDistance(key, a);
        if (d < best_d) best_d = d, best = a;
      }
      if (!known) {
        std::string msg = "unknown field '" + name(key.c_str()) + "'";
        if (!best.empty()) msg += " (did you mean '" + name(best.c_str()) + "'?)";
        msg += "; allowed here: " + detail::joinNames(names);
        detail::throwInvalidArgument(msg);
      }
    }
  }

  std::string name(const char* key) const { return path_.empty() ? std::string(key) : path_ + "." + key; }
  const Json* get(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() ? nullptr : &*it;
  }

  void readString(const char* key, std::string& out) const {
    if (const Json* v = get(key)) {
      if (!v->is_string()) fail(name(key), "expected a string (got " + shortDump(*v) + ")");
      out = v->get<std::string>();
    }
  }
  void readDouble(const char* key, double& out) const {
    if (const Json* v = get(key)) {
      if (!v->is_number()) fail(name(key), "expected a number (got " + shortDump(*v) + ")");
      out = v->get<double>();
    }
  }
  void readBool(const char* key, bool& out) const {
    if (const Json* v = get(key)) {
      if (!v->is_boolean()) fail(name(key), "expected true or false (got " + shortDump(*v) + ")");
      out = v->get<bool>();
    }
  }
  // integers in [lo, hi]; an integral float such as 1e3 is accepted
  template <typename Int>
  void readInt(const char* key, long long lo, long long hi, Int& out) const {
    if (const Json* v = get(key)) out = static_cast<Int>(toInteger(key, *v, lo, hi));
  }
  // particles, samples: 1 .. kMaxPoints, larger counts "cannot fit"
  void readCount(const char* key, int& out) const {
    if (const Json* v = get(key)) {
      const long long n = toInteger(key, *v, -(1LL << 62), 1LL << 62);
      detail::checkPointCount(name(key), n);
      out = static_cast<int>(n);
    }
  }
  void readSeed(const char* key, std::uint64_t& out) const {
    const Json* v = get(key);
    if (!v) return;
    if (v->is_number_unsigned()) {
      out = v->get<std::uint64_t>();
    } else if (v->is_number_float() && v->get<double>() >= 0.0 && v->get<double>() < 18446744073709551616.0 &&
               std::floor(v->get<double>()) == v->get<double>()) {
      out = static_cast<std::uint64_t>(v->get<double>());
    } else {
      fail(name(key), "expected an integer between 0 and 18446744073709551615 (got " + shortDump(*v) + ")");
    }
  }

 private:
  long long toInteger(const char* key, const Json& v, long long lo, long long hi) const {
    const std::string range = " between " + std::to_string(lo) + " and " + std::to_string(hi);
    long double x = 0;
    if (v.is_number_unsigned()) {
      x = static_cast<long double>(v.get<std::uint64_t>());
    } else if (v.is_number_integer()) {
      x = static_cast<long double>(v.get<std::int64_t>());
    } else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>()) {
      x = v.get<double>();
    } else {
      fail(name(key), "expected an integer (got " + shortDump(v) + ")");
    }
    if (x < static_cast<long double>(lo) || x > static_cast<long double>(hi)) {
      fail(name(key), "must be an integer" + range + " (got " + shortDump(v) + ")");
    }
    return static_cast<long long>(x);
  }

  const Json& obj_;
  std::string path_;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] names of enums
// ---------------------------------------------------------------------------------------------

// generic "name -> enum" lookup over count values of an enum whose names come from name_of
template <typename Enum, typename NameOf>
Enum parseNamed(const std::string& field, const std::string& value, int count, NameOf name_of) {
  std::vector<std::string> names;
  for (int i = 0; i < count; ++i) {
    const Enum e = static_cast<Enum>(i);
    if (value == name_of(e)) return e;
    names.emplace_back(name_of(e));
  }
  fail(field, "unknown '" + value + "' (expected one of " + detail::joinNames(names) + ")");
}

const char* chi2Name(Chi2Convention c) { return c == Chi2Convention::Half ? "half" : "full"; }
const char* velocityModeName(VelocityMode m) { return m == VelocityMode::ExactSmoothed ? "smoothed" : "plugin"; }
const char* geometryName(GeometryKind) { return "euclidean"; }

constexpr int kNumKernels = 6;        // KernelKind::Gaussian .. Cauchy
constexpr int kNumBandwidthRules = 5; // BandwidthRule::Fixed .. MultiScale

// "divergence.weights": an object {"reverse_kl": 1, "chi2": 0.5} (missing entries are 0), or a
// single name / "mixed" as a shorthand
DivergenceWeights readWeights(const Json& v, const std::string& field) {
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "mixed") return DivergenceWeights::mixedDefault();
    std::vector<std::string> names;
    for (int i = 0; i < kNumDivergences; ++i) names.emplace_back(divergenceName(static_cast<Divergence>(i)));
    names.emplace_back("mixed");
    for (int i = 0; i < kNumDivergences; ++i) {
      if (s == names[i]) return DivergenceWeights::single(static_cast<Divergence>(i));
    }
    fail(field, "unknown '" + s + "' (expected one of " + detail::joinNames(names) + ")");
  }
  if (!v.is_object()) fail(field, "expected an object such as {\"reverse_kl\": 1, \"chi2\": 0.5} (got " + shortDump(v) + ")");
  DivergenceWeights w;
  for (const auto& item : v.items()) {
    const Divergence d = parseNamed<Divergence>(field + "." + item.key(), item.key(), kNumDivergences, divergenceName);
    if (!item.value().is_number()) {
      fail(field + "." + item.key(), "expected a number (got " + shortDump(item.value()) + ")");
    }
    w[d] = item.value().get<double>();
  }
  return w;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Scenario -> JSON
// ---------------------------------------------------------------------------------------------

namespace detail {

Json scenarioToJsonValue(const Scenario& s) {
  const FlowParams& p = s.params;
  Json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["steps"] = s.steps;
  j["metrics_every"] = s.metrics_every;

  Json data;
  data["dataset"] = p.dataset;
  if (!p.data_csv.empty()) data["csv"] = p.data_csv;
  data["samples"] = p.samples;
  data["seed"] = p.data_seed;
  j["data"] = data;

  Json init;
  init["layout"] = p.init;
  if (!p.init_csv.empty()) init["csv"] = p.init_csv;
  init["particles"] = p.particles;
  init["seed"] = p.init_seed;
  j["init"] = init;

  j["kernel"] = Json{{"type", kernelName(p.kernel.kind)}, {"nu", p.kernel.nu}, {"beta", p.kernel.beta}, {"c", p.kernel.c}};
  j["bandwidth"] = Json{{"rule", bandwidthRuleName(p.bandwidth.rule)},
                        {"h", p.bandwidth.h},
                        {"rate", p.bandwidth.anneal_rate},
                        {"min", p.bandwidth.h_min},
                        {"scales", p.bandwidth.scales}};

  Json weights = Json::object();
  for (int i = 0; i < kNumDivergences; ++i) {
    if (p.weights.w[i] != 0.0) weights[divergenceName(static_cast<Divergence>(i))] = p.weights.w[i];
  }
  Json div;
  div["weights"] = weights;
  div["alpha"] = p.alpha;
  div["chi2_convention"] = chi2Name(p.chi2);
  div["leave_one_out"] = p.leave_one_out;
  div["ratio_min"] = p.ratio_min;
  div["ratio_max"] = p.ratio_max;
  div["velocity"] = velocityModeName(p.velocity_mode);
  div["smoothed_grid"] = p.smoothed_grid;
  j["divergence"] = div;

  j["integrator"] = Json{{"type", integratorName(p.integrator)}, {"step", p.step}, {"displacement_cap", p.displacement_cap},
                         {"cap_mode", capModeName(p.cap_mode)}};
  j["geometry"] = geometryName(p.geometry);
  j["compute_path"] = computePathName(p.path);
  j["metrics"] = Json{{"reference_h", p.metrics_h}};
  return j;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] JSON -> Scenario
// ---------------------------------------------------------------------------------------------

namespace {

void readScenarioInto(const Json& j, Scenario& s) {
  FlowParams& p = s.params;
  const Fields top(j, "",
                   {"name", "description", "steps", "metrics_every", "data", "init", "kernel", "bandwidth",
                    "divergence", "integrator", "geometry", "compute_path", "metrics"});
  top.readString("name", s.name);
  top.readString("description", s.description);
  top.readInt("steps", 0, 1'000'000'000, s.steps);
  top.readInt("metrics_every", 1, 1'000'000'000, s.metrics_every);

  if (const Json* v = top.get("data")) {
    const Fields f(*v, "data", {"dataset", "csv", "samples", "seed"});
    f.readString("dataset", p.dataset);
    f.readString("csv", p.data_csv);
    f.readCount("samples", p.samples);
    f.readSeed("seed", p.data_seed);
  }
  if (const Json* v = top.get("init")) {
    const Fields f(*v, "init", {"layout", "csv", "particles", "seed"});
    f.readString("layout", p.init);
    f.readString("csv", p.init_csv);
    f.readCount("particles", p.particles);
    f.readSeed("seed", p.init_seed);
  }
  if (const Json* v = top.get("kernel")) {
    // no "h" here on purpose: the one bandwidth a user sets is bandwidth.h (kernel.h follows it)
    const Fields f(*v, "kernel", {"type", "nu", "beta", "c"});
    std::string type = kernelName(p.kernel.kind);
    f.readString("type", type);
    p.kernel.kind = parseNamed<KernelKind>("kernel.type", type, kNumKernels, kernelName);
    f.readDouble("nu", p.kernel.nu);
    f.readDouble("beta", p.kernel.beta);
    f.readDouble("c", p.kernel.c);
  }
  if (const Json* v = top.get("bandwidth")) {
    const Fields f(*v, "bandwidth", {"rule", "h", "rate", "min", "scales"});
    std::string rule = bandwidthRuleName(p.bandwidth.rule);
    f.readString("rule", rule);
    p.bandwidth.rule = parseNamed<BandwidthRule>("bandwidth.rule", rule, kNumBandwidthRules, bandwidthRuleName);
    f.readDouble("h", p.bandwidth.h);
    f.readDouble("rate", p.bandwidth.anneal_rate);
    f.readDouble("min", p.bandwidth.h_min);
    if (const Json* sc = f.get("scales")) {
      if (!sc->is_array() || sc->empty()) fail("bandwidth.scales", "expected a non-empty array of numbers (got " + shortDump(*sc) + ")");
      p.bandwidth.scales.clear();
      for (const Json& e : *sc) {
        if (!e.is_number()) fail("bandwidth.scales", "expected numbers (got " + shortDump(e) + ")");
        p.bandwidth.scales.push_back(e.get<double>());
      }
    }
  }
  if (const Json* v = top.get("divergence")) {
    const Fields f(*v, "divergence",
                   {"weights", "alpha", "chi2_convention", "leave_one_out", "ratio_min", "ratio_max", "velocity",
                    "smoothed_grid"});
    if (const Json* w = f.get("weights")) p.weights = readWeights(*w, "divergence.weights");
    f.readDouble("alpha", p.alpha);
    std::string chi2 = chi2Name(p.chi2);
    f.readString("chi2_convention", chi2);
    if (chi2 == "full") p.chi2 = Chi2Convention::Full;
    else if (chi2 == "half") p.chi2 = Chi2Convention::Half;
    else fail("divergence.chi2_convention", "unknown '" + chi2 + "' (expected one of full, half)");
    f.readBool("leave_one_out", p.leave_one_out);
    f.readDouble("ratio_min", p.ratio_min);
    f.readDouble("ratio_max", p.ratio_max);
    std::string velocity = velocityModeName(p.velocity_mode);
    f.readString("velocity", velocity);
    if (velocity == "plugin") p.velocity_mode = VelocityMode::PlugIn;
    else if (velocity == "smoothed") p.velocity_mode = VelocityMode::ExactSmoothed;
    else fail("divergence.velocity", "unknown '" + velocity + "' (expected one of plugin, smoothed)");
    f.readInt("smoothed_grid", -2147483648LL, 2147483647LL, p.smoothed_grid);
  }
  if (const Json* v = top.get("integrator")) {
    const Fields f(*v, "integrator", {"type", "step", "displacement_cap", "cap_mode"});
    std::string type = integratorName(p.integrator);
    f.readString("type", type);
    if (type == "euler") p.integrator = Integrator::Euler;
    else if (type == "heun") p.integrator = Integrator::Heun;
    else fail("integrator.type", "unknown '" + type + "' (expected one of euler, heun)");
    f.readDouble("step", p.step);
    f.readDouble("displacement_cap", p.displacement_cap);
    std::string cap_mode = capModeName(p.cap_mode);
    f.readString("cap_mode", cap_mode);
    p.cap_mode = parseCapMode(cap_mode);
  }
  if (const Json* v = top.get("compute_path")) {
    if (!v->is_string()) fail("compute_path", "expected a string (got " + shortDump(*v) + ")");
    try {
      p.path = parseComputePath(v->get<std::string>());
    } catch (const InvalidArgument&) {
      fail("compute_path", "unknown " + shortDump(*v) + " (expected one of exact64, exact, grid, auto)");
    }
  }
  if (const Json* v = top.get("geometry")) {
    if (!v->is_string() || v->get<std::string>() != "euclidean") {
      fail("geometry", "unknown " + shortDump(*v) + " (expected \"euclidean\"; the sphere comes later)");
    }
    p.geometry = GeometryKind::Euclidean;
  }
  if (const Json* v = top.get("metrics")) {
    const Fields f(*v, "metrics", {"reference_h"});
    f.readDouble("reference_h", p.metrics_h);
  }

  // kernel.h follows the bandwidth rule's first value so code reading params.kernel.h directly
  // sees the bandwidth in force at t = 0 for fixed/anneal/multiscale rules
  p.kernel.h = p.bandwidth.rule == BandwidthRule::MultiScale && !p.bandwidth.scales.empty()
                   ? p.bandwidth.scales.front()
                   : p.bandwidth.h;
  p.validate();
}

}  // namespace

Scenario scenarioFromJsonValue(const Json& j, const std::string& source_name) {
  Scenario s;
  s.params.kernel.h = s.params.bandwidth.h;
  try {
    readScenarioInto(j, s);
  } catch (const InvalidArgument& e) {
    throwInvalidArgument(source_name + ": " + e.what());
  }
  return s;
}

}  // namespace detail

// ---------------------------------------------------------------------------------------------
// [SECTION] text and files
// ---------------------------------------------------------------------------------------------

bool Scenario::operator==(const Scenario& o) const {
  return name == o.name && description == o.description && params == o.params && steps == o.steps &&
         metrics_every == o.metrics_every;
}

Scenario scenarioFromJson(std::string_view json_text, const std::string& source_name) {
  checkJsonText(json_text, source_name);  // before the recursive parser sees it
  detail::Json j;
  try {
    j = detail::Json::parse(json_text.begin(), json_text.end());
  } catch (const detail::Json::exception& e) {
    // nlohmann's message names line and column; drop its "[json.exception.parse_error.101] " tag
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      what = what.substr(close + 2);
    }
    detail::throwInvalidArgument(source_name + ": invalid JSON: " + what);
  }
  return detail::scenarioFromJsonValue(j, source_name);
}

std::string scenarioToJson(const Scenario& s) { return detail::scenarioToJsonValue(s).dump(2) + "\n"; }

Scenario loadScenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::throwInvalidArgument(path + ": cannot open scenario file (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) detail::throwInvalidArgument(path + ": cannot read scenario file");
  return scenarioFromJson(text.str(), path);
}

// writes a temporary file next to the target and renames it, so a failed save never leaves a
// truncated scenario behind
void saveScenario(const std::string& path, const Scenario& s) {
  const std::string text = scenarioToJson(s);
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

}  // namespace driftlab
