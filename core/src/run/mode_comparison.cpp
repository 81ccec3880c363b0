// The mode comparison, THEORY.md §12.5: energy distance to fresh data against field evaluations
// for the particle flow (explicit and JKO), DFM (oracle and learned drift) and the drifting
// generator, on one target. Any thread (mode_comparison.hpp).
#include "driftlab/run/mode_comparison.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <sstream>

#include "driftlab/base/error.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/learned_dfm_drift.hpp"

namespace driftlab {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// fresh draws of the data's law that no mode saw (seeds far from the run's)
constexpr std::uint64_t kFreshSeed = 0x66726573680000ULL;

// evaluation counts 1, 2, 3, 5, 8, ... (about 4 per decade) up to and including last
bool onLogGrid(long k, long last) {
  if (k == last || k <= 3) return true;
  const double r = std::log10(double(k)) * 4.0;
  const double r_prev = std::log10(double(k - 1)) * 4.0;
  return std::floor(r) != std::floor(r_prev);
}

struct Context {
  const ComparisonOptions& o;
  const std::function<void(double, const std::string&)>& progress;
  const std::atomic<bool>* cancel;
  Points fresh;
  double total_work = 1.0, done_work = 0.0;

  bool cancelled() const { return cancel != nullptr && cancel->load(); }
  void report(double work, const std::string& stage) {
    done_work += work;
    if (progress) progress(std::min(1.0, done_work / total_work), stage);
  }
};

FlowParams flowParams(const ComparisonOptions& o) {
  FlowParams p = presetScenario("default").params;
  p.dataset = o.dataset;
  p.particles = o.samples;
  p.samples = o.samples;
  p.data_seed = o.seed;
  p.init_seed = o.seed + 1;
  return p;
}

// a particle flow, measured on the log grid of its cumulative evaluations
ComparisonCurve flowCurve(Context& c, const char* mode, FlowParams p, long steps, const char* note) {
  ComparisonCurve curve;
  curve.mode = mode;
  curve.note = note;
  const auto start = Clock::now();
  FlowEngine e(p);
  long evaluations = 0;
  for (long k = 1; k <= steps && !c.cancelled(); ++k) {
    const StepReport r = e.step();
    evaluations += r.field_evaluations;
    if (onLogGrid(k, steps)) {
      curve.evaluations.push_back(double(evaluations));
      curve.energy.push_back(energyDistance(e.particles(), c.fresh));
    }
    c.report(1.0, mode);
  }
  curve.seconds = secondsSince(start);
  return curve;
}

// DFM: one sampler run per T, its samples measured at t = 1 - epsilon
ComparisonCurve dfmCurve(Context& c, bool learned) {
  ComparisonCurve curve;
  curve.mode = learned ? "dfm learned" : "dfm oracle";
  curve.note = learned ? "one sampler run per T steps (1 network evaluation each); the training is not counted"
                       : "one sampler run per T steps (1 drift evaluation each, N x M kernel terms)";
  const auto start = Clock::now();
  FlowParams p = flowParams(c.o);
  p.mode = FlowMode::Dfm;
  p.dfm_drift = learned ? DfmDriftKind::Learned : DfmDriftKind::Oracle;
  p.dfm_train_steps = int(std::max<long>(1, c.o.dfm_train_steps));
  std::shared_ptr<const DfmDriftModel> model;
  for (const int steps : c.o.dfm_steps) {
    if (c.cancelled()) break;
    p.dfm_steps = steps;
    FlowEngine e(p);
    if (learned) {
      // the same data, bridge and seed for every T: one network
      if (!model) {
        model = std::make_shared<const TrainedDfmDrift>(e.learnedDfmDriftRequest());
        c.report(double(c.o.dfm_train_steps) / 10.0, "dfm learned: training");
      }
      e.setLearnedDfmDrift(model);
    }
    long evaluations = 0;
    for (int k = 0; k < steps && !c.cancelled(); ++k) evaluations += e.step().field_evaluations;
    curve.evaluations.push_back(double(evaluations));
    curve.energy.push_back(energyDistance(e.particles(), c.fresh));
    c.report(double(steps), curve.mode);
  }
  curve.seconds = secondsSince(start);
  return curve;
}

ComparisonCurve generatorCurve(Context& c) {
  ComparisonCurve curve;
  curve.mode = "generator";
  curve.note = "one network evaluation per sample after " + std::to_string(c.o.generator_steps) +
               " training steps (gen_eight_gaussians_forward_kl's settings; the training is not counted)";
  const auto start = Clock::now();
  GeneratorParams g = generatorPreset("gen_eight_gaussians_forward_kl").params;
  g.field.dataset = c.o.dataset;
  g.field.data_seed = c.o.seed;
  g.sample_count = c.o.samples;
  GeneratorEngine e(g);
  for (long k = 0; k < c.o.generator_steps && !c.cancelled(); ++k) {
    e.step();
    c.report(0.2, "generator: training");
  }
  if (!c.cancelled()) {
    curve.evaluations.push_back(1.0);
    curve.energy.push_back(energyDistance(e.generate(c.o.samples, c.o.seed + 7), c.fresh));
  }
  curve.seconds = secondsSince(start);
  return curve;
}

}  // namespace

