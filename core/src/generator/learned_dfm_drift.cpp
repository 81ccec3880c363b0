// The learned DFM drift, THEORY.md §12.4. Single-threaded object (learned_dfm_drift.hpp).
#include "driftlab/generator/learned_dfm_drift.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <memory>
#include <string>

#include "base/rng.hpp"
#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

// m_theta = skip(t) x + scale(t) net(x, t): skip(t) = t / (t^2 + v_t) is E[X_1 | X_t] for
// standard normal data and scale(t) = sqrt(v_t / (t^2 + v_t)) its posterior spread, so the
// network learns an O(1) correction at every t and m -> x as t -> 1 without it having to learn
// the identity to the data's precision (THEORY.md §12.4)
struct Preconditioning {
  double skip, scale;
};
Preconditioning preconditioning(const DfmBridge& bridge, double t) {
  const double v = bridgeVariance(bridge, t);
  return {t / (t * t + v), std::sqrt(v / (t * t + v))};
}

}  // namespace

Points driftNetworkInputs(const Points& x, const std::vector<double>& t) {
  const long d = x.rows();
  Points in(d + 1, x.cols());
  in.topRows(d) = x;
  for (long e = 0; e < x.cols(); ++e) in(d, e) = 2.0 * t[std::size_t(e)] - 1.0;
  return in;
}

double bridgeRegressionLoss(const DfmBridge& bridge, const Points& xt, const Points& x1, const std::vector<double>& t,
                            const Points& out, Points* grad_out) {
  const long d = xt.rows(), batch = xt.cols();
  // L = mean ((m - x1) / scale)^2 over batch x d with m = skip x_t + scale net, i.e. the network
  // regresses its own target (x1 - skip x_t) / scale with unit weight at every t. Unweighted,
  // (m - x1)^2 would weigh the late times by scale^2 (0.0025 at 1 - t = 0.01), where the samples
  // choose their mode, and the network would learn a ring instead of eight modes (THEORY.md §12.4).
  // dL/dnet = 2 (m - x1) / scale / (batch d)
  if (grad_out) grad_out->resize(d, batch);
  double loss = 0.0;
  for (long k = 0; k < batch; ++k) {
    const Preconditioning c = preconditioning(bridge, t[std::size_t(k)]);
    for (long r = 0; r < d; ++r) {
      const double m = c.skip * xt(r, k) + c.scale * out(r, k);
      const double diff = (m - x1(r, k)) / c.scale;
      loss += diff * diff;
      if (grad_out) (*grad_out)(r, k) = 2.0 * diff / double(batch * d);
    }
  }
  return loss / double(batch * d);
}

LearnedDfmDrift::LearnedDfmDrift(int dim, const DfmBridge& bridge, double epsilon, const LearnedDriftOptions& options)
    : bridge_(bridge),
      epsilon_(epsilon),
      batch_(options.batch),
      lr_(options.lr),
      decay_steps_(options.decay_steps),
      seed_(options.seed) {
  DRIFTLAB_CHECK(dim >= 1, "dfm learned drift: the data dimension must be >= 1 (got " + std::to_string(dim) + ")");
  DRIFTLAB_CHECK(epsilon > 0.0 && epsilon < 1.0, "dfm.epsilon: must be in (0, 1)");
  DRIFTLAB_CHECK(options.batch >= 1, "dfm learned drift: the batch must be >= 1");
  MlpArchitecture arch;
  arch.input_dim = dim + 1;
  arch.hidden = options.hidden;
  arch.output_dim = dim;
  arch.activation = Activation::SiLU;
  arch.validate();
  net_ = Mlp(arch, seeded::mixSeed(options.seed, 0x6e6574ULL));
  AdamOptions adam;
  adam.lr = options.lr;
  adam_ = Adam(net_.parameterCount(), adam);
}

