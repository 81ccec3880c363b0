// The particle JKO step, THEORY.md §11.2. Any thread.
#include "flow/jko_step.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace driftlab::detail {

namespace {

// Phi(X) = F(X) + (1 / (2 tau N)) sum_i |x_i - x_i^k|^2; NaN when F is NaN
double proximalObjective(double f, const Points& x, const Points& x_prev, double tau) {
  const double n = double(x.cols());
  return f + (x - x_prev).squaredNorm() / (2.0 * tau * n);
}

double rms(const Points& m) { return m.cols() == 0 ? 0.0 : std::sqrt(m.squaredNorm() / double(m.cols())); }

}  // namespace

JkoResult jkoStep(const Points& x_prev, const JkoOptions& opt, const JkoField& field) {
  JkoResult out;
  const double tau = opt.tau;
  Points x = x_prev, v;
  double f = field(x, v);
  if (!v.allFinite()) {
    out.finite = false;
    return out;
  }
  // N grad Phi = (X - X^k) / tau - v(X); at X^k it is -v
  Points g = (x - x_prev) / tau - v;
  const double scale = tau * rms(v);  // the explicit Euler step's RMS length
  // the merit the line search keeps from rising: Phi, or the squared residual
  auto merit = [&](double f_at, const Points& x_at, const Points& g_at) {
    return opt.v_is_gradient ? proximalObjective(f_at, x_at, x_prev, tau) : g_at.squaredNorm();
  };
  std::deque<double> recent{merit(f, x, g)};  // the last few merits, for the non-monotone test
  double alpha = tau;                         // the first step lands on explicit Euler
  out.residual = tau * rms(g);
  if (out.residual <= opt.tol * scale) {
    out.x = std::move(x);
    out.converged = true;
    return out;
  }
  for (int it = 1; it <= opt.max_iterations; ++it) {
    out.iterations = it;
    Points x_new, v_new, g_new;
    double f_new = 0.0;
    bool accepted = false;
    const double ref = *std::max_element(recent.begin(), recent.end());
    for (int halving = 0; halving < 40 && !accepted; ++halving, alpha *= 0.5) {
      x_new = x - alpha * g;
      if (!x_new.allFinite()) continue;
      f_new = field(x_new, v_new);
      if (!v_new.allFinite()) continue;
      g_new = (x_new - x_prev) / tau - v_new;
      const double m = merit(f_new, x_new, g_new);
      // without a value of F there is nothing to compare: take the step
      accepted = std::isnan(ref) || std::isnan(m) || m <= ref;
      if (accepted) {
        recent.push_back(m);
        if (recent.size() > 5) recent.pop_front();
      }
    }
    if (!accepted) break;  // no step keeps the merit down: stop where we are (not converged)
    // Barzilai-Borwein step s.s / s.y from the change of position s and of gradient y
    const Points s = x_new - x;
    const double sy = (s.array() * (g_new - g).array()).sum();
    const double ss = s.squaredNorm();
    x = std::move(x_new);
    g = std::move(g_new);
    out.residual = tau * rms(g);
    if (out.residual <= opt.tol * scale) {
      out.converged = true;
      break;
    }
    alpha = sy > 0.0 && ss > 0.0 ? ss / sy : tau;
  }
  out.finite = x.allFinite();
  out.x = std::move(x);
  return out;
}

}  // namespace driftlab::detail
