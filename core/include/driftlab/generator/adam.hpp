// Adam optimizer (Kingma & Ba 2015, Algorithm 1, bias-corrected; PyTorch's default form with
// eps added to sqrt(v_hat)) on a flat parameter vector. Single-threaded object.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace driftlab {

struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  // throws InvalidArgument naming the field: "generator.lr: must be > 0 (got -1)"
  void validate() const;
  bool operator==(const AdamOptions&) const = default;
};

class Adam {
 public:
  Adam() = default;
  Adam(long parameter_count, const AdamOptions& opt);

  // t <- t + 1; m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
  // theta <- theta - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
  // Moments are kept in double so that a long run does not drift from the formula.
  void step(std::span<float> params, std::span<const float> grads);
  void step(std::span<double> params, std::span<const double> grads);

  // hyper-parameters change live (the moments are kept); throws InvalidArgument
  void setOptions(const AdamOptions& opt);
  const AdamOptions& options() const { return opt_; }
  void reset();  // zero moments, t = 0
  long stepCount() const { return t_; }
  long parameterCount() const { return static_cast<long>(m_.size()); }

 private:
  template <typename S>
  void stepImpl(std::span<S> params, std::span<const S> grads);

  AdamOptions opt_;
  std::vector<double> m_, v_;
  long t_ = 0;
};

}  // namespace driftlab
