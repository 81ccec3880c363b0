// driftlab-cli presets | datasets | inits | kernels | divergences | params: what exists, one per
// line with a short description. Main thread only.
#include <cstdio>
#include <memory>
#include <string>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/field/divergence.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"

namespace driftlab::cli {

namespace {

// one line per base field (THEORY.md §4.2, §4.4, §4.6, §5.2, §5.3, §5.5), plus the "mixed" shorthand
std::vector<NamedDescription> divergenceCatalog() {
  std::vector<NamedDescription> out;
  for (int i = 0; i < kNumDivergences; ++i) {
    const DivergenceInfo& row = divergenceInfo(static_cast<Divergence>(i));
    out.push_back({row.name, row.summary});
  }
  out.push_back({"mixed",
                 "reverse_kl = 1 + chi2 = 0.5, the paper's anti-collapse/anti-blur mixture (THEORY.md §5.5)"});
  return out;
}

void addListCommand(CLI::App& app, const std::string& name, const std::string& help,
                    std::vector<NamedDescription> (*catalog)()) {
  CLI::App* sub = app.add_subcommand(name, help);
  sub->callback([catalog] {
    const std::string text = formatCatalog(catalog());
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

const CommandRegistration kPresets("presets", [](CLI::App& app) {
  addListCommand(app, "presets", "List the built-in scenario presets (use with run --preset NAME)", presetCatalog);
});
const CommandRegistration kDatasets("datasets", [](CLI::App& app) {
  // the toy datasets, then the real ones read from Debian packages (digits: python3-sklearn)
  addListCommand(app, "datasets", "List the built-in datasets (use with sample --dataset NAME or --set dataset=NAME)",
                 [] {
                   std::vector<NamedDescription> all = datasetCatalog();
                   for (auto& e : realDatasetCatalog()) all.push_back(std::move(e));
                   return all;
                 });
});
const CommandRegistration kInits("inits", [](CLI::App& app) {
  addListCommand(app, "inits", "List the initial particle layouts (use with --set init=NAME)", initCatalog);
});
const CommandRegistration kKernels("kernels", [](CLI::App& app) {
  addListCommand(app, "kernels", "List the kernels (use with field --kernel NAME or --set kernel=NAME)", kernelCatalog);
});
const CommandRegistration kDivergences("divergences", [](CLI::App& app) {
  addListCommand(app, "divergences", "List the velocity fields (use with --divergence NAME or --weights name=w,...)",
                 divergenceCatalog);
});

// every settable key from the parameter table: the particle-flow keys (shared, particle-only and
// run-level), or with --generator the keys a generator scenario takes beyond the shared ones
const CommandRegistration kParams("params", [](CLI::App& app) {
  auto generator = std::make_shared<bool>(false);
  CLI::App* sub = app.add_subcommand(
      "params", "List every setting: key (--set key=value), modes, type, range, default, live or restart, help");
  sub->add_flag("--generator", *generator, "the generator's own settings (train --set, generator scenarios)");
  sub->callback([generator] {
    std::string text = "# key | modes | type | range | default | live | help\n";
    for (const ParamInfo& p : *generator ? generatorParamInfos() : flowParamInfos()) {
      text += p.key + " | " + paramModeName(p.mode) + " | " + p.type + " | " + (p.range.empty() ? "any" : p.range) +
              " | " + (p.default_value.empty() ? "\"\"" : p.default_value) + (p.unit.empty() ? "" : " " + p.unit) +
              " | " + (p.live ? "live" : "restart") + " | " + p.help + "\n";
    }
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) throw InvalidArgument("params: cannot write to stdout");
  });
});

}  // namespace

}  // namespace driftlab::cli
