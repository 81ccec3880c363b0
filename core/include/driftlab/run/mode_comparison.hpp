// Three views of generative modelling on one target, on one axis (THEORY.md §12.5): the energy
// distance of each mode's samples to fresh data against the number of field evaluations it took
// to make them -
//   drifting   the particle flow (the default preset's mixed field, explicit Euler): one
//              evaluation per step, measured along the flow;
//   jko        the same flow by proximal steps: every inner evaluation counts;
//   dfm        Diffusion Flow Matching under the oracle drift, sampled with T steps for several T
//              (one evaluation per step, a fresh run for each T);
//   dfm learned  the same with the learned drift (its training is reported, not counted);
//   generator  the drifting generator: one network evaluation per sample after its training
//              (reported, not counted).
// Evaluations of different modes cost differently (a particle field N (N + M) kernel pairs, the
// oracle drift N M, a network N x its weights), so each curve also carries its wall time.
// Any thread (uses the calling thread's pool); cancellable between steps.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace driftlab {

struct ComparisonOptions {
  std::string dataset = "eight_gaussians";   // a built-in 2-D dataset
  int samples = 512;                          // particles = data points = samples of each mode
  std::uint64_t seed = 1;                     // data and particle seeds; fresh data use other seeds
  long flow_steps = 300;                      // drifting: explicit Euler steps
  long jko_steps = 20;                        // jko: outer steps
  double jko_step = 0.01;                     // jko: tau (the explicit flow's eta is 0.01 too)
  std::vector<int> dfm_steps{2, 5, 10, 20, 50, 100, 200};  // dfm: one sampler run per T
  long dfm_train_steps = 3000;                // dfm learned: Adam steps; 0 = not compared
  long generator_steps = 1000;                // generator: training steps; 0 = not compared
};

struct ComparisonCurve {
  std::string mode;                  // "drifting", "jko", "dfm oracle", "dfm learned", "generator"
  std::string note;                  // what the points are and what is not counted
  std::vector<double> evaluations;   // x: field (or drift, or network) evaluations
  std::vector<double> energy;        // y: energy distance to fresh data
  double seconds = 0.0;              // wall time of the whole curve (training included)
};

struct Comparison {
  std::vector<ComparisonCurve> curves;
  double floor = 0.0;                // energy distance between two fresh data sets of this size
  std::string dataset;
  int samples = 0;
};

// progress(fraction done, what runs now); cancel: when it becomes true the function returns what
// it has (the curves finished so far). Throws InvalidArgument for bad options (a 3-D dataset,
// samples < 16, no steps).
Comparison compareModes(const ComparisonOptions& options,
                        const std::function<void(double, const std::string&)>& progress = {},
                        const std::atomic<bool>* cancel = nullptr);

// the comparison as CSV: mode,evaluations,energy,floor,seconds (one row per point)
std::string comparisonCsv(const Comparison& c);

}  // namespace driftlab
