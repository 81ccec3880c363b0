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
#include "driftlab/flow/dfm_drift_model.hpp"
#include "driftlab/flow/flow_engine.hpp"
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

// the network's input for points x (d x E) at times t (E): the column (x, 2t - 1), time centred
// like the coordinates
Points driftNetworkInputs(const Points& x, const std::vector<double>& t);

// The regression loss of one batch given the network's outputs out (d x B) for bridge points
// xt (d x B) at times t with end points x1 (THEORY.md §12.4): with the preconditioned end-point
// prediction m = skip(t) xt + scale(t) out,
//   L = mean over batch and coordinates of ((m - x1) / scale(t))^2,
// and dL/d(out) in *grad_out when it is not null. Pure; any thread.
double bridgeRegressionLoss(const DfmBridge& bridge, const Points& xt, const Points& x1, const std::vector<double>& t,
                            const Points& out, Points* grad_out);

class LearnedDfmDrift {
 public:
  // dim: the data's dimension; samples t ~ U[0, 1 - epsilon]. Throws InvalidArgument.
  LearnedDfmDrift(int dim, const DfmBridge& bridge, double epsilon, const LearnedDriftOptions& options);

  // one Adam step on a fresh batch: X_0 ~ N(0, s0^2 I), X_1 drawn from the columns of data,
  // X_t = (1 - t) X_0 + t X_1 + sigma sqrt(t (1 - t)) Z. Returns the batch loss of
  // bridgeRegressionLoss.
  double trainStep(const Points& data);

  // b_theta(t, x) at every column of x (d x E), t in [0, 1)
  Points drift(const Points& x, double t) const;

  long trainedSteps() const { return steps_; }
  const std::vector<float>& losses() const { return losses_; }  // trainStep's loss, one per step
  const DfmBridge& bridge() const { return bridge_; }
  double epsilon() const { return epsilon_; }
  std::uint64_t seed() const { return seed_; }

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
  std::vector<float> losses_;
};

// A drift trained once and then only read (shared by an engine's captured states): the network,
// the request it was trained for and how long the training took.
class TrainedDfmDrift final : public DfmDriftModel {
 public:
  // the default options with decay over request.steps, trained for request.steps Adam steps on
  // request.data (the calling thread's pool); throws InvalidArgument as LearnedDfmDrift
  explicit TrainedDfmDrift(const DfmDriftRequest& request);
  Points drift(const Points& x, double t) const override { return net_.drift(x, t); }
  bool fits(const DfmDriftRequest& request) const override;
  const std::vector<float>& losses() const override { return net_.losses(); }
  double trainSeconds() const override { return seconds_; }
  const LearnedDfmDrift& network() const { return net_; }

 private:
  DfmDriftRequest request_;
  LearnedDfmDrift net_;
  double seconds_ = 0.0;
};

// mode dfm with dfm.drift learned: trains and installs the drift the engine needs (seconds on 2
// cores); nothing when it has a fitting one. On the engine's thread, between steps.
void trainLearnedDfmDriftIfNeeded(FlowEngine& engine);

}  // namespace driftlab
