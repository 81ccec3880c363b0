// driftlab-cli run: a headless run of a scenario file or preset. Steps the FlowEngine, computes
// metrics at step 0, every K steps and at the end, prints a compact table, writes the metrics
// CSV (columns metricsColumns()) and the final particles. Output files are written only after
// the run succeeded, each through a temporary file and a rename. Ctrl-C or SIGTERM stops the run
// between steps: the metrics gathered so far are written, --final and --save-scenario are not,
// and the exit code is 128 + the signal (interrupt.hpp). With --fork-at STEP a second run B starts
// from A's state at STEP with the --set-b settings and runs to the same last step: its table
// follows A's, the CSV gets a "run" column, --final writes B next to A (run_fork.hpp). Main
// thread only.
#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdio>
#include <memory>
#include <optional>

#include "cli_util.hpp"
#include "command.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "run_fork.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/memorization.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/scenario_kind.hpp"

namespace driftlab::cli {

namespace {

struct RunArgs {
  std::string scenario, preset;
  std::vector<std::string> sets;
  std::string steps, every, seed;
  std::string fork_at;              // --fork-at STEP ("" = no B run)
  std::vector<std::string> sets_b;  // --set-b KEY=VALUE: B's changes at the fork
  std::string metrics_out, final_out, save_scenario;
  bool quiet = false;
  ProgressFlags progress;
};

Scenario resolveScenario(const RunArgs& a) {
  if (!a.scenario.empty()) requireScenarioKind(a.scenario, ScenarioKind::Flow);  // a generator file gets its command named
  Scenario s = !a.scenario.empty() ? loadScenario(a.scenario) : presetScenario(a.preset.empty() ? "default" : a.preset);
  applySettings(s, a.sets);  // in any order: init=csv before init.csv=F works
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

MetricTable runTable(long total_steps) {
  return MetricTable({{"step", 8, 'd'},
                      {"time", 10},
                      {"h", 9},
                      {"mmd2", 10},
                      {"energy", 10},
                      {"sliced_w2", 10},
                      {"kl_qp", 10},
                      {"kl_pq", 10},
                      {"chi2", 10},
                      {"modes", 6, 's'},
                      {"objective", 11, 'g', 5}},
                     total_steps);
}

// the header's word for what moves the particles
std::string stepperLabel(const FlowParams& p) {
  if (p.mode == FlowMode::Dfm) {
    char buf[120];
    std::snprintf(buf, sizeof buf, "dfm %s drift, sigma %g, %d steps to t = 1 - %g", dfmDriftKindName(p.dfm_drift),
                  p.dfm_sigma, p.dfm_steps, p.dfm_epsilon);
    return buf;
  }
  char buf[80];
  std::snprintf(buf, sizeof buf, "%s, step %g", integratorName(p.integrator), p.step);
  return buf;
}

// fresh data for the memorization ratio: draws of a formula dataset with another seed than the
// training set's; for the digits the images the run did not train on (all 1797 in use: none);
// nothing where there is no law to draw from again: CSV data, the analytic target, the sphere with
// a formula dataset (its data are normalized copies)
std::optional<Points> freshDataDraws(const FlowParams& p, const Points& training) {
  if (p.target != TargetKind::Samples) return std::nullopt;
  const bool unit_images = p.dataset == "digits_sphere";  // already unit vectors: kept by the sphere
  if (p.dataset == "digits" || unit_images) {
    if (!unit_images && p.geometry != GeometryKind::Euclidean) return std::nullopt;
    std::optional<Points> held = heldOutImages(p.dataset, training);
    if (!held || held->cols() == 0) return std::nullopt;
    return held;
  }
  if (p.geometry != GeometryKind::Euclidean) return std::nullopt;
  for (const auto& e : datasetCatalog()) {
    if (e.name == p.dataset)
      return sampleDataset(p.dataset, int(training.cols()), p.data_seed ^ 0x66726573682d6d65ULL).points;
  }
  return std::nullopt;
}

// inner iterations and residuals of the JKO steps of a run (THEORY.md §11.2)
struct JkoSummary {
  long steps = 0, iterations = 0;
  int most_iterations = 0;
  double last_residual = 0.0, largest_residual = 0.0;
  void add(const StepReport& r) {
    if (r.inner_iterations == 0 && r.residual == 0.0) return;
    ++steps;
    iterations += r.inner_iterations;
    most_iterations = std::max(most_iterations, r.inner_iterations);
    last_residual = r.residual;
    largest_residual = std::max(largest_residual, r.residual);
  }
};

// --fork-at / --set-b: B's scenario, checked before anything runs
struct ForkPlan {
  long at = 0;        // the step of A whose state B starts from
  Scenario b;         // A's scenario with the --set-b settings
  std::string label;  // "kernel=laplacian, divergence=chi2"
};

std::optional<ForkPlan> resolveFork(const RunArgs& a, const Scenario& s) {
  if (a.fork_at.empty()) {
    if (!a.sets_b.empty()) throw InvalidArgument("--set-b: needs --fork-at STEP (the step B starts from)");
    return std::nullopt;
  }
  ForkPlan f;
  f.at = parseInteger("--fork-at", a.fork_at, 0, s.steps);
  f.b = s;
  try {
    applySettings(f.b, a.sets_b);
  } catch (const std::exception& e) {
    throw InvalidArgument(std::string("--set-b: ") + e.what());
  }
  for (const auto& kv : a.sets_b) f.label += (f.label.empty() ? "" : ", ") + kv;
  if (f.b.steps != s.steps) throw InvalidArgument("--set-b: steps cannot differ (B runs to A's last step)");
  try {
    f.b.params.validate();
  } catch (const std::exception& e) {
    throw InvalidArgument(std::string("--set-b: ") + e.what());
  }
  if (a.final_out == "-") throw InvalidArgument("--final: with --fork-at give a file (B goes next to it), not -");
  if (f.label.empty()) f.label = "no change";
  return f;
}

// one run's rows and outcome
struct Leg {
  std::vector<Metrics> rows;
  long done = 0;  // loop iterations taken (a rolled-back step counts, as in the table)
  JkoSummary jko;
  double seconds = 0.0;
  int stop_signal = 0;
};

// steps `engine` through loop iterations first + 1 .. s.steps, with the metric rows and the table
// (header included); after_step(k) runs after iteration k (and once with k = first before any)
Leg runLeg(FlowEngine& engine, const Scenario& s, const RunArgs& a, long first, const char* progress_label,
           const std::function<void(long)>& after_step) {
  MetricTable table = runTable(s.steps);
  if (!a.quiet) table.printHeader();
  ProgressLine progress(a.progress, a.quiet, progress_label, "step", s.steps);
  Leg leg;
  leg.done = first;
  const auto record = [&](bool force_print) {
    leg.rows.push_back(engine.metrics());
    const Metrics& m = leg.rows.back();
    if (!a.quiet && table.due(m.step, force_print)) {
      progress.clear();  // stdout may be the same terminal
      table.printRow(m.step, {m.step, m.time, engine.currentBandwidth(), m.mmd2, m.energy, m.sliced_w2, m.kl_qp,
                              m.kl_pq, m.chi2, modesText(m), m.objective});
    }
  };

  const auto t0 = std::chrono::steady_clock::now();
  {
    InterruptScope interrupt_scope;  // before the first row: a Ctrl-C from then on stops between steps
    record(true);
    after_step(first);
    WarningPrinter warnings;
    for (long k = first + 1; k <= s.steps && interruptSignal() == 0; ++k) {
      if (engine.needsLearnedDfmDrift()) {
        // dfm.drift learned: trained once for these data and settings (THEORY.md §12.4)
        progress.clear();
        trainLearnedDfmDriftIfNeeded(engine);
        const DfmDriftModel& m = *engine.learnedDfmDrift();
        std::fprintf(stderr, "driftlab-cli: dfm learned drift: %zu Adam steps in %.1f s, loss %.4g -> %.4g\n",
                     m.losses().size(), m.trainSeconds(), double(m.losses().front()), double(m.losses().back()));
      }
      const StepReport report = engine.step();
      leg.jko.add(report);
      const std::string& warning = report.warning;
      if (!warning.empty()) progress.clear();  // a warning line of its own, not after the progress text
      warnings.add(warning);
      leg.done = k;
      if (k % s.metrics_every == 0 || k == s.steps) record(k == s.steps);
      after_step(k);
      progress.update(k);
    }
    leg.stop_signal = interruptSignal();
    progress.clear();
    warnings.finish();
  }
  // interrupted: the metrics CSV and the table's last line end at the step where it stopped
  const long at = engine.stepIndex();  // = done unless a step was rolled back
  if (leg.stop_signal != 0 && (leg.rows.back().step != at || (!a.quiet && table.lastPrintedStep() != at))) {
    if (leg.rows.back().step == at) leg.rows.pop_back();  // recorded but not printed: record it again, printed
    record(true);
  }
  leg.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return leg;
}

// the lines after the table; `who` is "" for a plain run, "A " or "B " for a fork
void printSummary(const char* who, const FlowEngine& engine, const FlowParams& p, const Leg& leg, long first) {
  const Metrics& start = leg.rows.front();
  const Metrics& last = leg.rows.back();
  const long steps = leg.done - first;
  std::printf("%s%s: %ld steps, flow time %.4g, %.2f s with metrics (%.0f steps/s); energy %.4g -> %.4g (%.1fx lower)",
              who, leg.stop_signal != 0 ? "interrupted" : "done", steps, last.time, leg.seconds,
              leg.seconds > 0 ? steps / leg.seconds : 0.0, start.energy, last.energy,
              last.energy > 0 ? start.energy / last.energy : 0.0);
  if (last.modes_covered >= 0) std::printf("; modes %s -> %s", modesText(start).c_str(), modesText(last).c_str());
  std::printf("\n");
  if (p.mode == FlowMode::Drifting && p.integrator == Integrator::Jko && leg.jko.steps > 0) {
    std::printf("%sjko: %.1f inner iterations per step (most %d); stationarity residual %.3g at the last step, "
                "%.3g at most\n", who, double(leg.jko.iterations) / double(leg.jko.steps), leg.jko.most_iterations,
                leg.jko.last_residual, leg.jko.largest_residual);
  }
  // copies of training points, or new points of the same law? (THEORY.md §8.6); a run stopped
  // by a signal ends at once, with its summary as the last line
  const std::optional<Points> fresh =
      leg.stop_signal == 0 ? freshDataDraws(p, engine.data()) : std::nullopt;
  if (p.mode == FlowMode::Dfm) {
    std::printf("%sdfm: t = %.4g of %.4g; %.1f %% of the samples within 0.01 of a training point", who,
                engine.dfmTime(), 1.0 - p.dfm_epsilon, 100.0 * fractionNearData(engine.particles(), engine.data(), 0.01));
    if (fresh) std::printf(" (fresh data: %.1f %%)", 100.0 * fractionNearData(*fresh, engine.data(), 0.01));
    std::printf("\n");
  }
  if (fresh) {
    const MemorizationRatio m = memorizationRatio(engine.particles(), engine.data(), *fresh);
    std::printf("%smemorization: median distance to the nearest training point %.3g, of fresh data %.3g "
                "(ratio %.3g; about 1 for new points, near 0 for copies)\n",
                who, m.sample_median, m.fresh_median, m.ratio);
  } else if (leg.stop_signal == 0 && p.target == TargetKind::Samples &&
             (p.dataset == "digits" || p.dataset == "digits_sphere") && engine.data().cols() >= 1797) {
    std::printf("%smemorization: no held-out images to compare with (the data use all 1797; samples below "
                "1797 leave the rest out)\n", who);
  }
  std::fflush(stdout);
}

void printHeaderLine(const char* who, const Scenario& s, const FlowEngine& engine) {
  const FlowParams& p = engine.params();
  std::printf("%sdriftlab-cli run: %s | %s, N = %ld, M = %ld | %s | %s kernel, bandwidth %s h = %.4g | %s | %ld steps\n",
              who, s.name.c_str(), p.dataset == "csv" ? p.data_csv.c_str() : p.dataset.c_str(),
              static_cast<long>(engine.particles().cols()), static_cast<long>(engine.data().cols()),
              p.weights.label().c_str(), kernelName(p.kernel.kind), bandwidthRuleName(p.bandwidth.rule),
              engine.currentBandwidth(), stepperLabel(p).c_str(), s.steps);
  const std::string path_note = computePathNote(p.path, static_cast<int>(engine.data().rows()));
  if (!path_note.empty()) std::fprintf(stderr, "%sdriftlab-cli run: %s\n", who, path_note.c_str());
}

// A as a plain run; with --fork-at, B from A's state at that step with the --set-b settings, to
// the same last step (fork and rewind: FlowEngine::capture / restore, THEORY.md §6.6)
void runRun(const RunArgs& a) {
  checkOutputOption("--metrics", a.metrics_out);
  checkOutputOption("--final", a.final_out);
  checkOutputOption("--save-scenario", a.save_scenario);
  const Scenario s = resolveScenario(a);
  const FlowParams& p = s.params;
  const std::optional<ForkPlan> fork = resolveFork(a, s);
  if (fork && !a.final_out.empty()) checkOutputOption("--final", forkOutputPath(a.final_out));

  // the engine reads the data and init CSV files: their errors name the scenario file as well
  FlowEngine engine = [&]() -> FlowEngine {
    try {
      return FlowEngine(p);
    } catch (const std::exception& e) {
      if (a.scenario.empty()) throw;
      throw InvalidArgument(a.scenario + ": " + e.what());
    }
  }();
  const char* who_a = fork ? "A " : "";
  if (!a.quiet) printHeaderLine(who_a, s, engine);
  std::optional<FlowState> fork_state;
  const Leg leg_a = runLeg(engine, s, a, 0, "run", [&](long k) {
    if (fork && k == fork->at) fork_state = engine.capture();
  });
  if (!a.quiet) printSummary(who_a, engine, p, leg_a, 0);

  if (leg_a.stop_signal != 0) {
    if (!a.metrics_out.empty()) {
      if (fork) writeOutput(a.metrics_out, forkMetricsCsv(leg_a.rows, {}));
      else writeMetricsCsv(a.metrics_out, leg_a.rows);
    }
    reportInterrupted("run", leg_a.done, s.steps, a.metrics_out, {{"--final", a.final_out}, {"--save-scenario", a.save_scenario}});
    throw Interrupted{128 + leg_a.stop_signal};
  }
  if (!fork) {
    // outputs, only now that the run has succeeded
    if (!a.metrics_out.empty()) writeMetricsCsv(a.metrics_out, leg_a.rows);
    if (!a.final_out.empty()) writePointsOutput(a.final_out, engine.particles(), coordinateNames(engine.dim()));
    if (!a.save_scenario.empty()) writeOutput(a.save_scenario, scenarioToJson(s));
    return;
  }

  // B: A's state at the fork, then the changed settings (as a live change would make them)
  FlowEngine b(*fork_state);
  try {
    b.setParams(fork->b.params);
  } catch (const std::exception& e) {
    throw InvalidArgument(std::string("--set-b: ") + e.what());
  }
  if (!a.quiet) {
    std::printf("\nB from A's state at step %ld with %s\n", fork->at, fork->label.c_str());
    printHeaderLine("B ", fork->b, b);
  }
  const Leg leg_b = runLeg(b, fork->b, a, fork->at, "run B", [](long) {});
  if (!a.quiet) printSummary("B ", b, fork->b.params, leg_b, fork->at);

  if (!a.metrics_out.empty()) writeOutput(a.metrics_out, forkMetricsCsv(leg_a.rows, leg_b.rows));
  if (leg_b.stop_signal != 0) {
    reportInterrupted("run", leg_b.done, s.steps, a.metrics_out, {{"--final", a.final_out}, {"--save-scenario", a.save_scenario}});
    throw Interrupted{128 + leg_b.stop_signal};
  }
  if (!a.final_out.empty()) {
    writePointsOutput(a.final_out, engine.particles(), coordinateNames(engine.dim()));
    writePointsOutput(forkOutputPath(a.final_out), b.particles(), coordinateNames(b.dim()));
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
  sub->add_option("--final", a->final_out, "write the final particles here: CSV, or .npy (float64) by the extension")->type_name("OUT.csv");
  sub->add_option("--seed", a->seed, "seed S: data seed S, init seed S + 1")->type_name("S");
  sub->add_option("--save-scenario", a->save_scenario, "write the resolved scenario (after --set etc.) as JSON")->type_name("OUT.json");
  sub->add_option("--fork-at", a->fork_at, "also run B from A's state at this step to the same end (A/B; README 'Fork and rewind')")->type_name("STEP");
  sub->add_option("--set-b", a->sets_b, "B's change at the fork, key=value as for --set (repeatable; needs --fork-at)")->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  sub->add_flag("--quiet", a->quiet, "no table on stdout (warnings and errors still go to stderr)");
  addProgressFlags(sub, a->progress);
  sub->callback([a] { runRun(*a); });
});

}  // namespace

}  // namespace driftlab::cli
