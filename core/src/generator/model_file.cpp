// Generator model files, see model_file.hpp. The weights are spliced into the JSON text by
// hand because nlohmann-json prints doubles with 17 digits; 9 significant digits are the
// shortest fixed precision that round-trips every float32.
#include "driftlab/generator/model_file.hpp"

#include <cfloat>
#include <cmath>
#include <cstdio>

#include "driftlab/base/error.hpp"
#include "driftlab/base/fnv1a.hpp"
#include "driftlab/io/json_text.hpp"
#include "driftlab/io/output_file.hpp"
#include "generator/generator_json.hpp"

namespace driftlab {

namespace {

using detail::GenJson;

void appendFloats(std::string& out, const float* v, long n) {
  out += '[';
  char buf[32];
  for (long i = 0; i < n; ++i) {
    std::snprintf(buf, sizeof buf, i ? ",%.9g" : "%.9g", static_cast<double>(v[i]));
    out += buf;
  }
  out += ']';
}

std::string archText(const MlpArchitecture& a) { return a.label(); }

// parse a weights array into dst (exactly n finite float32 values)
void readFloats(const GenJson& v, float* dst, long n, const std::string& field) {
  if (!v.is_array()) detail::throwInvalidArgument(field + ": expected an array of numbers");
  if (static_cast<long>(v.size()) != n)
    detail::throwInvalidArgument(field + ": expected " + std::to_string(n) + " values (got " + std::to_string(v.size()) + ")");
  long i = 0;
  for (const auto& e : v) {
    if (!e.is_number()) detail::throwInvalidArgument(field + "[" + std::to_string(i) + "]: not a number (" + detail::shortDump(e) + ")");
    const double d = e.get<double>();
    // FLT_MAX written with 9 digits reads back as 3.40282347e+38, a little above FLT_MAX: what
    // rounds to a finite float32 is one (it was saved from one), beyond that it is refused
    const float f = static_cast<float>(d);
    if (!std::isfinite(d) || !std::isfinite(f))
      detail::throwInvalidArgument(field + "[" + std::to_string(i) + "]: not a finite float32 (" + detail::shortDump(e) + ")");
    dst[i++] = f;
  }
}

}  // namespace

std::string weightsChecksum(const Mlp& net) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (float f : net.parameters()) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    for (int b = 0; b < 4; ++b) {
      h ^= (bits >> (8 * b)) & 0xffu;
      h *= 0x100000001b3ull;
    }
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

namespace {

// Version 2's checksum: FNV-1a 64 over the weights' checksum, the scenario as written (network,
// activation, seeds, field: everything that changes what the model generates) and the step.
// Version 1 files hold the weights' checksum alone and are still read.
std::string contentChecksum(const Mlp& net, const GeneratorScenario& scenario, long step) {
  const std::string text = weightsChecksum(net) + "\n" + detail::generatorScenarioToJsonValue(scenario).dump() + "\n" +
                           std::to_string(step);
  const std::uint64_t h = fnv1a(text.data(), text.size());
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

std::string modelToJson(const GeneratorModel& m) {
  const MlpArchitecture& a = m.network.architecture();
  DRIFTLAB_CHECK(m.network.numLayers() > 0, "model: the network is empty");
  DRIFTLAB_CHECK(a == m.scenario.params.arch, "model: network architecture " + archText(a) +
                                                  " does not match the scenario's " + archText(m.scenario.params.arch));
  for (float f : m.network.parameters())
    DRIFTLAB_CHECK(std::isfinite(f), "model: the network has non-finite weights; refusing to save it");
  GenJson head;
  head["format"] = kModelFormat;
  head["version"] = kModelVersion;
  head["step"] = m.step;
  head["architecture"] = GenJson{{"latent", a.input_dim},
                                 {"widths", a.hidden},
                                 {"output_dim", a.output_dim},
                                 {"activation", activationName(a.activation)},
                                 {"parameter_count", a.parameterCount()}};
  head["checksum"] = "fnv1a64:" + contentChecksum(m.network, m.scenario, m.step);
  head["scenario"] = detail::generatorScenarioToJsonValue(m.scenario);
  std::string text = head.dump(2);
  // splice "layers" in before the closing brace
  const std::size_t close = text.rfind('}');
  std::string layers = ",\n  \"layers\": [";
  for (int l = 0; l < m.network.numLayers(); ++l) {
    const auto w = m.network.weight(l);
    const auto b = m.network.bias(l);
    layers += l ? ",\n    {" : "\n    {";
    layers += "\"rows\": " + std::to_string(w.rows()) + ", \"cols\": " + std::to_string(w.cols()) + ",\n     \"weight\": ";
    appendFloats(layers, w.data(), static_cast<long>(w.size()));
    layers += ",\n     \"bias\": ";
    appendFloats(layers, b.data(), static_cast<long>(b.size()));
    layers += "}";
  }
  layers += "\n  ]\n}\n";
  // the dump ends "...\n}": replace that ending by the layers and a new closing brace
  text.erase(close > 0 && text[close - 1] == '\n' ? close - 1 : close);
  return text + layers;
}

GeneratorModel modelFromJson(std::string_view text, const std::string& source_name) {
  const std::string& src = source_name;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    detail::throwInvalidArgument(src + ": empty model file");
  GenJson j = detail::parseJsonText(text, src, "not a complete model file (truncated or corrupt JSON)");
  try {
    if (!j.is_object() || !j.contains("format") || !j["format"].is_string() || j["format"] != kModelFormat)
      detail::throwInvalidArgument("not a driftlab generator model (expected \"format\": \"" + std::string(kModelFormat) + "\")");
    if (!j.contains("version") || !j["version"].is_number_integer())
      detail::throwInvalidArgument("version: missing or not an integer");
    const long long version = j["version"].get<long long>();
    if (version != kModelVersion && version != 1)
      detail::throwInvalidArgument("version: this driftlab reads model versions 1 and " + std::to_string(kModelVersion) +
                                   " (the file has version " + std::to_string(version) + ")");
    for (const char* k : {"step", "architecture", "checksum", "scenario", "layers"})
      if (!j.contains(k)) detail::throwInvalidArgument(std::string("missing field '") + k + "'");
    for (const auto& item : j.items()) {
      static const char* known[] = {"format", "version", "step", "architecture", "checksum", "scenario", "layers"};
      bool ok = false;
      for (const char* k : known) ok = ok || item.key() == k;
      if (!ok) detail::throwInvalidArgument("unknown field '" + item.key() + "'");
    }
    if (!j["step"].is_number_integer() || j["step"].get<long long>() < 0)
      detail::throwInvalidArgument("step: expected a non-negative integer (got " + detail::shortDump(j["step"]) + ")");

    GeneratorModel m;
    m.step = j["step"].get<long>();
    m.scenario = detail::generatorScenarioFromJsonValue(j["scenario"], "scenario");
    const MlpArchitecture& arch = m.scenario.params.arch;

    // the architecture block must agree with the scenario's network
    const GenJson& a = j["architecture"];
    MlpArchitecture file_arch;
    try {
      if (!a.is_object()) detail::throwInvalidArgument("expected an object");
      file_arch.input_dim = a.at("latent").get<int>();
      file_arch.hidden = a.at("widths").get<std::vector<int>>();
      file_arch.output_dim = a.at("output_dim").get<int>();
      file_arch.activation = parseActivation(a.at("activation").get<std::string>());
    } catch (const GenJson::exception&) {
      detail::throwInvalidArgument("architecture: expected latent, widths, output_dim and activation");
    } catch (const InvalidArgument& e) {
      detail::throwInvalidArgument(std::string("architecture: ") + e.what());
    }
    if (!(file_arch == arch))
      detail::throwInvalidArgument("architecture " + archText(file_arch) + " does not match the scenario's generator " +
                                   archText(arch));

    Mlp net;
    net.initShape(arch);
    const GenJson& layers = j["layers"];
    if (!layers.is_array() || static_cast<int>(layers.size()) != net.numLayers())
      detail::throwInvalidArgument("layers: expected " + std::to_string(net.numLayers()) + " layers for " +
                                   archText(arch) + " (got " + (layers.is_array() ? std::to_string(layers.size()) : "no array") + ")");
    for (int l = 0; l < net.numLayers(); ++l) {
      const GenJson& L = layers[l];
      const std::string field = "layers[" + std::to_string(l) + "]";
      auto w = net.weight(l);
      auto b = net.bias(l);
      if (!L.is_object() || !L.contains("weight") || !L.contains("bias") || !L.contains("rows") || !L.contains("cols"))
        detail::throwInvalidArgument(field + ": expected rows, cols, weight and bias");
      if (!L["rows"].is_number_integer() || !L["cols"].is_number_integer() || L["rows"].get<long long>() != w.rows() ||
          L["cols"].get<long long>() != w.cols())
        detail::throwInvalidArgument(field + ": shape " + detail::shortDump(L["rows"]) + " x " + detail::shortDump(L["cols"]) +
                                     " does not match the architecture's " + std::to_string(w.rows()) + " x " +
                                     std::to_string(w.cols()));
      readFloats(L["weight"], w.data(), static_cast<long>(w.size()), field + ".weight");
      readFloats(L["bias"], b.data(), static_cast<long>(b.size()), field + ".bias");
    }
    if (!j["checksum"].is_string()) detail::throwInvalidArgument("checksum: expected a string");
    const std::string want = j["checksum"].get<std::string>();
    const std::string got = "fnv1a64:" + (version == 1 ? weightsChecksum(net) : contentChecksum(net, m.scenario, m.step));
    if (want != got)
      detail::throwInvalidArgument("checksum mismatch (file says " + want + ", the contents give " + got +
                                   "): the file was edited or is corrupt");
    m.network = std::move(net);
    return m;
  } catch (const InvalidArgument& e) {
    detail::throwInvalidArgument(src + ": " + e.what());
  }
}

void saveModel(const std::string& path, const GeneratorModel& m) {
  writeFileAtomically(path, modelToJson(m), "model file");
}

GeneratorModel loadModel(const std::string& path) {
  return modelFromJson(readTextFile(path, "model file", kMaxModelBytes), path);
}

GeneratorModel modelFromEngine(const GeneratorEngine& engine, const GeneratorScenario& base) {
  GeneratorModel m;
  m.scenario = base;
  m.scenario.params = engine.params();
  m.network = engine.samplingNetwork();  // what `generate` should reproduce: the average when ema > 0
  m.step = engine.stepIndex();
  return m;
}

}  // namespace driftlab
