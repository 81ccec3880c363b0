// driftlab-cli run: a headless run of a scenario file or preset. Steps the FlowEngine, computes
// metrics at step 0, every K steps and at the end, prints a compact table, writes the metrics
// CSV (columns metricsColumns()) and the final particles. Output files are written only after
// the run succeeded, each through a temporary file and a rename. Main thread only.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/scenario.hpp"

namespace driftlab::cli {

namespace {

constexpr int kMaxWarningsShown = 10;

struct RunArgs {
  std::string scenario, preset;
  std::vector<std::string> sets;
  std::string steps, every, seed;
  std::string metrics_out, final_out, save_scenario;
  bool quiet = false;
};

// refuse an output path whose directory does not exist before spending time on the run
void checkOutputPath(const char* option, const std::string& path) {
  if (path.empty() || path == "-") return;
  const std::filesystem::path p(path);
  const auto dir = p.parent_path();
  std::error_code ec;
  if (!dir.empty() && !std::filesystem::is_directory(dir, ec)) {
    throw InvalidArgument(std::string(option) + ": directory '" + dir.string() + "' does not exist");
  }
  if (std::filesystem::is_directory(p, ec)) throw InvalidArgument(std::string(option) + ": '" + path + "' is a directory");
}

Scenario resolveScenario(const RunArgs& a) {
  Scenario s = !a.scenario.empty() ? loadScenario(a.scenario) : presetScenario(a.preset.empty() ? "default" : a.preset);
  for (const auto& kv : a.sets) applySetting(s, kv);
  if (!a.seed.empty()) {
    const std::uint64_t seed = parseSeed("--seed", a.seed);
    s.params.data_seed = seed;  // same rule as the "seed" setting
    s.params.init_seed = seed + 1;
  }
  if (!a.steps.empty()) s.steps = parseInteger("--steps", a.steps, 0, 1'000'000'000);
  if (!a.every.empty()) s.metrics_every = static_cast<int>(parseInteger("--every", a.every, 1, 1'000'000'000));
  s.params.validate();
  return s;
}

std::string modesText(const Metrics& m) {
  return m.modes_covered < 0 ? std::string("-") : std::to_string(m.modes_covered) + "/" + std::to_string(m.modes_total);
}

void printHeader() {
  std::printf("%8s %10s %9s %10s %10s %10s %10s %10s %10s %6s %11s\n", "step", "time", "h", "mmd2", "energy",
              "sliced_w2", "kl_qp", "kl_pq", "chi2", "modes", "objective");
}

void printRow(const Metrics& m, double h) {
  std::printf("%8ld %10.4g %9.4g %10.4g %10.4g %10.4g %10.4g %10.4g %10.4g %6s %11.5g\n", m.step, m.time, h, m.mmd2,
              m.energy, m.sliced_w2, m.kl_qp, m.kl_pq, m.chi2, modesText(m).c_str(), m.objective);
}

void runRun(const RunArgs& a) {
  checkOutputPath("--metrics", a.metrics_out);
  checkOutputPath("--final", a.final_out);
  checkOutputPath("--save-scenario", a.save_scenario);
  const Scenario s = resolveScenario(a);
  const FlowParams& p = s.params;

  FlowEngine engine(p);
  if (!a.quiet) {
    std::printf("driftlab-cli run: %s | %s, N = %ld, M = %ld | %s | %s kernel, bandwidth %s h = %.4g | %s, step %g | %ld steps\n",
                s.name.c_str(), p.dataset == "csv" ? p.data_csv.c_str() : p.dataset.c_str(),
                static_cast<long>(engine.particles().cols()), static_cast<long>(engine.data().cols()),
                p.weights.label().c_str(), kernelName(p.kernel.kind), bandwidthRuleName(p.bandwidth.rule),
                engine.currentBandwidth(), integratorName(p.integrator), p.step, s.steps);
    printHeader();
  }

  // rows of the table: the first, the last, and one each time the step crosses a 10% mark
  std::vector<Metrics> rows;
  long last_printed = -1;
  const auto record = [&](bool force_print) {
    rows.push_back(engine.metrics());
    const Metrics& m = rows.back();
    const long decile = s.steps > 0 ? m.step * 10 / s.steps : 0;
    const long printed_decile = last_printed < 0 ? -1 : (s.steps > 0 ? last_printed * 10 / s.steps : 0);
    if (!a.quiet && (force_print || decile > printed_decile)) {
      printRow(m, engine.currentBandwidth());
      last_printed = m.step;
    }
  };

  const auto t0 = std::chrono::steady_clock::now();
  record(true);
  int warnings = 0;
  for (long k = 1; k <= s.steps; ++k) {
    const StepReport rep = engine.step();
    if (!rep.warning.empty() && warnings++ < kMaxWarningsShown) {
      std::fprintf(stderr, "driftlab-cli: warning: %s\n", rep.warning.c_str());
    }
    if (k % s.metrics_every == 0 || k == s.steps) record(k == s.steps);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (warnings > kMaxWarningsShown) {
    std::fprintf(stderr, "driftlab-cli: warning: %d more warnings not shown\n", warnings - kMaxWarningsShown);
  }

  if (!a.quiet) {
    const Metrics& first = rows.front();
    const Metrics& last = rows.back();
    std::printf("done: %ld steps, flow time %.4g, %.2f s with metrics (%.0f steps/s); energy %.4g -> %.4g (%.1fx lower)",
                s.steps, last.time, seconds, seconds > 0 ? s.steps / seconds : 0.0, first.energy, last.energy,
                last.energy > 0 ? first.energy / last.energy : 0.0);
    if (last.modes_covered >= 0) std::printf("; modes %s -> %s", modesText(first).c_str(), modesText(last).c_str());
    std::printf("\n");
    std::fflush(stdout);
  }

  // outputs, only now that the run has succeeded
  if (!a.metrics_out.empty()) {
    std::string text;
    for (const auto& c : metricsColumns()) text += (text.empty() ? "" : ",") + c;
    text += "\n";
    for (const auto& m : rows) text += formatMetricsRow(m) + "\n";
    writeOutput(a.metrics_out, text);
  }
  if (!a.final_out.empty()) {
    writeOutput(a.final_out, formatCsvPoints(engine.particles(), coordinateNames(engine.dim())));
  }
  if (!a.save_scenario.empty()) writeOutput(a.save_scenario, scenarioToJson(s));
}

const CommandRegistration kRun("run", [](CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand("run", "Headless run of a scenario file or preset; prints a metrics table");
  auto* sc = sub->add_option("--scenario", a->scenario, "scenario JSON file (see README 'Scenario format')")->type_name("F.json");
  auto* pr = sub->add_option("--preset", a->preset, "built-in preset (see 'driftlab-cli presets'; default: default)")->type_name("NAME");
  sc->excludes(pr);
  sub->add_option("--set", a->sets, "override one setting, key=value (repeatable; e.g. --set kernel=laplacian)")->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  sub->add_option("--steps", a->steps, "number of steps (default: the scenario's steps)")->type_name("N");
  sub->add_option("--metrics", a->metrics_out, "write the metrics CSV here")->type_name("OUT.csv");
  sub->add_option("--every", a->every, "metrics every K steps (default: the scenario's metrics_every)")->type_name("K");
  sub->add_option("--final", a->final_out, "write the final particles CSV here")->type_name("OUT.csv");
  sub->add_option("--seed", a->seed, "seed S: data seed S, init seed S + 1")->type_name("S");
  sub->add_option("--save-scenario", a->save_scenario, "write the resolved scenario (after --set etc.) as JSON")->type_name("OUT.json");
  sub->add_flag("--quiet", a->quiet, "no table on stdout (warnings and errors still go to stderr)");
  sub->callback([a] { runRun(*a); });
});

}  // namespace

}  // namespace driftlab::cli
