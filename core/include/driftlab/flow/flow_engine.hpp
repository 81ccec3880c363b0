// The particle flow: state (particles, data, flow time) and one step of the Wasserstein-2
// gradient flow of the chosen divergence mixture. THEORY.md §6 (per-step algorithm).
// Single-threaded object: owned and used by one thread at a time (the FlowWorker's thread,
// or a CLI/test thread). Parameters change live between steps without restarting the run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_params.hpp"
#include "driftlab/flow/flow_state.hpp"
#include "driftlab/flow/geometry.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/base/types.hpp"
#include "driftlab/flow/dfm_drift_model.hpp"

namespace driftlab {

struct StepReport {
  bool ok = true;            // false: the step was rolled back (non-finite velocity or position)
  double eta_used = 0.0;     // effective step after the displacement cap
  double max_speed = 0.0;    // max_i |v_i| before the step
  double bandwidth = 0.0;    // (first) bandwidth used
  std::string warning;       // e.g. "non-finite velocity at step 120: step rolled back, step size halved to 0.005"
  int inner_iterations = 0;  // integrator jko: inner iterations of this step
  double residual = 0.0;     // integrator jko: RMS |x - x_prev - eta v(x)| at the step's end
  // velocity (or drift) evaluations over all particles this step took: 1 for Euler and DFM, 2 for
  // Heun, every inner evaluation for JKO (the cost axis of the mode comparison)
  int field_evaluations = 0;
};

class FlowEngine {
 public:
  // builds data and particles from params (validates; throws InvalidArgument)
  explicit FlowEngine(const FlowParams& params);
  // continues a captured state (a fork, a keyframe): stepped n times it equals the engine the
  // state came from stepped n times, bit for bit on the same machine and thread count (THEORY.md
  // §6.6). Validates the parameters and the shapes; throws InvalidArgument.
  explicit FlowEngine(const FlowState& state);

  // fork and rewind (flow_state.hpp): a copy of everything the next steps depend on, and back to
  // such a copy (same checks as the constructor; a throw leaves the engine untouched). Between
  // steps, on the engine's thread.
  FlowState capture() const;
  void restore(const FlowState& state);

  // apply new parameters between steps without restarting: data is regenerated only when the
  // dataset/samples/data_seed/data_csv changed, particles are added or removed only when their
  // count changed, everything else just switches. Throws InvalidArgument (state unchanged).
  void setParams(const FlowParams& params);
  // back to t = 0 with the same seeds (identical run), or with new seeds
  void reset();
  void reseed(std::uint64_t data_seed, std::uint64_t init_seed);

  // one step (Euler or Heun with the displacement cap, or JKO) and blow-up rollback
  StepReport step();

  // editing (any time between steps)
  void addParticles(const Points& pts);          // d x k
  void addParticlesFromKde(int count);           // sampled from q_hat (random particle + kernel noise)
  void removeParticles(int count);               // removes the last `count` (keeps at least 1)
  void setParticle(int index, const Eigen::VectorXd& position);
  void setData(const Points& data);              // replaces the data (mode centres are cleared)
  void addData(const Points& pts);
  void eraseData(const Eigen::VectorXd& centre, double radius);  // keeps at least 1 point

  // state
  const FlowParams& params() const { return params_; }
  const Points& particles() const { return x_; }
  const Points& data() const { return y_; }
  const Points& velocities() const { return v_; }  // velocity at the start of the last step
  const Points& modeCentres() const { return mode_centres_; }
  const std::vector<double>& modeWeights() const { return mode_weights_; }
  double time() const { return t_; }
  long stepIndex() const { return step_index_; }
  double currentStep() const { return eta_; }     // eta after any halving by rollbacks
  double currentBandwidth() const;                // (first) bandwidth at the current time
  int dim() const { return static_cast<int>(x_.rows()); }
  // mode dfm: the sampler's time t in [0, 1 - epsilon] (dfm_steps steps of (1 - epsilon) / dfm_steps),
  // and whether it has reached its end (further steps do nothing)
  double dfmTime() const;
  bool dfmFinished() const { return dfm_step_ >= params_.dfm_steps; }
  long dfmStepsTaken() const { return dfm_step_; }
  // mode dfm: the drift in force (oracle, or the learned one once installed) at the sampler's
  // time, at the columns of x (d x E); the oracle's while a learned drift is missing
  Points dfmDrift(const Points& x) const;
  // dfm.drift learned: the installed drift when it fits the current data and settings, else null.
  // The engine cannot train one (the network lives in a higher layer): its owner installs it,
  // trainLearnedDfmDriftIfNeeded (learned_dfm_drift.hpp); without it a dfm step is not taken and
  // says why.
  const DfmDriftModel* learnedDfmDrift() const;
  bool needsLearnedDfmDrift() const;     // mode dfm, dfm.drift learned, and no fitting drift
  DfmDriftRequest learnedDfmDriftRequest() const;
  // throws InvalidArgument when the model does not fit learnedDfmDriftRequest()
  void setLearnedDfmDrift(std::shared_ptr<const DfmDriftModel> model);

  // options in force now (bandwidth rule resolved, path = the run's compute path)
  VelocityOptions velocityOptions() const;
  Metrics metrics(const MetricsOptions& opt = {}) const;

 private:
  VelocityOptions optionsAt(const Points& particles, double t) const;  // velocityOptions() at another state
  // step() with integrator jko; nullopt when the step stalled (report.warning says so) and step()
  // takes the explicit Euler step instead
  std::optional<StepReport> jkoStep(StepReport& report, const VelocityOptions& opt);
  StepReport dfmStep();                                                 // step() in mode dfm (flow_engine_dfm.cpp)
  void rebuildData();
  void rebuildParticles();

  FlowParams params_;
  std::unique_ptr<Geometry> geometry_;
  Points x_, y_, v_;
  Points mode_centres_;
  std::vector<double> mode_weights_;
  double t_ = 0.0;
  double eta_ = 0.0;
  long step_index_ = 0;
  long dfm_step_ = 0;               // mode dfm: sampler steps taken since the particles left the source
  // dfm.drift learned: trained once, then shared read-only with captured states (flow_state.hpp)
  std::shared_ptr<const DfmDriftModel> learned_;
  std::uint64_t edit_counter_ = 0;  // seeds KDE sampling of added particles
};

}  // namespace driftlab
