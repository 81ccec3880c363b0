// A small multilayer perceptron for generator training (THEORY.md §7): dense layers with
// SiLU / ReLU / tanh hidden activations and a linear output layer, forward and backward passes on
// a whole batch at once (features x batch, one column per sample) so that every layer is one
// Eigen GEMM. Templated on the scalar type: the engine trains in float (speed), the tests check
// the float code path's maths with the double instantiation (gradient check, THEORY.md §7.1).
// Single-threaded object: owned by one thread at a time (the training thread).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

namespace driftlab {

enum class Activation { SiLU, ReLU, Tanh };
const char* activationName(Activation a);          // silu, relu, tanh
Activation parseActivation(std::string_view name);  // throws InvalidArgument naming the value

struct MlpArchitecture {
  int input_dim = 32;                    // latent dimension
  std::vector<int> hidden{256, 256, 256};
  int output_dim = 2;
  Activation activation = Activation::SiLU;

  // throws InvalidArgument naming the field, e.g. "generator.widths: every width must be in [1, 8192] (got 0)"
  void validate() const;
  long parameterCount() const;
  std::string label() const;            // "32-256-256-256-2 silu"
  bool operator==(const MlpArchitecture&) const = default;
};

// "256,256,256" -> {256, 256, 256}; an empty string means no hidden layer. Throws InvalidArgument.
std::vector<int> parseWidths(std::string_view list);
std::string widthsToString(const std::vector<int>& widths);

template <typename Scalar>
class BasicMlp {
 public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
  using MatrixMap = Eigen::Map<Matrix>;
  using ConstMatrixMap = Eigen::Map<const Matrix>;
  using VectorMap = Eigen::Map<Vector>;
  using ConstVectorMap = Eigen::Map<const Vector>;

  BasicMlp() = default;
  // Initialization from a seed: He (Kaiming-normal, std sqrt(2/fan_in)) for ReLU and SiLU
  // hidden layers, Xavier (Glorot-normal, std sqrt(2/(fan_in+fan_out))) for tanh and for the
  // linear output layer; biases 0. output_scale multiplies the output layer's weights (a value
  // like 1e-3 gives a "collapsed" generator whose outputs all sit near output_bias).
  // output_bias: empty = zeros, else output_dim values. Throws InvalidArgument.
  BasicMlp(const MlpArchitecture& arch, std::uint64_t seed, double output_scale = 1.0,
           std::span<const double> output_bias = {});

  const MlpArchitecture& architecture() const { return arch_; }
  int numLayers() const { return static_cast<int>(offsets_.size()); }
  int inputDim() const { return arch_.input_dim; }
  int outputDim() const { return arch_.output_dim; }

  // Forward pass on input (input_dim x B). Caches what backward() needs; the returned
  // reference stays valid until the next forward(). Large batches are split into column
  // chunks run on currentThreadPool() (thread_pool.hpp); the result does not depend on the
  // split beyond float rounding of the per-chunk GEMMs.
  const Matrix& forward(const Matrix& input);
  // Forward pass without touching the cache (const; for sampling and displays).
  Matrix evaluate(const Matrix& input) const;

  // Backward pass for the batch of the last forward(): grad_output = dL/d(output)
  // (output_dim x B). Overwrites parameterGradients() with dL/d(theta); returns dL/d(input)
  // only when want_input_grad (else an empty matrix).
  Matrix backward(const Matrix& grad_output, bool want_input_grad = false);

  // All parameters in one contiguous vector, layer by layer: W_l (column-major, out x in),
  // then b_l. Adam works on this flat view.
  std::span<Scalar> parameters() { return params_; }
  std::span<const Scalar> parameters() const { return params_; }
  std::span<const Scalar> parameterGradients() const { return grads_; }
  long parameterCount() const { return static_cast<long>(params_.size()); }

  // per-layer views into parameters() (l = 0 .. numLayers()-1)
  ConstMatrixMap weight(int l) const;
  MatrixMap weight(int l);
  ConstVectorMap bias(int l) const;
  VectorMap bias(int l);
  ConstMatrixMap weightGradient(int l) const;
  ConstVectorMap biasGradient(int l) const;

  // same architecture and parameters in another scalar type (the gradient check's double copy)
  template <typename Other>
  BasicMlp<Other> cast() const {
    BasicMlp<Other> out;
    out.initShape(arch_);
    for (std::size_t i = 0; i < params_.size(); ++i) out.params_[i] = static_cast<Other>(params_[i]);
    return out;
  }
  // allocates the parameter storage for arch (all zeros); used by model loading. Throws.
  void initShape(const MlpArchitecture& arch);

 private:
  template <typename> friend class BasicMlp;
  struct LayerOffset {
    std::size_t w, b;
    int rows, cols;
  };

  MlpArchitecture arch_;
  std::vector<LayerOffset> offsets_;
  // Eigen-aligned storage: Eigen picks its vectorised peeling from the runtime address, so with
  // plain vectors two identical networks could round a reduction differently depending on where
  // the heap put them (two engines trained alike diverged in the last bits, seen in tests)
  using AlignedVector = std::vector<Scalar, Eigen::aligned_allocator<Scalar>>;
  AlignedVector params_, grads_;
  // forward / backward on columns [c0, c0 + n) of the cache; backward writes its parameter
  // gradient into grad (the chunk's partial sum) and dL/d(input) into input_grad if non-null
  void forwardRange(long c0, long n);
  void backwardRange(const Matrix& grad_output, long c0, long n, Scalar* grad, Matrix* input_grad);

  // cache of the last forward(): inputs_[l] = input of layer l, pre_[l] = pre-activation of
  // hidden layer l (needed for the activation derivative)
  std::vector<Matrix> inputs_, pre_;
  Matrix output_;
  std::vector<AlignedVector> chunk_grads_;  // per-chunk partial gradients (thread-local)
};

extern template class BasicMlp<float>;
extern template class BasicMlp<double>;
using Mlp = BasicMlp<float>;
using MlpD = BasicMlp<double>;

}  // namespace driftlab
