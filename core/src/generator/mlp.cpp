// Dense MLP forward/backward on whole batches (one GEMM per layer). See mlp.hpp.
#include "driftlab/generator/mlp.hpp"

#include <cmath>
#include <cstdlib>
#include <random>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"

namespace driftlab {

namespace {

constexpr int kMaxWidth = 8192;
constexpr int kMaxLayers = 64;
// below this many columns per thread the GEMMs are too small to be worth a thread hand-off
constexpr long kMinChunk = 256;

template <typename Derived>
auto sigmoid(const Eigen::ArrayBase<Derived>& z) {
  using S = typename Derived::Scalar;
  // 1 / (1 + e^-z): for z << 0 e^-z overflows to inf and the result is the correct 0
  return (S(1) + (-z).exp()).inverse();
}

}  // namespace

const char* activationName(Activation a) {
  switch (a) {
    case Activation::SiLU: return "silu";
    case Activation::ReLU: return "relu";
    case Activation::Tanh: return "tanh";
  }
  return "silu";
}

Activation parseActivation(std::string_view name) {
  if (name == "silu" || name == "swish") return Activation::SiLU;
  if (name == "relu") return Activation::ReLU;
  if (name == "tanh") return Activation::Tanh;
  detail::throwInvalidArgument("activation: unknown '" + std::string(name) + "' (expected silu, relu or tanh)");
}

void MlpArchitecture::validate() const {
  DRIFTLAB_CHECK(input_dim >= 1 && input_dim <= kMaxWidth,
                 "generator.latent: must be in [1, " + std::to_string(kMaxWidth) + "] (got " +
                     std::to_string(input_dim) + ")");
  DRIFTLAB_CHECK(output_dim >= 1 && output_dim <= kMaxWidth,
                 "generator.output_dim: must be in [1, " + std::to_string(kMaxWidth) + "] (got " +
                     std::to_string(output_dim) + ")");
  DRIFTLAB_CHECK(static_cast<int>(hidden.size()) < kMaxLayers,
                 "generator.widths: at most " + std::to_string(kMaxLayers - 1) + " hidden layers (got " +
                     std::to_string(hidden.size()) + ")");
  for (int w : hidden)
    DRIFTLAB_CHECK(w >= 1 && w <= kMaxWidth, "generator.widths: every width must be in [1, " +
                                                 std::to_string(kMaxWidth) + "] (got " + std::to_string(w) + ")");
}

long MlpArchitecture::parameterCount() const {
  long count = 0;
  int in = input_dim;
  for (int w : hidden) {
    count += static_cast<long>(w) * in + w;
    in = w;
  }
  return count + static_cast<long>(output_dim) * in + output_dim;
}

std::string MlpArchitecture::label() const {
  std::string s = std::to_string(input_dim);
  for (int w : hidden) s += "-" + std::to_string(w);
  s += "-" + std::to_string(output_dim) + " " + activationName(activation);
  return s;
}

std::vector<int> parseWidths(std::string_view list) {
  std::vector<int> out;
  std::size_t pos = 0;
  while (pos < list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string item(list.substr(pos, comma - pos));
    char* end = nullptr;
    long v = std::strtol(item.c_str(), &end, 10);
    DRIFTLAB_CHECK(!item.empty() && end && *end == '\0' && v >= 1 && v <= kMaxWidth,
                   "generator.widths: every width must be an integer in [1, " + std::to_string(kMaxWidth) +
                       "] (got '" + item + "')");
    out.push_back(static_cast<int>(v));
    pos = comma + 1;
  }
  DRIFTLAB_CHECK(static_cast<int>(out.size()) < kMaxLayers,
                 "generator.widths: at most " + std::to_string(kMaxLayers - 1) + " hidden layers (got " +
                     std::to_string(out.size()) + ")");
  return out;
}

std::string widthsToString(const std::vector<int>& widths) {
  std::string s;
  for (std::size_t i = 0; i < widths.size(); ++i) s += (i ? "," : "") + std::to_string(widths[i]);
  return s;
}

template <typename Scalar>
void BasicMlp<Scalar>::initShape(const MlpArchitecture& arch) {
  arch.validate();
  arch_ = arch;
  offsets_.clear();
  std::size_t off = 0;
  int in = arch.input_dim;
  auto add = [&](int out) {
    LayerOffset lo{off, off + static_cast<std::size_t>(out) * in, out, in};
    offsets_.push_back(lo);
    off = lo.b + out;
    in = out;
  };
  for (int w : arch.hidden) add(w);
  add(arch.output_dim);
  params_.assign(off, Scalar(0));
  grads_.assign(off, Scalar(0));
  inputs_.assign(offsets_.size(), Matrix());
  pre_.assign(offsets_.size(), Matrix());
  output_.resize(0, 0);
}

template <typename Scalar>
BasicMlp<Scalar>::BasicMlp(const MlpArchitecture& arch, std::uint64_t seed, double output_scale,
                           std::span<const double> output_bias) {
  initShape(arch);
  DRIFTLAB_CHECK(std::isfinite(output_scale) && output_scale > 0,
                 "generator.init_scale: must be > 0 (got " + std::to_string(output_scale) + ")");
  DRIFTLAB_CHECK(output_bias.empty() || static_cast<int>(output_bias.size()) == arch.output_dim,
                 "generator.init_center: expected " + std::to_string(arch.output_dim) + " values (got " +
                     std::to_string(output_bias.size()) + ")");
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  const int last = numLayers() - 1;
  for (int l = 0; l <= last; ++l) {
    const LayerOffset& lo = offsets_[l];
    const bool he = l < last && arch.activation != Activation::Tanh;
    // He keeps the activation variance constant through (leaky-)rectifier-like units; Xavier
    // is the variance-preserving choice for tanh and for the linear output.
    double std = he ? std::sqrt(2.0 / lo.cols) : std::sqrt(2.0 / (lo.cols + lo.rows));
    if (l == last) std *= output_scale;
    MatrixMap w = weight(l);
    for (int c = 0; c < lo.cols; ++c)
      for (int r = 0; r < lo.rows; ++r) w(r, c) = static_cast<Scalar>(std * normal(rng));
  }
  if (!output_bias.empty()) {
    VectorMap b = bias(last);
    for (int r = 0; r < arch.output_dim; ++r) {
      DRIFTLAB_CHECK(std::isfinite(output_bias[r]), "generator.init_center: values must be finite");
      b(r) = static_cast<Scalar>(output_bias[r]);
    }
  }
}

template <typename Scalar>
typename BasicMlp<Scalar>::ConstMatrixMap BasicMlp<Scalar>::weight(int l) const {
  const LayerOffset& lo = offsets_.at(l);
  return ConstMatrixMap(params_.data() + lo.w, lo.rows, lo.cols);
}
template <typename Scalar>
typename BasicMlp<Scalar>::MatrixMap BasicMlp<Scalar>::weight(int l) {
  const LayerOffset& lo = offsets_.at(l);
  return MatrixMap(params_.data() + lo.w, lo.rows, lo.cols);
}
template <typename Scalar>
typename BasicMlp<Scalar>::ConstVectorMap BasicMlp<Scalar>::bias(int l) const {
  const LayerOffset& lo = offsets_.at(l);
  return ConstVectorMap(params_.data() + lo.b, lo.rows);
}
template <typename Scalar>
typename BasicMlp<Scalar>::VectorMap BasicMlp<Scalar>::bias(int l) {
  const LayerOffset& lo = offsets_.at(l);
  return VectorMap(params_.data() + lo.b, lo.rows);
}
template <typename Scalar>
typename BasicMlp<Scalar>::ConstMatrixMap BasicMlp<Scalar>::weightGradient(int l) const {
  const LayerOffset& lo = offsets_.at(l);
  return ConstMatrixMap(grads_.data() + lo.w, lo.rows, lo.cols);
}
template <typename Scalar>
typename BasicMlp<Scalar>::ConstVectorMap BasicMlp<Scalar>::biasGradient(int l) const {
  const LayerOffset& lo = offsets_.at(l);
  return ConstVectorMap(grads_.data() + lo.b, lo.rows);
}

template <typename Scalar>
void BasicMlp<Scalar>::forwardRange(long c0, long n) {
  const int last = numLayers() - 1;
  for (int l = 0; l <= last; ++l) {
    auto z = (l < last ? pre_[l] : output_).middleCols(c0, n);
    z.noalias() = weight(l) * inputs_[l].middleCols(c0, n);
    z.colwise() += bias(l);
    if (l == last) break;
    auto a = inputs_[l + 1].middleCols(c0, n);
    switch (arch_.activation) {
      case Activation::SiLU: a = (z.array() * sigmoid(z.array())).matrix(); break;
      case Activation::ReLU: a = z.cwiseMax(Scalar(0)); break;
      case Activation::Tanh: a = z.array().tanh().matrix(); break;
    }
  }
}

template <typename Scalar>
const typename BasicMlp<Scalar>::Matrix& BasicMlp<Scalar>::forward(const Matrix& input) {
  DRIFTLAB_CHECK(!offsets_.empty(), "mlp: forward on an uninitialized network");
  DRIFTLAB_CHECK(input.rows() == arch_.input_dim,
                 "mlp: input has " + std::to_string(input.rows()) + " rows, expected " +
                     std::to_string(arch_.input_dim));
  const long batch = input.cols();
  const int last = numLayers() - 1;
  inputs_[0] = input;
  for (int l = 0; l < last; ++l) {
    pre_[l].resize(offsets_[l].rows, batch);
    inputs_[l + 1].resize(offsets_[l].rows, batch);
  }
  output_.resize(offsets_[last].rows, batch);
  // columns are independent samples: one chunk of columns per pool thread
  currentThreadPool().parallelFor(0, batch, [&](long c0, long c1, int) { forwardRange(c0, c1 - c0); }, kMinChunk);
  return output_;
}

template <typename Scalar>
typename BasicMlp<Scalar>::Matrix BasicMlp<Scalar>::evaluate(const Matrix& input) const {
  DRIFTLAB_CHECK(!offsets_.empty(), "mlp: evaluate on an uninitialized network");
  DRIFTLAB_CHECK(input.rows() == arch_.input_dim,
                 "mlp: input has " + std::to_string(input.rows()) + " rows, expected " +
                     std::to_string(arch_.input_dim));
  const int last = numLayers() - 1;
  Matrix out(arch_.output_dim, input.cols());
  currentThreadPool().parallelFor(
      0, input.cols(),
      [&](long c0, long c1, int) {
        Matrix a = input.middleCols(c0, c1 - c0), z;
        for (int l = 0; l <= last; ++l) {
          z.noalias() = weight(l) * a;
          z.colwise() += bias(l);
          if (l == last) break;
          switch (arch_.activation) {
            case Activation::SiLU: a = (z.array() * sigmoid(z.array())).matrix(); break;
            case Activation::ReLU: a = z.cwiseMax(Scalar(0)); break;
            case Activation::Tanh: a = z.array().tanh().matrix(); break;
          }
        }
        out.middleCols(c0, c1 - c0) = z;
      },
      kMinChunk);
  return out;
}

template <typename Scalar>
void BasicMlp<Scalar>::backwardRange(const Matrix& grad_output, long c0, long n, Scalar* grad, Matrix* input_grad) {
  const int last = numLayers() - 1;
  Matrix delta = grad_output.middleCols(c0, n);  // dL/dz of the current layer
  Matrix upstream;
  for (int l = last; l >= 0; --l) {
    const LayerOffset& lo = offsets_[l];
    MatrixMap gw(grad + lo.w, lo.rows, lo.cols);
    VectorMap gb(grad + lo.b, lo.rows);
    gw.noalias() = delta * inputs_[l].middleCols(c0, n).transpose();
    gb = delta.rowwise().sum();
    if (l == 0) {
      if (input_grad) input_grad->middleCols(c0, n).noalias() = weight(0).transpose() * delta;
      break;
    }
    upstream.noalias() = weight(l).transpose() * delta;  // dL/d(input of layer l)
    // through the activation of hidden layer l-1: dL/dz = dL/da * a'(z)
    const auto z = pre_[l - 1].middleCols(c0, n).array();
    switch (arch_.activation) {
      case Activation::SiLU: {
        // d/dz [z s(z)] = s(z) (1 + z (1 - s(z)))
        auto s = sigmoid(z).eval();
        delta = (upstream.array() * s * (Scalar(1) + z * (Scalar(1) - s))).matrix();
        break;
      }
      case Activation::ReLU:
        delta = (upstream.array() * (z > Scalar(0)).template cast<Scalar>()).matrix();
        break;
      case Activation::Tanh:
        // a = tanh(z) is the next layer's input: a' = 1 - a^2
        delta = (upstream.array() * (Scalar(1) - inputs_[l].middleCols(c0, n).array().square())).matrix();
        break;
    }
  }
}

template <typename Scalar>
typename BasicMlp<Scalar>::Matrix BasicMlp<Scalar>::backward(const Matrix& grad_output, bool want_input_grad) {
  DRIFTLAB_CHECK(output_.cols() > 0 && grad_output.rows() == output_.rows() && grad_output.cols() == output_.cols(),
                 "mlp: backward needs dL/d(output) of the last forward's shape (" + std::to_string(output_.rows()) +
                     " x " + std::to_string(output_.cols()) + ")");
  const long batch = output_.cols();
  Matrix input_grad;
  if (want_input_grad) input_grad.resize(arch_.input_dim, batch);
  ThreadPool& pool = currentThreadPool();
  if (static_cast<int>(chunk_grads_.size()) < pool.size()) chunk_grads_.resize(static_cast<std::size_t>(pool.size()));
  std::vector<char> used(chunk_grads_.size(), 0);
  // each chunk sums its own columns' gradient; the partial sums are added afterwards
  pool.parallelFor(
      0, batch,
      [&](long c0, long c1, int chunk) {
        AlignedVector& g = chunk == 0 ? grads_ : chunk_grads_[static_cast<std::size_t>(chunk)];
        g.resize(grads_.size());
        used[static_cast<std::size_t>(chunk)] = 1;
        backwardRange(grad_output, c0, c1 - c0, g.data(), want_input_grad ? &input_grad : nullptr);
      },
      kMinChunk);
  VectorMap total(grads_.data(), static_cast<Eigen::Index>(grads_.size()));
  for (std::size_t c = 1; c < chunk_grads_.size(); ++c)
    if (used[c]) total += ConstVectorMap(chunk_grads_[c].data(), static_cast<Eigen::Index>(grads_.size()));
  return input_grad;
}

template class BasicMlp<float>;
template class BasicMlp<double>;

}  // namespace driftlab
