// The particle JKO step, THEORY.md §11.2. Any thread.
#include "flow/jko_step.hpp"

#include <Eigen/QR>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <vector>

namespace driftlab::detail {

namespace {

// Phi(X) = F(X) + (1 / (2 tau N)) sum_i |x_i - x_i^k|^2; NaN when F is NaN
double proximalObjective(double f, const Points& x, const Points& x_prev, double tau) {
  const double n = double(x.cols());
  return f + (x - x_prev).squaredNorm() / (2.0 * tau * n);
}

double rms(const Points& m) { return m.cols() == 0 ? 0.0 : std::sqrt(m.squaredNorm() / double(m.cols())); }

}  // namespace

// The plug-in case: solve G(X) = (X - X^k) / tau - v(X) = 0 by inexact Newton steps. Each step
// solves (I / tau - J) d = -G by GMRES, with the products J u taken by finite differences of v
// (one velocity evaluation each), then halves d until |G|^2 falls by the Armijo fraction. The
// direction descends |G|^2 even where v expands (J with eigenvalues above 1 / tau), where the
// plain -G direction rises: that is where the KDE score of a cloud narrower than its target
// pushes particles apart (THEORY.md §11.2).
static JkoResult newtonKrylovStep(const Points& x_prev, const JkoOptions& opt, const JkoField& field) {
  JkoResult out;
  const double tau = opt.tau;
  const Eigen::Index rows = x_prev.rows(), cols = x_prev.cols();
  Points x = x_prev, v;
  field(x, v);
  if (!v.allFinite()) {
    out.finite = false;
    return out;
  }
  Points g = (x - x_prev) / tau - v;
  const double scale = tau * rms(v);
  out.residual = tau * rms(g);
  if (out.residual <= opt.tol * scale) {
    out.x = std::move(x);
    out.converged = true;
    return out;
  }
  constexpr int kKrylov = 30;          // GMRES iterations per Newton step at most
  constexpr double kForcing = 0.1;     // GMRES stops at 10 % of |G|
  constexpr double kStagnation = 0.99;
  auto flat = [](const Points& m) { return Eigen::Map<const Eigen::VectorXd>(m.data(), m.size()); };
  for (int it = 1; it <= opt.max_iterations; ++it) {
    out.iterations = it;
    // A u = u / tau - J u, J u ~ (v(x + eps u) - v(x)) / eps
    const double x_norm = std::sqrt(x.squaredNorm() / double(x.size()));
    auto apply = [&](const Eigen::VectorXd& u) -> Eigen::VectorXd {
      const double u_norm = std::sqrt(u.squaredNorm() / double(u.size()));
      if (u_norm == 0.0) return Eigen::VectorXd::Zero(u.size());
      const double eps = 1e-7 * (1.0 + x_norm) / u_norm;
      Points xu = x + eps * Eigen::Map<const Points>(u.data(), rows, cols);
      Points vu;
      field(xu, vu);
      const Eigen::VectorXd ju = (flat(vu) - flat(v)) / eps;
      return u / tau - ju;
    };
    // GMRES from d = 0 on A d = -G (modified Gram-Schmidt, least squares by QR each iteration)
    const Eigen::VectorXd b = -flat(g);
    const double beta = b.norm();
    std::vector<Eigen::VectorXd> basis{b / beta};
    Eigen::MatrixXd h = Eigen::MatrixXd::Zero(kKrylov + 1, kKrylov);
    Eigen::VectorXd y;
    for (int j = 0; j < kKrylov; ++j) {
      Eigen::VectorXd w = apply(basis[std::size_t(j)]);
      if (!w.allFinite()) break;
      for (int i = 0; i <= j; ++i) {
        h(i, j) = w.dot(basis[std::size_t(i)]);
        w -= h(i, j) * basis[std::size_t(i)];
      }
      h(j + 1, j) = w.norm();
      Eigen::VectorXd rhs = Eigen::VectorXd::Zero(j + 2);
      rhs[0] = beta;
      const Eigen::MatrixXd hj = h.topLeftCorner(j + 2, j + 1);
      y = hj.colPivHouseholderQr().solve(rhs);
      const double lin_residual = (rhs - hj * y).norm();
      if (lin_residual <= kForcing * beta || h(j + 1, j) <= 1e-14 * beta) break;
      basis.push_back(w / h(j + 1, j));
    }
    if (y.size() == 0) break;
    Eigen::VectorXd d_flat = Eigen::VectorXd::Zero(b.size());
    for (Eigen::Index i = 0; i < y.size(); ++i) d_flat += y[i] * basis[std::size_t(i)];
    const Points d = Eigen::Map<const Points>(d_flat.data(), rows, cols);
    // Armijo halving on |G|^2
    const double merit = g.squaredNorm();
    bool accepted = false;
    double alpha = 1.0;
    for (int halving = 0; halving < 30 && !accepted; ++halving, alpha *= 0.5) {
      Points x_new = x + alpha * d;
      if (!x_new.allFinite()) continue;
      Points v_new;
      field(x_new, v_new);
      if (!v_new.allFinite()) continue;
      Points g_new = (x_new - x_prev) / tau - v_new;
      if (g_new.squaredNorm() <= (1.0 - 1e-4 * alpha) * merit) {
        x = std::move(x_new);
        v = std::move(v_new);
        g = std::move(g_new);
        accepted = true;
      }
    }
    if (!accepted) {
      out.stalled = it == 1;
      break;
    }
    const double previous = out.residual;
    out.residual = tau * rms(g);
    if (out.residual <= opt.tol * scale) {
      out.converged = true;
      break;
    }
    // less than 1 % gained: |G|^2 is near a local minimum that is not a solution (a kernel well
    // below the particles' spacing makes v rough), where further steps only cost evaluations
    if (out.residual > kStagnation * previous) break;
  }
  out.finite = x.allFinite();
  out.x = std::move(x);
  return out;
}

JkoResult jkoStep(const Points& x_prev, const JkoOptions& opt, const JkoField& field) {
  if (!opt.v_is_gradient) return newtonKrylovStep(x_prev, opt, field);
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
    if (!accepted) {  // no step keeps the merit down: stop where we are (not converged)
      out.stalled = it == 1;
      break;
    }
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
