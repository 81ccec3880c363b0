// driftlab-cli compare [--dataset NAME] [--n N] [--seed S] [--out F.csv] [...]: the drifting
// particle flow, JKO, DFM (oracle and learned drift) and the drifting generator on one target,
// as energy distance to fresh data against field evaluations (THEORY.md §12.5). Prints one
// table (mode, evaluations, energy, x floor, seconds) and writes every point as CSV.
// Main thread only.
#include <cstdio>
#include <memory>
#include <string>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/run/mode_comparison.hpp"

namespace driftlab::cli {

namespace {

struct CompareArgs {
  std::string dataset = "eight_gaussians";
  std::string n = "512";
  std::string seed = "1";
  std::string flow_steps = "300";
  std::string jko_steps = "20";
  std::string jko_step = "0.01";
  std::string dfm_train_steps = "3000";
  std::string generator_steps = "1000";
  std::string out;
};

void runCompare(const CompareArgs& a) {
  checkOutputOption("--out", a.out);
  if (!isDatasetName(a.dataset)) throw InvalidArgument("--dataset: unknown '" + a.dataset + "' (see 'driftlab-cli datasets')");
  ComparisonOptions o;
  o.dataset = a.dataset;
  o.samples = int(parseInteger("--n", a.n, 16, 100000));
  o.seed = parseSeed("--seed", a.seed);
  o.flow_steps = long(parseInteger("--flow-steps", a.flow_steps, 1, 1000000));
  o.jko_steps = long(parseInteger("--jko-steps", a.jko_steps, 1, 100000));
  o.jko_step = parseDouble("--jko-step", a.jko_step);
  if (!(o.jko_step > 0.0)) throw InvalidArgument("--jko-step: must be > 0 (got " + a.jko_step + ")");
  o.dfm_train_steps = long(parseInteger("--dfm-train-steps", a.dfm_train_steps, 0, 1000000));
  o.generator_steps = long(parseInteger("--generator-steps", a.generator_steps, 0, 1000000));
  std::string last_stage;
  const Comparison c = compareModes(o, [&](double done, const std::string& stage) {
    if (stage == last_stage) return;
    last_stage = stage;
    std::fprintf(stderr, "compare: %3.0f %%  %s\n", 100.0 * done, stage.c_str());
  });
  std::printf("%-12s %12s %12s %9s %9s\n", "mode", "evaluations", "energy", "x floor", "seconds");
  for (const ComparisonCurve& curve : c.curves) {
    for (std::size_t k = 0; k < curve.evaluations.size(); ++k)
      std::printf("%-12s %12.0f %12.5g %9.2f %9.2f\n", curve.mode.c_str(), curve.evaluations[k], curve.energy[k],
                  curve.energy[k] / c.floor, curve.seconds);
  }
  std::printf("floor (two fresh data sets of %d points): %.5g\n", c.samples, c.floor);
  for (const ComparisonCurve& curve : c.curves) std::printf("%s: %s\n", curve.mode.c_str(), curve.note.c_str());
  if (!a.out.empty()) writeOutput(a.out, comparisonCsv(c));
  checkStdout();
}

const CommandRegistration kCompare("compare", [](CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CLI::App* sub = app.add_subcommand(
      "compare", "Drifting, JKO, DFM (oracle and learned) and the generator on one target: energy distance to fresh "
                 "data against field evaluations");
  sub->add_option("--dataset", args->dataset, "2-D dataset (default eight_gaussians)")->type_name("NAME");
  sub->add_option("--n", args->n, "particles = data points = samples (default 512)")->type_name("N");
  sub->add_option("--seed", args->seed, "data and particle seed (default 1)")->type_name("S");
  sub->add_option("--flow-steps", args->flow_steps, "explicit Euler steps of the particle flow (default 300)")->type_name("K");
  sub->add_option("--jko-steps", args->jko_steps, "JKO outer steps (default 20)")->type_name("K");
  sub->add_option("--jko-step", args->jko_step, "JKO tau (default 0.01, the flow's eta)")->type_name("TAU");
  sub->add_option("--dfm-train-steps", args->dfm_train_steps, "Adam steps of the learned DFM drift; 0 = skip it (default 3000)")
      ->type_name("K");
  sub->add_option("--generator-steps", args->generator_steps, "generator training steps; 0 = skip it (default 1000)")
      ->type_name("K");
  sub->add_option("--out", args->out, "write every point as CSV: mode,evaluations,energy,floor,seconds")->type_name("F.csv");
  sub->callback([args] { runCompare(*args); });
});

}  // namespace

}  // namespace driftlab::cli