double LearnedDfmDrift::trainStep(const Points& data) {
  const long d = data.rows();
  DRIFTLAB_CHECK(d == net_.outputDim() && data.cols() > 0,
                 "dfm learned drift: the data must have dimension " + std::to_string(net_.outputDim()));
  // each step has its own stream, so a run is reproducible step by step
  seeded::Rng rng(seeded::mixSeed(seed_, 0x62726964676500ULL + std::uint64_t(steps_)));
  Points xt(d, batch_), x1(d, batch_);
  std::vector<double> t(static_cast<std::size_t>(batch_));
  for (int k = 0; k < batch_; ++k) {
    // times drawn with density growing towards t = 1 (t = (1 - eps)(1 - u^2)), where the drift
    // is steep and the samples take their final shape (THEORY.md §12.4)
    const double u = rng.uniform();
    const double tk = (1.0 - epsilon_) * (1.0 - u * u);
    const long j = long(rng.below(std::uint64_t(data.cols())));
    const double noise = bridge_.sigma * std::sqrt(tk * (1.0 - tk));
    for (long r = 0; r < d; ++r) {
      const double x0 = bridge_.source_std * rng.normal();
      const double z = rng.normal();
      x1(r, k) = data(r, j);
      xt(r, k) = (1.0 - tk) * x0 + tk * data(r, j) + noise * z;
    }
    t[std::size_t(k)] = tk;
  }
  const Mlp::Matrix& out = net_.forward(driftNetworkInputs(xt, t).cast<float>());
  Points grad;
  const double loss = bridgeRegressionLoss(bridge_, xt, x1, t, out.cast<double>(), &grad);
  net_.backward(grad.cast<float>());
  if (decay_steps_ > 0) {
    // cosine decay: large steps find the shape, small ones its precision
    const double progress = std::min(1.0, double(steps_) / double(decay_steps_));
    AdamOptions adam = adam_.options();
    adam.lr = lr_ * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress)));
    adam_.setOptions(adam);
  }
  adam_.step(net_.parameters(), net_.parameterGradients());
  ++steps_;
  losses_.push_back(static_cast<float>(loss));
  return loss;
}

namespace {

LearnedDriftOptions trainingOptions(const DfmDriftRequest& r) {
  DRIFTLAB_CHECK(r.steps >= 1, "dfm.train_steps: must be >= 1 (got " + std::to_string(r.steps) + ")");
  LearnedDriftOptions options;
  options.decay_steps = r.steps;
  options.seed = r.seed;
  return options;
}

}  // namespace

TrainedDfmDrift::TrainedDfmDrift(const DfmDriftRequest& request)
    : request_(request), net_(int(request.data.rows()), request.bridge, request.epsilon, trainingOptions(request)) {
  const auto start = std::chrono::steady_clock::now();
  for (long k = 0; k < request.steps; ++k) net_.trainStep(request_.data);
  seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool TrainedDfmDrift::fits(const DfmDriftRequest& r) const {
  return r.steps == request_.steps && r.seed == request_.seed && r.epsilon == request_.epsilon &&
         r.bridge.sigma == request_.bridge.sigma && r.bridge.source_std == request_.bridge.source_std &&
         r.data.rows() == request_.data.rows() && r.data.cols() == request_.data.cols() && r.data == request_.data;
}

void trainLearnedDfmDriftIfNeeded(FlowEngine& engine) {
  if (!engine.needsLearnedDfmDrift()) return;
  engine.setLearnedDfmDrift(std::make_shared<const TrainedDfmDrift>(engine.learnedDfmDriftRequest()));
}

Points LearnedDfmDrift::drift(const Points& x, double t) const {
  DRIFTLAB_CHECK(t >= 0.0 && t < 1.0, "dfm learned drift: t must be in [0, 1)");
  DRIFTLAB_CHECK(x.rows() == net_.outputDim(),
                 "dfm learned drift: points must have dimension " + std::to_string(net_.outputDim()));
  const Mlp::Matrix in = driftNetworkInputs(x, std::vector<double>(std::size_t(x.cols()), t)).cast<float>();
  const Preconditioning c = preconditioning(bridge_, t);
  const Points m = c.skip * x + c.scale * net_.evaluate(in).cast<double>();
  return (m - x) / (1.0 - t);
}

}  // namespace driftlab
