// Adam, see adam.hpp.
#include "driftlab/generator/adam.hpp"

#include <cmath>
#include <cstdio>
#include <algorithm>
#include <string>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {
std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

void AdamOptions::validate() const {
  DRIFTLAB_CHECK(std::isfinite(lr) && lr > 0 && lr <= 10, "generator.lr: must be in (0, 10] (got " + num(lr) + ")");
  DRIFTLAB_CHECK(std::isfinite(beta1) && beta1 >= 0 && beta1 < 1,
                 "generator.beta1: must be in [0, 1) (got " + num(beta1) + ")");
  DRIFTLAB_CHECK(std::isfinite(beta2) && beta2 >= 0 && beta2 < 1,
                 "generator.beta2: must be in [0, 1) (got " + num(beta2) + ")");
  DRIFTLAB_CHECK(std::isfinite(eps) && eps > 0, "generator.adam_eps: must be > 0 (got " + num(eps) + ")");
}

Adam::Adam(long parameter_count, const AdamOptions& opt) : opt_(opt) {
  opt.validate();
  DRIFTLAB_CHECK(parameter_count >= 0, "adam: negative parameter count");
  m_.assign(static_cast<std::size_t>(parameter_count), 0.0);
  v_.assign(static_cast<std::size_t>(parameter_count), 0.0);
}

void Adam::setOptions(const AdamOptions& opt) {
  opt.validate();
  opt_ = opt;
}

void Adam::reset() {
  std::fill(m_.begin(), m_.end(), 0.0);
  std::fill(v_.begin(), v_.end(), 0.0);
  t_ = 0;
}

template <typename S>
void Adam::stepImpl(std::span<S> params, std::span<const S> grads) {
  DRIFTLAB_CHECK(params.size() == m_.size() && grads.size() == m_.size(),
                 "adam: expected " + std::to_string(m_.size()) + " parameters and gradients (got " +
                     std::to_string(params.size()) + " and " + std::to_string(grads.size()) + ")");
  ++t_;
  const double b1 = opt_.beta1, b2 = opt_.beta2;
  const double c1 = 1.0 - std::pow(b1, static_cast<double>(t_));
  const double c2 = 1.0 - std::pow(b2, static_cast<double>(t_));
  // fold the bias corrections into one step size and one eps: identical to the formula
  // lr * m_hat / (sqrt(v_hat) + eps) after multiplying through by sqrt(c2)
  const double step = opt_.lr * std::sqrt(c2) / c1;
  const double eps_hat = opt_.eps * std::sqrt(c2);
  const std::size_t n = m_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const double g = static_cast<double>(grads[i]);
    const double m = b1 * m_[i] + (1.0 - b1) * g;
    const double v = b2 * v_[i] + (1.0 - b2) * g * g;
    m_[i] = m;
    v_[i] = v;
    params[i] = static_cast<S>(static_cast<double>(params[i]) - step * m / (std::sqrt(v) + eps_hat));
  }
}

void Adam::step(std::span<float> params, std::span<const float> grads) { stepImpl<float>(params, grads); }
void Adam::step(std::span<double> params, std::span<const double> grads) { stepImpl<double>(params, grads); }

}  // namespace driftlab
