// driftlab-cli train / generate / gen-presets: generator training with the drifting loss
// (THEORY.md §7) and sampling from a saved model.
//   train (--scenario F | --preset NAME) [--set key=value ...] [--steps N] [--metrics out.csv]
//         [--samples out.csv --n K] [--save model.json]
//   generate --model model.json --n K [--seed S] [--out F.csv]
// Output files are written only after the run succeeded, each through a temporary file and a
// rename. Ctrl-C or SIGTERM stops training between steps: the metrics gathered so far are written,
// the samples, model and scenario are not, and the exit code is 128 + the signal (interrupt.hpp).
// Main thread only.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <memory>
#include <vector>

#include "cli_util.hpp"
#include "command.hpp"
#include "interrupt.hpp"
#include "progress.hpp"
#include "report.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/generator/scenario_kind.hpp"
#include "driftlab/base/thread_pool.hpp"

namespace driftlab::cli {

namespace {

constexpr int kQualitySamples = 2000;  // per set, for the energy-distance quality check
constexpr int kQualityRepeats = 10;
constexpr int kQualityLarge = 10000;  // per set, for the unbiased energy distance
constexpr int kQualityLargeRepeats = 4;

struct TrainArgs {
  std::string scenario, preset;
  std::vector<std::string> sets;
  std::string steps, every, seed;
  std::string metrics_out, samples_out, n = "2048", save, save_scenario;
  bool quiet = false;
  bool bench = false;
  ProgressFlags progress;
};

// CPU time of the whole process (all threads), ms: robust to other processes on a busy machine
double processCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

GeneratorScenario resolveScenario(const TrainArgs& a) {
  if (a.scenario.empty() && a.preset.empty()) throw InvalidArgument("train: give --scenario FILE or --preset NAME");
  if (!a.scenario.empty()) requireScenarioKind(a.scenario, ScenarioKind::Generator);  // a flow file gets its command named
  GeneratorScenario s = !a.scenario.empty() ? loadGeneratorScenario(a.scenario) : generatorPreset(a.preset);
  for (const auto& kv : a.sets) applyGeneratorSetting(s, kv);
  if (!a.seed.empty()) applyGeneratorSetting(s, "seed=" + std::to_string(parseSeed("--seed", a.seed)));
  if (!a.steps.empty()) s.steps = parseInteger("--steps", a.steps, 0, 1'000'000'000);
  if (!a.every.empty()) s.metrics_every = static_cast<int>(parseInteger("--every", a.every, 1, 1'000'000'000));
  s.params.validate();
  return s;
}

MetricTable trainTable(long total_steps) {
  return MetricTable({{"step", 7, 'd'},
                      {"loss", 11},
                      {"lr", 9, 'g', 3},
                      {"mmd2", 10},
                      {"energy", 10},
                      {"sliced_w2", 10},
                      {"kl_qp", 10},
                      {"modes", 6, 's'},
                      {"ms/step", 9, 'f', 1}},
                     total_steps);
}

// mean pairwise Euclidean distance between the columns of a and b (a == b: over i != j), on the pool
double meanDistance(const Points& a, const Points& b, bool same) {
  const long n = a.cols(), m = b.cols();
  ThreadPool& pool = currentThreadPool();
  std::vector<double> part(static_cast<std::size_t>(pool.size()), 0.0);
  pool.parallelFor(0, n, [&](long begin, long end, int chunk) {
    double s = 0.0;
    for (long i = begin; i < end; ++i) s += (b.colwise() - a.col(i)).colwise().norm().sum();
    part[static_cast<std::size_t>(chunk)] = s;
  }, 64);
  double total = 0.0;
  for (double s : part) total += s;
  return total / (static_cast<double>(n) * static_cast<double>(same ? n - 1 : m));
}

// Energy distance of generated samples to fresh data, and of two independent data samples of
// the same size (the noise floor). The floor is itself a noisy, right-skewed statistic (a 1-D
// curve like the Swiss roll gives values from 0.4e-3 to 3e-3 at 2000 points), so the ratio of
// two small draws misleads; printed are (1) the mean of a few direct draws at n = 2000 and
// (2) the ratio of the expectations at n = 2000 from 4 draws of 10000-point samples: the V-statistic
// energy distance of n vs n points has expectation ED + (dqq + dpp) / n, with ED = 2 dqp - dqq
// - dpp (unbiased from mean distances d over distinct pairs), and two data samples give 2 dpp / n.
// For mixture data sets: the share of generated samples nearest to each mode centre, and the
// fraction lying within the radius that holds 99% of the data around its nearest centre
// (blurred samples between modes count for the nearest mode in modes_covered, not here).
void printModeQuality(const GeneratorEngine& engine) {
  const Points& c = engine.modeCentres();
  if (c.cols() == 0) return;
  const auto nearest = [&](const Points& pts, std::vector<double>& dist, std::vector<int>& count) {
    count.assign(static_cast<std::size_t>(c.cols()), 0);
    dist.resize(static_cast<std::size_t>(pts.cols()));
    for (long i = 0; i < pts.cols(); ++i) {
      Eigen::Index k = 0;
      dist[static_cast<std::size_t>(i)] = std::sqrt((c.colwise() - pts.col(i)).colwise().squaredNorm().minCoeff(&k));
      ++count[static_cast<std::size_t>(k)];
    }
  };
  std::vector<double> dd, dg;
  std::vector<int> cd, cg;
  nearest(engine.dataBatch(kQualityLarge, (1ull << 44) + 2000), dd, cd);
  nearest(engine.generate(kQualityLarge, 0xC0FFEE01ull), dg, cg);
  std::vector<double> sorted = dd;
  std::sort(sorted.begin(), sorted.end());
  const double r99 = sorted[static_cast<std::size_t>(0.99 * static_cast<double>(sorted.size() - 1))];
  long inside = 0;
  for (double d : dg) inside += d <= r99 ? 1 : 0;
  std::printf("modes: share of generated samples nearest to each centre");
  for (int k : cg) std::printf(" %.3f", static_cast<double>(k) / static_cast<double>(dg.size()));
  std::printf(" (data");
  for (int k : cd) std::printf(" %.3f", static_cast<double>(k) / static_cast<double>(dd.size()));
  std::printf("); within the data's 99%% radius %.3f of a centre: %.3f of the generated samples\n", r99,
              static_cast<double>(inside) / static_cast<double>(dg.size()));
}

// keys of the data batches the quality check draws (fixed, so every network meets the same data)
std::uint64_t smallDrawKey(int r) { return (1ull << 44) + 3 * static_cast<std::uint64_t>(r); }
std::uint64_t largeDrawKey(int r) { return (1ull << 44) + 1000 + static_cast<std::uint64_t>(r); }

// the data-only terms of the quality check: the same for every network, computed once
struct DataQuality {
  double floor = 0.0;  // mean energy distance of two independent data samples at kQualitySamples
  double dpp = 0.0;    // mean distance between distinct points of a kQualityLarge data sample
};

DataQuality dataQuality(const GeneratorEngine& engine) {
  DataQuality q;
  for (int r = 0; r < kQualityRepeats; ++r) {
    const std::uint64_t key = smallDrawKey(r);
    q.floor += energyDistance(engine.dataBatch(kQualitySamples, key + 1), engine.dataBatch(kQualitySamples, key + 2)) /
               kQualityRepeats;
  }
  for (int r = 0; r < kQualityLargeRepeats; ++r) {
    const Points y = engine.dataBatch(kQualityLarge, largeDrawKey(r));
    q.dpp += meanDistance(y, y, true) / kQualityLargeRepeats;
  }
  return q;
}

// `net`: the sampling network (the weight average when ema > 0) or the raw weights; `label` says which
void printQuality(const GeneratorEngine& engine, const DataQuality& data, const Mlp& net, const char* label) {
  double gen = 0.0;
  for (int r = 0; r < kQualityRepeats; ++r) {
    const Points x = generateSamples(net, engine.params().field.geometry, kQualitySamples, 0xC0FFEEull + static_cast<std::uint64_t>(r));
    gen += energyDistance(x, engine.dataBatch(kQualitySamples, smallDrawKey(r)));
  }
  gen /= kQualityRepeats;
  const double floor = data.floor;
  std::printf("quality%s: energy distance generated vs fresh data %.4g; two independent data samples %.4g; ratio %.2f "
              "(%d samples per set, mean of %d draws)\n",
              label, gen, floor, floor > 0 ? gen / floor : 0.0, kQualitySamples, kQualityRepeats);
  double ed = 0.0, dqq = 0.0;
  for (int r = 0; r < kQualityLargeRepeats; ++r) {
    const Points x = generateSamples(net, engine.params().field.geometry, kQualityLarge, 0xC0FFEE00ull + static_cast<std::uint64_t>(r));
    const Points y = engine.dataBatch(kQualityLarge, largeDrawKey(r));
    const double xx = meanDistance(x, x, true);
    ed += (2.0 * meanDistance(x, y, false) - xx) / kQualityLargeRepeats;
    dqq += xx / kQualityLargeRepeats;
  }
  ed -= data.dpp;
  const double n = kQualitySamples;
  const double expected_gen = ed + (dqq + data.dpp) / n, expected_floor = 2.0 * data.dpp / n;
  std::printf("quality%s: unbiased energy distance ED(generated, data) %.4g (%d vs %d points, mean of %d draws); "
              "expected at %d points: generated vs data %.4g, two data samples %.4g, ratio %.2f\n",
              label, ed, kQualityLarge, kQualityLarge, kQualityLargeRepeats, kQualitySamples, expected_gen, expected_floor,
              expected_floor > 0 ? expected_gen / expected_floor : 0.0);
}

void runTrain(const TrainArgs& a) {
  checkOutputOption("--metrics", a.metrics_out);
  checkOutputOption("--samples", a.samples_out);
  checkOutputOption("--save", a.save);
  checkOutputOption("--save-scenario", a.save_scenario);
  const GeneratorScenario s = resolveScenario(a);
  const GeneratorParams& p = s.params;
  const int n_samples = parsePointCount("--n", a.n);

  // the engine reads the data and init CSV files: their errors name the scenario file as well
  GeneratorEngine engine = [&]() -> GeneratorEngine {
    try {
      return GeneratorEngine(p);
    } catch (const std::exception& e) {
      if (a.scenario.empty()) throw;
      throw InvalidArgument(a.scenario + ": " + e.what());
    }
  }();
  if (!a.quiet) {
    std::printf("driftlab-cli train: %s | %s | %s | %s kernel, bandwidth %s h = %.4g | MLP %s (%ld parameters), init %s | "
                "Adam lr %g | batch %d gen / %d data | eta %g | %ld steps\n",
                s.name.c_str(), p.field.dataset == "csv" ? p.field.data_csv.c_str() : p.field.dataset.c_str(),
                p.field.weights.label().c_str(), kernelName(p.field.kernel.kind), bandwidthRuleName(p.field.bandwidth.rule),
                p.field.bandwidth.h, p.arch.label().c_str(), p.arch.parameterCount(), networkInitName(p.network_init),
                p.adam.lr, p.batch, p.data_batch, p.eta, s.steps);
  }
  MetricTable table = trainTable(s.steps);
  if (!a.quiet && !a.bench) table.printHeader();

  ProgressLine progress(a.progress, a.quiet, "train", "step", s.steps);
  std::vector<GeneratorMetrics> rows;
  double step_ms = 0.0, field_ms = 0.0, network_ms = 0.0, cpu_ms = 0.0;
  long timed_steps = 0;
  const auto record = [&](bool force_print) {
    if (a.bench) return;
    rows.push_back(engine.metrics());
    const GeneratorMetrics& g = rows.back();
    const Metrics& m = g.m;
    if (!a.quiet && table.due(m.step, force_print)) {
      progress.clear();  // stdout may be the same terminal
      table.printRow(m.step, {m.step, g.loss, g.lr, m.mmd2, m.energy, m.sliced_w2, m.kl_qp, modesText(m),
                              timed_steps > 0 ? step_ms / double(timed_steps) : 0.0});
    }
  };

  const auto t0 = std::chrono::steady_clock::now();
  int stop_signal = 0;
  {
    InterruptScope interrupt_scope;  // before the first row: a Ctrl-C from then on stops between steps
    record(true);
    WarningPrinter warnings;
    for (long k = 1; k <= s.steps && interruptSignal() == 0; ++k) {
      const auto ts = std::chrono::steady_clock::now();
      const double cs = processCpuMs();
      const TrainReport rep = engine.step();
      cpu_ms += processCpuMs() - cs;
      step_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ts).count();
      field_ms += rep.field_ms;
      network_ms += rep.network_ms;
      ++timed_steps;
      if (!rep.warning.empty()) progress.clear();  // a warning line of its own, not after the progress text
      warnings.add(rep.warning);
      if (k % s.metrics_every == 0 || k == s.steps) record(k == s.steps);
      progress.update(k);
    }
    stop_signal = interruptSignal();
    progress.clear();
    warnings.finish();
  }
  if (stop_signal != 0) {
    // the table's last line and the metrics CSV end where it stopped; the quality check is skipped
    const long done = engine.stepIndex();
    if (!a.bench && (rows.back().m.step != done || (!a.quiet && table.lastPrintedStep() != done))) {
      if (rows.back().m.step == done) rows.pop_back();  // recorded but not printed: record it again, printed
      record(true);
    }
    if (!a.metrics_out.empty()) writeMetricsCsv(a.metrics_out, rows);
    reportInterrupted("train", done, s.steps, a.metrics_out,
                      {{"--samples", a.samples_out}, {"--save", a.save}, {"--save-scenario", a.save_scenario}});
    throw Interrupted{128 + stop_signal};
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (!a.quiet) {
    const double per = timed_steps > 0 ? 1.0 / timed_steps : 0.0;
    std::printf("timing: %.2f ms/step wall (field %.2f ms, network fwd+bwd+Adam %.2f ms, data+rest %.2f ms), "
                "%.2f ms/step CPU over all %d pool threads, %ld steps; %.2f s total with metrics\n",
                step_ms * per, field_ms * per, network_ms * per, (step_ms - field_ms - network_ms) * per, cpu_ms * per,
                currentThreadPool().size(), timed_steps, seconds);
    if (!a.bench && !rows.empty()) {
      const Metrics& first = rows.front().m;
      const Metrics& last = rows.back().m;
      std::printf("done: %ld steps; loss %.4g; energy %.4g -> %.4g", engine.stepIndex(), engine.lastLoss(), first.energy,
                  last.energy);
      if (last.modes_covered >= 0) std::printf("; modes %s -> %s", modesText(first).c_str(), modesText(last).c_str());
      std::printf("\n");
      const DataQuality data = dataQuality(engine);
      if (engine.params().ema > 0.0) {
        printQuality(engine, data, engine.samplingNetwork(), " (weight average, ema)");
        printQuality(engine, data, engine.network(), " (raw weights)");
      } else {
        printQuality(engine, data, engine.network(), "");
      }
      printModeQuality(engine);
    }
    std::fflush(stdout);
  }

  if (!a.metrics_out.empty()) writeMetricsCsv(a.metrics_out, rows);
  if (!a.samples_out.empty()) {
    writePointsOutput(a.samples_out, engine.generate(n_samples, p.sample_seed), coordinateNames(engine.dim()));
  }
  if (!a.save.empty()) saveModel(a.save, modelFromEngine(engine, s));
  if (!a.save_scenario.empty()) writeOutput(a.save_scenario, generatorScenarioToJson(s));
}

struct GenerateArgs {
  std::string model, n = "1000", seed, out;
  ProgressFlags progress;
};

void runGenerate(const GenerateArgs& a) {
  checkOutputOption("--out", a.out);
  const int n = parsePointCount("--n", a.n);
  const GeneratorModel m = loadModel(a.model);
  const std::uint64_t seed = a.seed.empty() ? m.scenario.params.sample_seed : parseSeed("--seed", a.seed);
  // only the network is needed: the training data (maybe a CSV elsewhere) is not touched
  ProgressLine progress(a.progress, false, "generate", "sample", n);
  const auto show = [&](long long done, long long) { progress.update(done); };
  // a model trained on the sphere generates unit vectors (its scenario's geometry, THEORY.md §10.7)
  const Points x = generateSamples(m.network, m.scenario.params.field.geometry, n, seed, show);
  progress.restart("row", n);  // the CSV text of 5e7 samples takes longer than sampling them
  writePointsOutput(a.out, x, coordinateNames(m.network.outputDim()), show);
}

const CommandRegistration kTrain("train", [](CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  CLI::App* sub = app.add_subcommand("train", "Train a one-step generator with the drifting loss (THEORY.md §7); "
                                              "prints metrics, timing and an energy-distance quality check");
  auto* sc = sub->add_option("--scenario", a->scenario, "generator scenario JSON file");
  auto* pr = sub->add_option("--preset", a->preset, "built-in generator preset (see 'driftlab-cli gen-presets')");
  sc->excludes(pr);
  sub->add_option("--set", a->sets, "override one setting, key=value (repeatable; e.g. --set lr=3e-4 --set kernel=gaussian)")
      ->allow_extra_args(false);
  sub->add_option("--steps", a->steps, "number of training steps (default: the scenario's steps)");
  sub->add_option("--every", a->every, "metrics every K steps (default: the scenario's metrics_every)");
  sub->add_option("--seed", a->seed, "seed S for everything: data S, network S+1, noise S+2, samples S+3");
  sub->add_option("--metrics", a->metrics_out, "write the metrics CSV here (metrics columns + loss, lr)");
  sub->add_option("--samples", a->samples_out, "write K generated samples here after training: CSV, or .npy by the extension");
  sub->add_option("--n", a->n, "K for --samples (default 2048)");
  sub->add_option("--save", a->save, "save the trained model (JSON) here");
  sub->add_option("--save-scenario", a->save_scenario, "write the resolved generator scenario as JSON");
  sub->add_flag("--bench", a->bench, "timing only: no metrics, prints ms/step split into field and network");
  sub->add_flag("--quiet", a->quiet, "nothing on stdout (warnings and errors still go to stderr)");
  addProgressFlags(sub, a->progress);
  sub->callback([a] { runTrain(*a); });
});

const CommandRegistration kGenerate("generate", [](CLI::App& app) {
  auto a = std::make_shared<GenerateArgs>();
  CLI::App* sub = app.add_subcommand("generate", "Samples from a saved generator model as CSV");
  sub->add_option("--model", a->model, "model JSON written by 'train --save'")->required();
  sub->add_option("--n", a->n, "number of samples (default 1000)");
  sub->add_option("--seed", a->seed, "noise seed (default: the model's sample_seed)");
  sub->add_option("--out", a->out, "output CSV file (default: stdout), or .npy (float64) by the extension");
  addProgressFlags(sub, a->progress);
  sub->callback([a] { runGenerate(*a); });
});

const CommandRegistration kGenPresets("gen-presets", [](CLI::App& app) {
  CLI::App* sub = app.add_subcommand("gen-presets", "List the built-in generator presets (use with train --preset NAME)");
  sub->callback([] {
    const std::string text = formatCatalog(generatorPresetCatalog());
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
});

}  // namespace

}  // namespace driftlab::cli
