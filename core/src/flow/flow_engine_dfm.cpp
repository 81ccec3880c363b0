// FlowEngine in mode dfm: the Euler-Maruyama sampler of Diffusion Flow Matching under the oracle
// drift of the data (THEORY.md §12.2) or a learned one (§12.4). Single-threaded object (flow_engine.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/rng.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "kde/column_norm.hpp"

namespace driftlab {

namespace {

// salt of the sampler's noise stream; step k draws from mixSeed(init_seed, salt + k), so a run
// replayed from any step draws the same noise
constexpr std::uint64_t kDfmNoiseSalt = 0x64666d2d6e6f6973ULL;

double dfmTimeStep(const FlowParams& p) { return (1.0 - p.dfm_epsilon) / double(p.dfm_steps); }

// the network's seed follows the particles' seed, so a new seed also trains a new network
std::uint64_t learnedSeed(const FlowParams& p) { return seeded::mixSeed(p.init_seed, 0x6c6561726e6564ULL); }

}  // namespace

DfmDriftRequest FlowEngine::learnedDfmDriftRequest() const {
  return DfmDriftRequest{y_, dfmBridgeOf(params_), params_.dfm_epsilon, params_.dfm_train_steps, learnedSeed(params_)};
}

const DfmDriftModel* FlowEngine::learnedDfmDrift() const {
  if (params_.mode != FlowMode::Dfm || params_.dfm_drift != DfmDriftKind::Learned || !learned_) return nullptr;
  return learned_->fits(learnedDfmDriftRequest()) ? learned_.get() : nullptr;
}

bool FlowEngine::needsLearnedDfmDrift() const {
  return params_.mode == FlowMode::Dfm && params_.dfm_drift == DfmDriftKind::Learned && learnedDfmDrift() == nullptr;
}

void FlowEngine::setLearnedDfmDrift(std::shared_ptr<const DfmDriftModel> model) {
  DRIFTLAB_CHECK(model && model->fits(learnedDfmDriftRequest()),
                 "dfm.drift learned: the drift was trained for other data or settings");
  learned_ = std::move(model);
}

Points FlowEngine::dfmDrift(const Points& x) const {
  const double t = dfmTime();
  if (const DfmDriftModel* learned = learnedDfmDrift()) return learned->drift(x, t);
  return dfmOracleDrift(x, y_, dfmBridgeOf(params_), t);
}

double FlowEngine::dfmTime() const {
  const long k = std::min<long>(dfm_step_, params_.dfm_steps);
  return double(k) * dfmTimeStep(params_);
}

// X <- X + b(t, X) dt + sigma sqrt(dt) xi (THEORY.md §12.3)
StepReport FlowEngine::dfmStep() {
  StepReport report;
  if (dfmFinished()) {
    report.eta_used = 0.0;  // the sampler has reached t = 1 - epsilon: nothing moves
    return report;
  }
  const double dt = dfmTimeStep(params_);
  const double t = dfmTime();
  if (needsLearnedDfmDrift()) {
    report.ok = false;
    report.warning = "dfm.drift learned: no trained drift for these data and settings (step not taken)";
    return report;
  }
  Points b = dfmDrift(x_);
  report.field_evaluations = 1;
  const double bmax = maxColumnNorm(b);
  Points x_new = x_ + dt * b;
  if (params_.dfm_sigma > 0.0) {
    seeded::Rng rng(seeded::mixSeed(params_.init_seed, kDfmNoiseSalt + std::uint64_t(dfm_step_)));
    const double noise = params_.dfm_sigma * std::sqrt(dt);
    for (Eigen::Index k = 0; k < x_new.cols(); ++k)
      for (Eigen::Index r = 0; r < x_new.rows(); ++r) x_new(r, k) += noise * rng.normal();
  }
  if (!std::isfinite(bmax) || !x_new.allFinite()) {
    report.ok = false;
    char buf[160];
    std::snprintf(buf, sizeof buf, "non-finite DFM drift at step %ld (t = %.4g): step not taken", step_index_, t);
    report.warning = buf;
    return report;
  }
  x_ = std::move(x_new);
  v_ = std::move(b);
  t_ += dt;
  ++step_index_;
  ++dfm_step_;
  report.eta_used = dt;
  report.max_speed = bmax;
  return report;
}

}  // namespace driftlab
