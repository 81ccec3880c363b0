// The generator-only half of the parameter table (param_table.hpp): the network, optimizer and
// batch settings in the "generator" object of a generator scenario. The field's settings (data,
// kernel, bandwidth, divergence, compute path, ...) are the shared rows of the flow table.
// Ranges here are descriptions; GeneratorParams::validate checks them. Any thread.
#include "generator/generator_param_spec.hpp"

namespace driftlab::detail {

namespace {

std::vector<int> readWidths(const Json& v, const std::string& field) {
  if (!v.is_array()) failField(field, "expected an array of integers (got " + shortDump(v) + ")");
  std::vector<int> out;
  for (const auto& e : v) out.push_back(static_cast<int>(readInteger(e, field, 1, 8192)));
  return out;
}

using P = GeneratorParams;

#define DL_GEN_WRITE(m) DL_ROW_WRITE(P, m)
#define DL_GEN_NUMBER(m) DL_ROW_NUMBER(P, m)
#define DL_GEN_SEED(m) DL_ROW_SEED(P, m)
#define DL_GEN_INT(m, lo, hi) DL_ROW_INT(P, m, lo, hi)
#define DL_GEN_NUMBERS(m) DL_ROW_NUMBERS(P, m, false)
#define DL_GEN_WIDTHS(m) DL_ROW(P, m, readWidths(v, f))
#define DL_GEN_CHOICE(m, Enum, Count, NameOf) DL_ROW_CHOICE(P, m, Enum, Count, NameOf)

}  // namespace

// clang-format off
const std::vector<GeneratorParamSpec>& generatorParamSpecs() {
  static const std::vector<GeneratorParamSpec> table = {
    // key, scenario path, type, unit, marker label, help, live, mode, range, lo, hi, read/write
    {"latent", "generator.latent", "integer", "dimensions", "latent",
     "Dimension of the latent noise z fed to the network. Changing it re-initializes the network.",
     false, ParamMode::Generator, Range::Between, 1, 8192, DL_GEN_INT(arch.input_dim, 1, 8192)},
    {"widths", "generator.widths", "integers", "units", "widths",
     "Hidden-layer widths of the MLP, comma separated (the DM toy: 256,256,256). Changing them re-initializes the network.",
     false, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_WIDTHS(arch.hidden)},
    {"output_dim", "generator.output_dim", "integer", "dimensions", "output dim",
     "Dimension of the generated samples (2 for the built-in datasets). Changing it re-initializes the network.",
     false, ParamMode::Generator, Range::Between, 1, 8192, DL_GEN_INT(arch.output_dim, 1, 8192)},
    {"activation", "generator.activation", "choice", "", "activation",
     "Hidden-layer activation. Changing it re-initializes the network.",
     false, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_CHOICE(arch.activation, Activation, 3, activationName)},
    {"network_init", "generator.network_init", "choice", "", "network init",
     "default: He/Xavier initialization; collapsed: every sample starts within ~init_scale of init_center (DM's collapsed start, THEORY.md §9.2). Re-initializes the network.",
     false, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_CHOICE(network_init, NetworkInit, 2, networkInitName)},
    {"init_scale", "generator.init_scale", "number", "", "init scale",
     "Collapsed start: scale of the output layer's weights (0 < s <= 1000). Re-initializes the network.",
     false, ParamMode::Generator, Range::Between, 0, 1000, DL_GEN_NUMBER(init_scale)},
    {"init_center", "generator.init_center", "numbers", "position units", "init center",
     "Collapsed start: where the samples begin, one value per output dimension. Re-initializes the network.",
     false, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_NUMBERS(init_center)},
    {"network_seed", "generator.network_seed", "seed", "", "network seed",
     "Seed of the network's initial weights. Re-initializes the network.",
     false, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_SEED(network_seed)},
    {"lr", "generator.lr", "number", "", "lr",
     "Adam learning rate (THEORY.md §7.5: 1e-3 for the DM toys). Halved automatically after a non-finite step.",
     true, ParamMode::Generator, Range::Positive, 0, 0, DL_GEN_NUMBER(adam.lr)},
    {"beta1", "generator.beta1", "number", "", "beta1",
     "Adam's first-moment decay (usual 0.9).",
     true, ParamMode::Generator, Range::Between, 0, 1, DL_GEN_NUMBER(adam.beta1)},
    {"beta2", "generator.beta2", "number", "", "beta2",
     "Adam's second-moment decay (usual 0.999).",
     true, ParamMode::Generator, Range::Between, 0, 1, DL_GEN_NUMBER(adam.beta2)},
    {"adam_eps", "generator.adam_eps", "number", "", "adam eps",
     "Adam's epsilon in the denominator (usual 1e-8).",
     true, ParamMode::Generator, Range::Positive, 0, 0, DL_GEN_NUMBER(adam.eps)},
    {"batch", "generator.batch", "integer", "samples", "batch",
     "Generated samples per training step (N, the negatives).",
     true, ParamMode::Generator, Range::Between, 2, 65536, DL_GEN_INT(batch, 2, 65536)},
    {"data_batch", "generator.data_batch", "integer", "samples", "data batch",
     "Fresh data samples per training step (M, the positives).",
     true, ParamMode::Generator, Range::Between, 1, 65536, DL_GEN_INT(data_batch, 1, 65536)},
    {"eta", "generator.eta", "number", "flow time", "eta",
     "Drift step in the stop-gradient target x + eta v (0 < eta <= 1e6); Adam is scale-free in it.",
     true, ParamMode::Generator, Range::Positive, 0, 0, DL_GEN_NUMBER(eta)},
    {"noise_seed", "generator.noise_seed", "seed", "", "noise seed",
     "Seed of the latent noise of the training batches.",
     true, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_SEED(noise_seed)},
    {"sample_count", "generator.sample_count", "integer", "samples", "sample count",
     "Size of the fixed noise batch shown and measured.",
     true, ParamMode::Generator, Range::Between, 1, 262144, DL_GEN_INT(sample_count, 1, 262144)},
    {"sample_seed", "generator.sample_seed", "seed", "", "sample seed",
     "Seed of the fixed noise batch shown and measured.",
     true, ParamMode::Generator, Range::Any, 0, 0, DL_GEN_SEED(sample_seed)},
    {"ema", "generator.ema", "number", "", "ema",
     "Weight average read out for samples, metrics and saved models; 0 = off, < 1. Training never sees it.",
     true, ParamMode::Generator, Range::Between, 0, 1, DL_GEN_NUMBER(ema)},
  };
  return table;
}
// clang-format on

const GeneratorParamSpec* findGeneratorParamSpec(const std::string& key_or_path) {
  for (const auto& spec : generatorParamSpecs()) {
    if (key_or_path == spec.key || key_or_path == spec.json_path) return &spec;
  }
  return nullptr;
}

}  // namespace driftlab::detail

namespace driftlab {

const std::vector<ParamInfo>& generatorParamInfos() {
  static const std::vector<ParamInfo> infos = [] {
    std::vector<ParamInfo> out;
    const GeneratorParams defaults;
    for (const auto& spec : detail::generatorParamSpecs()) out.push_back(detail::describeParam(spec, defaults));
    return out;
  }();
  return infos;
}

}  // namespace driftlab
