// The velocity fields the engine knows, their f-divergence weights, and mixtures of them.
// THEORY.md §4.2 and §4.4 (drift, drift_double), §5.2 (f-divergence weights), §5.3 (MMD), §5.5 (mixed),
// §4.6 (Sinkhorn drift). Pure functions; any thread.
#pragma once

#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

namespace driftlab {

// One entry per base field. A run's velocity is a non-negative weighted sum of these
// ("mixed" is a name for the default mixture, not a separate field).
enum class Divergence {
  Drift,        // DM mean shift V = V+ - V-, single normalization (any kernel), THEORY.md §4.2 / §6.2
  DriftDouble,  // DM Algorithm 2 double normalization, THEORY.md §4.4
  ForwardKL,    // KL(q||p): w = 1,  v = grad log p_hat - grad log q_hat
  ReverseKL,    // KL(p||q): w = p_hat / q_hat
  Chi2,         // chi2(q||p): w = 2 q_hat / p_hat (full convention) or q_hat / p_hat (half), THEORY.md §14
  Chi2Reverse,  // chi2(p||q): w = 2 (p_hat / q_hat)^2
  Hellinger,    // w = 0.5 (p_hat / q_hat)^(1/2)
  JS,           // w = 0.5 p_hat / (p_hat + q_hat)
  Alpha,        // w = rho^(alpha - 1), rho = q_hat / p_hat
  MMD,          // v = grad[(1/M) sum_j k(x, y_j) - (1/N) sum_i k(x, x_i)], unnormalized kernel
  Sinkhorn,     // Sinkhorn drift T^{qp}(x) - T^{qq}(x), THEORY.md §4.6 (Gaussian cost, eps = h^2)
};
inline constexpr int kNumDivergences = 11;

// Every field except the four below is an f-divergence: its velocity is w(rho) (grad log p_hat -
// grad log q_hat) with the weight of fDivergenceWeight, and its value comes from its f (table below).
constexpr bool isFDivergence(Divergence d) {
  return d != Divergence::Drift && d != Divergence::DriftDouble && d != Divergence::MMD && d != Divergence::Sinkhorn;
}

// chi2 normalization, THEORY.md §14: Full = weight 2 q/p (default, the f = (t-1)^2 form), Half = q/p.
enum class Chi2Convention { Full, Half };

// The divergence table (core/src/field/divergence_table.cpp): one row per Divergence, in enum order.
// Names, listings, app tooltips and the generic value estimators come from it, so a new
// f-divergence is its enum entry and weight (this file), its row, and its test.
struct DivergenceInfo {
  Divergence id;
  const char* name;     // as in --divergence NAME, weights.NAME and scenario files
  const char* summary;  // one line for `driftlab-cli divergences`
  const char* help;     // the app's tooltip: what it does and what to watch
  // f-divergences only (nullptr otherwise): f with f(1) = 0 and D_f(q||p) = E_p[f(q/p)], THEORY.md §5.2;
  // rho f''(rho) must equal fDivergenceWeight (a test checks it).
  double (*f)(double rho, double alpha, Chi2Convention chi2);
};
const DivergenceInfo& divergenceInfo(Divergence d);

const char* divergenceName(Divergence d);           // the table's name
Divergence parseDivergence(std::string_view name);  // throws InvalidArgument; "mixed" is not a Divergence

struct DivergenceWeights {
  std::array<double, kNumDivergences> w{};  // indexed by int(Divergence); all >= 0, not all 0
  double& operator[](Divergence d) { return w[static_cast<int>(d)]; }
  double operator[](Divergence d) const { return w[static_cast<int>(d)]; }
  static DivergenceWeights single(Divergence d);
  // the paper's mixed strategy: reverse_kl = 1, chi2 = 0.5 (with the Full chi2 convention this is
  // v = (p/q + q/p)(grad log p - grad log q)), THEORY.md §5.5
  static DivergenceWeights mixedDefault();
  // "drift", "forward_kl", ..., or "mixed"; throws InvalidArgument
  static DivergenceWeights fromName(std::string_view name);
  // "reverse_kl=1,chi2=0.5"; throws InvalidArgument naming the bad entry
  static DivergenceWeights parseList(std::string_view list);
  std::string toList() const;    // inverse of parseList (only non-zero entries)
  std::string label() const;     // "forward_kl", or "mixed(reverse_kl=1,chi2=0.5)" for a mixture
  bool isSingle() const;
};
// throws InvalidArgument naming the entry when a weight is negative or not finite, or when all are 0
void validateWeights(const DivergenceWeights& w);

namespace detail {
[[noreturn]] void throwNotFDivergence(Divergence d);
}

// f-divergence weight w(rho) = rho f''(rho), rho = q_hat / p_hat (already clamped), THEORY.md §5.2
// table. chi2 convention: THEORY.md §14 (unverified factor 2; exposed as VelocityOptions::chi2).
// Inline: the plug-in field calls it per row and term (a million rows per grid step).
inline double fDivergenceWeight(Divergence d, double rho, double alpha, Chi2Convention chi2) {
  switch (d) {
    case Divergence::ForwardKL: return 1.0;
    case Divergence::ReverseKL: return 1.0 / rho;
    case Divergence::Chi2: return chi2 == Chi2Convention::Full ? 2.0 * rho : rho;
    case Divergence::Chi2Reverse: return 2.0 / (rho * rho);
    case Divergence::Hellinger: return 0.5 / std::sqrt(rho);
    case Divergence::JS: return 0.5 / (1.0 + rho);
    case Divergence::Alpha: return std::pow(rho, alpha - 1.0);
    default: detail::throwNotFDivergence(d);
  }
}

}  // namespace driftlab