Comparison compareModes(const ComparisonOptions& o, const std::function<void(double, const std::string&)>& progress,
                        const std::atomic<bool>* cancel) {
  DRIFTLAB_CHECK(o.samples >= 16, "compare: samples must be >= 16 (got " + std::to_string(o.samples) + ")");
  DRIFTLAB_CHECK(o.flow_steps >= 1 && o.jko_steps >= 1 && !o.dfm_steps.empty(),
                 "compare: every mode needs at least one step");
  for (const int t : o.dfm_steps) DRIFTLAB_CHECK(t >= 1, "compare: dfm steps must be >= 1");
  DRIFTLAB_CHECK(o.jko_step > 0.0 && std::isfinite(o.jko_step), "compare: the jko step must be > 0");
  Comparison out;
  out.dataset = o.dataset;
  out.samples = o.samples;
  Context c{o, progress, cancel, sampleDataset(o.dataset, o.samples, o.seed + kFreshSeed).points};
  DRIFTLAB_CHECK(c.fresh.rows() == 2, "compare: " + o.dataset + " is not a 2-D dataset");
  out.floor = energyDistance(sampleDataset(o.dataset, o.samples, o.seed + kFreshSeed + 1).points, c.fresh);
  // work units: one flow step = 1, one DFM step = 1, a training step of the drift 1/10, of the generator 1/5
  double dfm_total = 0.0;
  for (const int t : o.dfm_steps) dfm_total += t;
  c.total_work = double(o.flow_steps) + double(o.jko_steps) * 8.0 + dfm_total +
                 (o.dfm_train_steps > 0 ? dfm_total + double(o.dfm_train_steps) / 10.0 : 0.0) +
                 double(o.generator_steps) * 0.2;

  FlowParams drifting = flowParams(o);
  out.curves.push_back(flowCurve(c, "drifting", drifting, o.flow_steps,
                                 "the default preset's flow (mixed reverse KL + chi2), explicit Euler, 1 evaluation per step"));
  FlowParams jko = drifting;
  jko.integrator = Integrator::Jko;
  jko.step = o.jko_step;
  if (!c.cancelled())
    out.curves.push_back(flowCurve(c, "jko", jko, o.jko_steps,
                                   "the same flow by JKO steps of tau = jko_step; every inner evaluation counts"));
  if (!c.cancelled()) out.curves.push_back(dfmCurve(c, false));
  if (o.dfm_train_steps > 0 && !c.cancelled()) out.curves.push_back(dfmCurve(c, true));
  if (o.generator_steps > 0 && !c.cancelled()) out.curves.push_back(generatorCurve(c));
  if (progress) progress(1.0, "done");
  return out;
}

std::string comparisonCsv(const Comparison& c) {
  std::ostringstream out;
  out.precision(9);
  out << "mode,evaluations,energy,floor,seconds\n";
  for (const ComparisonCurve& curve : c.curves)
    for (std::size_t k = 0; k < curve.evaluations.size(); ++k)
      out << curve.mode << ',' << curve.evaluations[k] << ',' << curve.energy[k] << ',' << c.floor << ','
          << curve.seconds << '\n';
  return out.str();
}

}  // namespace driftlab
