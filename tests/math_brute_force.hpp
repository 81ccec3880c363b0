// Test-only brute-force references for the math tests: kernel values and gradients written out from the
// THEORY.md §2.1 table, plain double loops with std::exp of kernel values (no log-sum-exp, no blocking), and
// the literal matrix forms of DM Algorithm 2 and of Sinkhorn scaling. Independent of core/src on purpose.
#pragma once

#include <cmath>
#include <vector>

#include "driftlab/field/divergence.hpp"
#include "driftlab/kde/kernel.hpp"
#include "driftlab/base/types.hpp"

namespace bf {

using driftlab::Divergence;
using driftlab::KernelKind;
using driftlab::KernelSpec;
using driftlab::Points;

// kappa(r)
inline double kval(const KernelSpec& s, int d, double r) {
  const double h = s.h;
  switch (s.kind) {
    case KernelKind::Gaussian: return std::exp(-r * r / (2 * h * h));
    case KernelKind::Laplacian: return std::exp(-r / h);
    case KernelKind::Matern32: return (1 + r / h) * std::exp(-r / h);
    case KernelKind::StudentT: return std::pow(1 + r * r / (s.nu * h * h), -(s.nu + d) / 2);
    case KernelKind::IMQ: return std::pow(s.c * s.c + r * r / (h * h), -s.beta);
    case KernelKind::Cauchy: return 1 / (1 + r * r / (h * h));
  }
  return 0;
}

// g with grad_x k(x, y) = g (y - x), as in THEORY.md §2.1 (grad_x k = kappa(r) c(r) (y - x))
inline double kgrad(const KernelSpec& s, int d, double r) {
  const double h = s.h;
  switch (s.kind) {
    case KernelKind::Gaussian: return std::exp(-r * r / (2 * h * h)) / (h * h);
    case KernelKind::Laplacian: return r > 0 ? std::exp(-r / h) / (h * r) : 0.0;
    case KernelKind::Matern32: return std::exp(-r / h) / (h * h);
    case KernelKind::StudentT: {
      const double a = (s.nu + d) / 2;
      return 2 * a / (s.nu * h * h) * std::pow(1 + r * r / (s.nu * h * h), -a - 1);
    }
    case KernelKind::IMQ: return 2 * s.beta / (h * h) * std::pow(s.c * s.c + r * r / (h * h), -s.beta - 1);
    case KernelKind::Cauchy: return 2 / (h * h) / std::pow(1 + r * r / (h * h), 2);
  }
  return 0;
}

inline double fweight(Divergence t, double rho, double alpha, bool chi2_full) {
  switch (t) {
    case Divergence::ForwardKL: return 1;
    case Divergence::ReverseKL: return 1 / rho;
    case Divergence::Chi2: return chi2_full ? 2 * rho : rho;
    case Divergence::Chi2Reverse: return 2 / (rho * rho);
    case Divergence::Hellinger: return 0.5 * std::pow(rho, -0.5);
    case Divergence::JS: return 0.5 / (1 + rho);
    case Divergence::Alpha: return std::pow(rho, alpha - 1);
    default: return 0;
  }
}

struct Sums {
  double s = 0;            // sum k
  Eigen::VectorXd g, m;    // sum grad_e k, sum k (src - e)
};

inline Sums sums(const Eigen::VectorXd& e, const Points& src, int skip, const KernelSpec& ks) {
  const int d = int(e.size());
  Sums out{0, Eigen::VectorXd::Zero(d), Eigen::VectorXd::Zero(d)};
  for (long j = 0; j < src.cols(); ++j) {
    if (j == skip) continue;
    const Eigen::VectorXd u = src.col(j) - e;
    const double r = u.norm();
    out.s += kval(ks, d, r);
    out.g += kgrad(ks, d, r) * u;
    out.m += kval(ks, d, r) * u;
  }
  return out;
}

struct Opts {
  bool loo = true;
  double alpha = 0.5;
  bool chi2_full = true;
  double rmin = 1e-6, rmax = 1e6;
};

// drift, f-divergences and MMD at eval points (self[e] = own particle index or -1)
inline Points field(Divergence t, const Points& eval, const std::vector<int>& self, const Points& x,
                    const Points& y, const KernelSpec& ks, const Opts& o) {
  Points v = Points::Zero(eval.rows(), eval.cols());
  const double m_count = double(y.cols());
  for (long e = 0; e < eval.cols(); ++e) {
    const int skip = (o.loo && !self.empty()) ? self[std::size_t(e)] : -1;
    const Sums p = sums(eval.col(e), y, -1, ks), q = sums(eval.col(e), x, skip, ks);
    const double n_count = double(x.cols() - (skip >= 0 ? 1 : 0));
    const Eigen::VectorXd sp = p.g / p.s;
    const Eigen::VectorXd sq = q.s > 0 ? Eigen::VectorXd(q.g / q.s) : Eigen::VectorXd::Zero(eval.rows());
    if (t == Divergence::Drift) {
      v.col(e) = p.m / p.s - (q.s > 0 ? Eigen::VectorXd(q.m / q.s) : Eigen::VectorXd::Zero(eval.rows()));
    } else if (t == Divergence::MMD) {
      v.col(e) = p.g / m_count - (n_count > 0 ? Eigen::VectorXd(q.g / n_count) : Eigen::VectorXd::Zero(eval.rows()));
    } else {
      double rho = n_count > 0 ? (q.s / n_count) / (p.s / m_count) : 0.0;
      rho = std::min(std::max(rho, o.rmin), o.rmax);
      v.col(e) = fweight(t, rho, o.alpha, o.chi2_full) * (sp - sq);
    }
  }
  return v;
}

// DM Algorithm 2, literal matrix form (THEORY.md §4.4): rows = eval points, columns = [data, particles];
// column masses over the particle rows only; mask = own column of a particle row gets k = 0.
// Returns V = W+ y+ - W- y- (the non-displacement form).
inline Points alg2(const Points& eval, const std::vector<int>& self, const Points& x, const Points& y,
                   const KernelSpec& ks, bool mask) {
  const int d = int(x.rows());
  const long n = x.cols(), m = y.cols(), ne = eval.cols();
  Eigen::MatrixXd kp(ne, m), kn(ne, n), cp_rows(n, m), cn_rows(n, n);
  for (long e = 0; e < ne; ++e) {
    for (long j = 0; j < m; ++j) kp(e, j) = kval(ks, d, (eval.col(e) - y.col(j)).norm());
    for (long s = 0; s < n; ++s)
      kn(e, s) = (mask && !self.empty() && self[std::size_t(e)] == s) ? 0.0 : kval(ks, d, (eval.col(e) - x.col(s)).norm());
  }
  for (long i = 0; i < n; ++i) {
    for (long j = 0; j < m; ++j) cp_rows(i, j) = kval(ks, d, (x.col(i) - y.col(j)).norm());
    for (long s = 0; s < n; ++s) cn_rows(i, s) = (mask && i == s) ? 0.0 : kval(ks, d, (x.col(i) - x.col(s)).norm());
  }
  const Eigen::RowVectorXd cp = cp_rows.colwise().sum(), cn = cn_rows.colwise().sum();
  Points v(d, ne);
  for (long e = 0; e < ne; ++e) {
    const double r = kp.row(e).sum() + kn.row(e).sum();
    Eigen::RowVectorXd ap(m), an(n);
    for (long j = 0; j < m; ++j) ap(j) = std::sqrt((kp(e, j) / r) * (kp(e, j) / cp(j)));
    for (long s = 0; s < n; ++s) an(s) = std::sqrt((kn(e, s) / r) * (kn(e, s) / cn(s)));
    const Eigen::RowVectorXd wp = ap * an.sum(), wn = an * ap.sum();
    v.col(e) = y * wp.transpose() - x * wn.transpose();
  }
  return v;
}

// Sinkhorn scaling with plain exp (THEORY.md §4.6): plan diag(u) K diag(w), uniform marginals, w = 1 at start,
// `iters` x (u = a / K w, w = b / K^T u); returns the barycentric map T(x_i) - x_i for every row i
inline Points sinkhornMap(const Points& x, const Points& y, double eps, bool mask_diag, int iters) {
  const long n = x.cols(), m = y.cols();
  Eigen::MatrixXd k(n, m);
  for (long i = 0; i < n; ++i)
    for (long j = 0; j < m; ++j)
      k(i, j) = (mask_diag && i == j) ? 0.0 : std::exp(-(x.col(i) - y.col(j)).squaredNorm() / (2 * eps));
  Eigen::VectorXd w = Eigen::VectorXd::Ones(m), u(n);
  for (int it = 0; it < iters; ++it) {
    u = (1.0 / double(n)) * (k * w).cwiseInverse();
    w = (1.0 / double(m)) * (k.transpose() * u).cwiseInverse();
  }
  Points t(x.rows(), n);
  for (long i = 0; i < n; ++i) {
    const Eigen::RowVectorXd pi = k.row(i).cwiseProduct(w.transpose());
    t.col(i) = y * pi.transpose() / pi.sum() - x.col(i);
  }
  return t;
}

// deterministic pseudo-random points in [lo, hi]^d (a fixed LCG, so tests do not depend on <random> details)
inline Points randomPoints(int d, long n, double lo, double hi, unsigned seed) {
  Points p(d, n);
  unsigned long long s = 0x9E3779B97F4A7C15ULL ^ (seed * 0x100000001B3ULL);
  for (long j = 0; j < n; ++j)
    for (int a = 0; a < d; ++a) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      const double u = double(s >> 11) * (1.0 / 9007199254740992.0);
      p(a, j) = lo + (hi - lo) * u;
    }
  return p;
}

inline std::vector<int> iota(long n) {
  std::vector<int> v(static_cast<std::size_t>(n));
  for (long i = 0; i < n; ++i) v[std::size_t(i)] = int(i);
  return v;
}

// max_e |a_e - b_e| / max_e |b_e|
inline double relErr(const Points& a, const Points& b) {
  double num = 0, den = 0;
  for (long e = 0; e < b.cols(); ++e) {
    num = std::max(num, (a.col(e) - b.col(e)).norm());
    den = std::max(den, b.col(e).norm());
  }
  return den > 0 ? num / den : num;
}

}  // namespace bf
