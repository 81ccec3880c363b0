// The divergence table: each base field's name, one-line summary, app tooltip and, for an
// f-divergence, its f. THEORY.md §4.2, §4.4, §4.6 (drifts), §5.2 (f and w = rho f''), §5.3 (MMD),
// §14 (chi2 convention). Constant data; any thread.
#include <cmath>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/divergence.hpp"

namespace driftlab {

namespace {

// f of D_f(q||p) = E_p[f(rho)], rho = q/p, with f(1) = 0 (THEORY.md §5.2 table)
double fForwardKL(double r, double, Chi2Convention) { return r * std::log(r); }
double fReverseKL(double r, double, Chi2Convention) { return -std::log(r); }
double fChi2(double r, double, Chi2Convention c) { return (c == Chi2Convention::Full ? 1.0 : 0.5) * (r - 1) * (r - 1); }
double fChi2Reverse(double r, double, Chi2Convention) { return 1.0 / r - 1.0; }
double fHellinger(double r, double, Chi2Convention) { return (std::sqrt(r) - 1) * (std::sqrt(r) - 1); }
double fJS(double r, double, Chi2Convention) { return 0.5 * (r * std::log(r) - (1 + r) * std::log(0.5 * (1 + r))); }
double fAlpha(double r, double a, Chi2Convention c) {
  if (std::abs(a - 1.0) < 1e-9) return fForwardKL(r, a, c);
  if (std::abs(a) < 1e-9) return fReverseKL(r, a, c);
  return (std::pow(r, a) - a * r - (1.0 - a)) / (a * (a - 1.0));
}

constexpr DivergenceInfo kTable[] = {
    {Divergence::Drift, "drift", "Drifting Model mean shift V = V+ - V-, single normalization (THEORY.md §4.2)",
     "Drifting Model mean shift V = V+ - V- with single normalisation (THEORY.md §4.2, §6.2); works with any kernel.",
     nullptr},
    {Divergence::DriftDouble, "drift_double", "Drifting Model Algorithm 2 double normalization (THEORY.md §4.4)",
     "Drifting Model Algorithm 2 with double (row and column) normalisation (THEORY.md §4.4). Its gain collapses far "
     "from the data: watch a far initialisation freeze.",
     nullptr},
    {Divergence::ForwardKL, "forward_kl", "KL(q||p), weight 1: v = grad log p_hat - grad log q_hat (mode-seeking)",
     "KL(q||p), weight w = 1: the plain score difference (equals the Drifting field for a Gaussian kernel). "
     "Mode-seeking tendencies are mild.",
     fForwardKL},
    {Divergence::ReverseKL, "reverse_kl", "KL(p||q), weight p_hat/q_hat (mass-covering)",
     "KL(p||q), weight p_hat / q_hat: speeds up particles where data is under-covered, so it fights mode collapse "
     "(mass-covering), THEORY.md §5.2.",
     fReverseKL},
    {Divergence::Chi2, "chi2", "chi2(q||p), weight 2 q_hat/p_hat (or q_hat/p_hat with chi2_convention half, THEORY.md §14)",
     "chi2(q||p), weight 2 q_hat / p_hat (or q_hat / p_hat, see chi2 convention): pushes particles out of data-poor "
     "regions, fights blurring; can explode for particles far from the data (watch the displacement cap and "
     "warnings), THEORY.md §5.5.",
     fChi2},
    {Divergence::Chi2Reverse, "chi2_reverse", "chi2(p||q), weight 2 (p_hat/q_hat)^2",
     "chi2(p||q), weight 2 (p_hat / q_hat)^2: extreme mass covering; very large weights at uncovered data.",
     fChi2Reverse},
    {Divergence::Hellinger, "hellinger", "squared Hellinger, weight 0.5 (p_hat/q_hat)^(1/2)",
     "Squared Hellinger distance, weight 0.5 (p_hat / q_hat)^(1/2): between forward and reverse KL.", fHellinger},
    {Divergence::JS, "js", "Jensen-Shannon, weight 0.5 p_hat/(p_hat + q_hat)",
     "Jensen-Shannon, weight 0.5 p_hat / (p_hat + q_hat): bounded by 0.5, so it is slow but never explodes.", fJS},
    {Divergence::Alpha, "alpha", "alpha-divergence, weight rho^(alpha-1), rho = q_hat/p_hat (set alpha)",
     "Alpha divergence, weight rho^(alpha - 1): alpha = 1 is forward KL, 0 reverse KL, 2 half chi2. Set alpha below.",
     fAlpha},
    {Divergence::MMD, "mmd", "MMD flow with the unnormalized kernel (THEORY.md §5.3)",
     "MMD flow: gradient of the witness function, no density normalisation (THEORY.md §5.3). Very slow far from the "
     "data (the kernel vanishes there).",
     nullptr},
    {Divergence::Sinkhorn, "sinkhorn", "Sinkhorn drift T_qp(x) - T_qq(x), Gaussian cost, eps = h^2 (THEORY.md §4.6)",
     "Sinkhorn drift T_qp(x) - T_qq(x) with entropic plans, eps = h^2 (THEORY.md §4.6). Costlier per step; good at "
     "transporting mass globally.",
     nullptr},
};
static_assert(sizeof kTable / sizeof kTable[0] == kNumDivergences, "one table row per Divergence");

constexpr bool rowsInEnumOrder() {
  for (int i = 0; i < kNumDivergences; ++i) {
    if (static_cast<int>(kTable[i].id) != i) return false;
    if ((kTable[i].f != nullptr) != isFDivergence(kTable[i].id)) return false;
  }
  return true;
}
static_assert(rowsInEnumOrder(), "rows in enum order, and f given exactly for the f-divergences");

}  // namespace

const DivergenceInfo& divergenceInfo(Divergence d) { return kTable[static_cast<int>(d)]; }
const char* divergenceName(Divergence d) {
  const int i = static_cast<int>(d);
  return i >= 0 && i < kNumDivergences ? kTable[i].name : "?";
}

Divergence parseDivergence(std::string_view name) {
  std::string expected;
  for (const DivergenceInfo& row : kTable) {
    if (name == row.name) return row.id;
    if (!expected.empty()) expected += ", ";
    expected += row.name;
  }
  detail::throwInvalidArgument("divergence: unknown '" + std::string(name) + "' (expected one of " + expected +
                               ", or mixed)");
}

}  // namespace driftlab
