// The learned DFM drift, THEORY.md §12.4. Single-threaded object (learned_dfm_drift.hpp).
#include "driftlab/generator/learned_dfm_drift.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "base/rng.hpp"
#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

// the network sees (x, 2t - 1): time centred like the coordinates
void writeInputs(Mlp::Matrix& in, const Points& x, const std::vector<double>& t) {
  const long d = x.rows();
  for (long e = 0; e < x.cols(); ++e) {
    for (long r = 0; r < d; ++r) in(r, e) = static_cast<float>(x(r, e));
    in(d, e) = static_cast<float>(2.0 * t[std::size_t(e)] - 1.0);
  }
}

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
  Mlp::Matrix in(d + 1, batch_);
  writeInputs(in, xt, t);
  const Mlp::Matrix& out = net_.forward(in);
  // L = mean (m - x1)^2 over batch x d with m = skip x_t + scale net;
  // dL/dnet = 2 scale (m - x1) / (batch d)
  Mlp::Matrix grad(d, batch_);
  double loss = 0.0;
  for (int k = 0; k < batch_; ++k) {
    const Preconditioning c = preconditioning(bridge_, t[std::size_t(k)]);
    for (long r = 0; r < d; ++r) {
      const double m = c.skip * xt(r, k) + c.scale * double(out(r, k));
      const double diff = m - x1(r, k);
      loss += diff * diff;
      grad(r, k) = static_cast<float>(2.0 * c.scale * diff / double(batch_ * d));
    }
  }
  loss /= double(batch_ * d);
  net_.backward(grad);
  if (decay_steps_ > 0) {
    // cosine decay: large steps find the shape, small ones its precision
    const double progress = std::min(1.0, double(steps_) / double(decay_steps_));
    AdamOptions adam = adam_.options();
    adam.lr = lr_ * (0.05 + 0.95 * 0.5 * (1.0 + std::cos(3.14159265358979323846 * progress)));
    adam_.setOptions(adam);
  }
  adam_.step(net_.parameters(), net_.parameterGradients());
  ++steps_;
  return loss;
}

Points LearnedDfmDrift::drift(const Points& x, double t) const {
  DRIFTLAB_CHECK(t >= 0.0 && t < 1.0, "dfm learned drift: t must be in [0, 1)");
  DRIFTLAB_CHECK(x.rows() == net_.outputDim(),
                 "dfm learned drift: points must have dimension " + std::to_string(net_.outputDim()));
  Mlp::Matrix in(x.rows() + 1, x.cols());
  writeInputs(in, x, std::vector<double>(std::size_t(x.cols()), t));
  const Preconditioning c = preconditioning(bridge_, t);
  const Points m = c.skip * x + c.scale * net_.evaluate(in).cast<double>();
  return (m - x) / (1.0 - t);
}

}  // namespace driftlab
