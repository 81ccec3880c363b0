// A learned drift for Diffusion Flow Matching (THEORY.md §12.4): an MLP m_theta(t, x) regresses the
// bridge's end point X_1 on (X_t, t) over fresh bridge samples, and the drift is
//   b_theta(t, x) = (m_theta(t, x) - x) / (1 - t),
// the same minimizer as regressing the bridge drift (X_1 - X_t) / (1 - t) directly, with a
// target that stays bounded as t -> 1. Single-threaded object: owned by one thread at a time
// (the thread that trains and samples); it uses that thread's pool for the network's GEMMs.
#pragma once

#include <cstdint>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/generator/adam.hpp"
#include "driftlab/generator/mlp.hpp"

namespace driftlab {

struct LearnedDriftOptions {
  std::vector<int> hidden{128, 128, 128};  // SiLU hidden layers
  int batch = 512;                         // bridge samples per training step
  double lr = 2e-3;                        // Adam, at the start
  long decay_steps = 0;                    // > 0: lr falls along a cosine to lr / 20 over these steps
  std::uint64_t seed = 1;                  // network initialization and bridge samples
};

class LearnedDfmDrift {
 public:
  // dim: the data's dimension; samples t ~ U[0, 1 - epsilon]. Throws InvalidArgument.
  LearnedDfmDrift(int dim, const DfmBridge& bridge, double epsilon, const LearnedDriftOptions& options);

  // one Adam step on a fresh batch: X_0 ~ N(0, s0^2 I), X_1 drawn from the columns of data,
  // X_t = (1 - t) X_0 + t X_1 + sigma sqrt(t (1 - t)) Z. Returns the batch loss, the mean over
  // samples and coordinates of (m_theta - X_1)^2.
  double trainStep(const Points& data);

  // b_theta(t, x) at every column of x (d x E), t in [0, 1)
  Points drift(const Points& x, double t) const;

  long trainedSteps() const { return steps_; }

 private:
  Mlp net_;
  Adam adam_;
  DfmBridge bridge_;
  double epsilon_;
  int batch_;
  double lr_;
  long decay_steps_;
  std::uint64_t seed_;
  long steps_ = 0;
};

}  // namespace driftlab
