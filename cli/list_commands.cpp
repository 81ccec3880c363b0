// driftlab-cli presets | datasets | inits | kernels | divergences: what exists, one per line with
// a short description. Main thread only.
#include <cstdio>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/datasets.hpp"
#include "driftlab/divergence.hpp"
#include "driftlab/kernel.hpp"
#include "driftlab/scenario.hpp"

namespace driftlab::cli {

namespace {

// one line per base field (MATH.md §1.3, §3.2, §3.3, §3.5, §7.3), plus the "mixed" shorthand
std::vector<NamedDescription> divergenceCatalog() {
  const char* what[kNumDivergences] = {
      "Drifting Model mean shift V = V+ - V-, single normalization (MATH.md §1.3)",
      "Drifting Model Algorithm 2 double normalization (MATH.md §1.3)",
      "KL(q||p), weight 1: v = grad log p_hat - grad log q_hat (mode-seeking)",
      "KL(p||q), weight p_hat/q_hat (mass-covering)",
      "chi2(q||p), weight 2 q_hat/p_hat (or q_hat/p_hat with chi2_convention half, MATH.md §9)",
      "chi2(p||q), weight 2 (p_hat/q_hat)^2",
      "squared Hellinger, weight 0.5 (p_hat/q_hat)^(1/2)",
      "Jensen-Shannon, weight 0.5 p_hat/(p_hat + q_hat)",
      "alpha-divergence, weight rho^(alpha-1), rho = q_hat/p_hat (set alpha)",
      "MMD flow with the unnormalized kernel (MATH.md §3.3)",
      "Sinkhorn drift T_qp(x) - T_qq(x), Gaussian cost, eps = h^2 (MATH.md §7.3)",
  };
  std::vector<NamedDescription> out;
  for (int i = 0; i < kNumDivergences; ++i) out.push_back({divergenceName(static_cast<Divergence>(i)), what[i]});
  out.push_back({"mixed", "reverse_kl = 1 + chi2 = 0.5, the paper's anti-collapse/anti-blur mixture (MATH.md §3.5)"});
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
  addListCommand(app, "datasets", "List the built-in datasets (use with sample --dataset NAME or --set dataset=NAME)",
                 datasetCatalog);
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

}  // namespace

}  // namespace driftlab::cli
