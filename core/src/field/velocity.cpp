// Velocity fields of KDE-approximated divergences: plug-in (GFD/DM) and exact smoothed, any mixture,
// multi-scale. THEORY.md §4.2, §4.4, §4.6, §5.2-§5.5, §6, §3.6. Pure functions; any thread.
//
// Conventions chosen here (see also THEORY.md §14 for the exposed uncertainties):
// * rows with no q sources (N = 1 with leave-one-out) have log q_hat = -inf: their q-side terms (score_q,
//   shift_q, mu_q) are zero, rho = q/p is clamped to ratio_min, every field stays finite;
// * drift_double's DM self-mask and the Sinkhorn plan's masked diagonal follow opt.leave_one_out (off gives
//   THEORY.md §13 item 3's unmasked matched batch);
// * sinkhorn always uses the Gaussian cost |x - y|^2 / 2 with eps = h^2; the kernel kind is not used;
// * ExactSmoothed smooths over the padded bounding box of particles and data: evaluation points outside
//   that box (e.g. a wide quiver view) see a truncated smoothing sum, i.e. a field decaying to 0 there.
//
// [SECTION] options validation
// [SECTION] plug-in field at one bandwidth (THEORY.md §6.1-§6.2)
// [SECTION] exact smoothed field at one bandwidth (THEORY.md §5.4, §6.5)
// [SECTION] multi-scale assembly and public entry points (THEORY.md §3.6)
#include "driftlab/field/velocity.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/functional.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/kde/sphere_normalizer.hpp"
#include "field/drift_double.hpp"
#include "kde/kde_rows.hpp"
#include "field/sinkhorn_drift.hpp"
#include "field/standard_gaussian.hpp"
#include "field/smoothed_velocity.hpp"

namespace driftlab {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmtValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] plug-in field at one bandwidth
// ---------------------------------------------------------------------------------------------------

// the field of the mixture at one bandwidth: attraction/repulsion and the weighted per-term fields
struct ScaleField {
  Points attraction, repulsion;
  std::vector<Points> per_term;  // parallel to the active terms (only when requested)
  // attraction holds the whole field and repulsion is empty (nobody asked for the parts: at a
  // million rows the two part arrays and their sum were a tenth of a grid step)
  bool total_only = false;
  // every row at a non-finite evaluation point already holds NaN (evaluateField's pass is not needed)
  bool nan_rows_marked = false;
};

std::vector<Divergence> activeTerms(const DivergenceWeights& w) {
  std::vector<Divergence> terms;
  for (int i = 0; i < kNumDivergences; ++i)
    if (w.w[std::size_t(i)] > 0.0) terms.push_back(static_cast<Divergence>(i));
  return terms;
}

// log of the number of q sources of row e: N, or N - 1 when the row's own particle is left out
// (two values, not a per-row array: a million std::log calls were 2 % of a grid step)
struct QSourceCount {
  std::span<const int> exclude_q;  // the caller's (outlives this struct)
  double log_n = kNegInf, log_n_minus_1 = kNegInf;
  QSourceCount(std::span<const int> exclude, long n)
      : exclude_q(exclude), log_n(n > 0 ? std::log(double(n)) : kNegInf),
        log_n_minus_1(n > 1 ? std::log(double(n - 1)) : kNegInf) {}
  double logOf(long e) const {
    return (!exclude_q.empty() && exclude_q[std::size_t(e)] >= 0) ? log_n_minus_1 : log_n;
  }
};

// KDE rows of both sets at eval points (THEORY.md §6.1), with what the caller needs
struct KdeRowsPQ {
  kde::RowSums p, q;
  QSourceCount q_count;
};

KdeRowsPQ kdeRowsPQ(ComputePath path, const Points& eval, std::span<const int> exclude_q,
                    const Points& particles, const Points& data, const KernelEvaluator& kernel,
                    const kde::RowOutputs& what) {
  KdeRowsPQ rows{{}, {}, QSourceCount(exclude_q, particles.cols())};
  kde::kdeRows(path, eval, {}, data, kernel, {}, what, rows.p);
  kde::kdeRows(path, eval, exclude_q, particles, kernel, {}, what, rows.q);
  return rows;
}

// p-side rows for the analytic target p = N(0, I), shaped like KDE rows so that the row-local
// terms read them unchanged: log_sum = log p(x) + log M + log Z_k (the f-divergence code forms
// rho = (q_sum / N') / (p_sum / M), in which Z_k must then cancel the q side's), score = -x
kde::RowSums standardGaussianRows(const Points& eval, long m, double log_z) {
  const long d = eval.rows();
  kde::RowSums rows;
  rows.log_sum.resize(eval.cols());
  for (long e = 0; e < eval.cols(); ++e)
    rows.log_sum[e] = detail::logStandardNormal(eval.data() + e * d, d) + std::log(double(m)) + log_z;
  rows.score = -eval;
  return rows;
}

// THEORY.md §6.2, per base field; returns att/rep of one unweighted term
ScaleField plugInField(const Points& eval, std::span<const int> self_index, const Points& particles,
                       const Points& data, const VelocityOptions& opt, double h, bool want_terms,
                       bool total_only = false) {
  const long d = eval.rows();
  const long num_eval = eval.cols();
  KernelSpec spec = opt.kernel;
  spec.h = h;
  const KernelEvaluator kernel(spec, int(d));
  const std::vector<Divergence> terms = activeTerms(opt.weights);
  const std::span<const int> exclude_q = opt.leave_one_out ? self_index : std::span<const int>();

  bool need_score = false, need_shift = false;
  for (Divergence t : terms) {
    need_score = need_score || isFDivergence(t) || t == Divergence::MMD;
    need_shift = need_shift || t == Divergence::Drift;
  }
  // zeroed row by row below (a serial memset of 2 x 16 MB was ~4 % of a million-particle step)
  total_only = total_only && !want_terms;
  ScaleField out{Points(d, num_eval), total_only ? Points() : Points(d, num_eval), {}, total_only};
  if (want_terms) out.per_term.assign(terms.size(), Points::Zero(d, num_eval));

  // row-local terms (drift, f-divergences, MMD), row by row as the kernel rows of both sets arrive
  // (THEORY.md §6.1), block by block on the thread pool
  const double log_m = std::log(double(data.cols()));
  const QSourceCount q_count(exclude_q, particles.cols());
  const double log_rmin = std::log(opt.ratio_min), log_rmax = std::log(opt.ratio_max);
  // the row-local terms, resolved once (not per row and term)
  enum class RowTermKind { Drift, F, Mmd };
  struct RowTerm {
    RowTermKind kind;
    Divergence divergence;
    double weight;
    std::size_t index;  // into terms / per_term
  };
  std::vector<RowTerm> row_terms;
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const Divergence t = terms[k];
    if (t == Divergence::Drift) row_terms.push_back({RowTermKind::Drift, t, opt.weights[t], k});
    else if (isFDivergence(t)) row_terms.push_back({RowTermKind::F, t, opt.weights[t], k});
    else if (t == Divergence::MMD) row_terms.push_back({RowTermKind::Mmd, t, opt.weights[t], k});
    // whole-batch terms (drift_double, sinkhorn) below
  }
  auto rowLocal = [&](const kde::RowBlockPQ& block) {
    for (long i = 0; i < block.count; ++i) {
      const long e = block.row(i);
      double* out_att = out.attraction.data() + e * d;
      double* out_rep = total_only ? out_att : out.repulsion.data() + e * d;  // total_only: both into one
      // a non-finite evaluation point gets a NaN velocity (never a silent zero from an empty-looking
      // kernel row), so the engine's blow-up check sees it whatever path computed the sums
      bool finite = true;
      for (long a = 0; a < d; ++a) finite = finite && std::isfinite(eval.data()[e * d + a]);
      if (!finite) {
        for (long a = 0; a < d; ++a) out_att[a] = out_rep[a] = kNaN;
        for (Points& term : out.per_term)
          for (long a = 0; a < d; ++a) term.data()[e * d + a] = kNaN;
        continue;
      }
      const double log_p = block.p_log_sum[i], log_q = block.q_log_sum[i];
      const double log_q_count = q_count.logOf(e);
      // rho = q_hat / p_hat = exp(log q_hat - log p_hat) (Z_k cancels), clamped, THEORY.md §6.2
      double rho = 0.0;
      if (need_score) {
        double log_rho = (log_q == kNegInf) ? kNegInf : (log_q - log_q_count) - (log_p - log_m);
        log_rho = std::isnan(log_rho) ? 0.0 : std::min(std::max(log_rho, log_rmin), log_rmax);
        rho = std::exp(log_rho);
      }
      for (long a = 0; a < d; ++a) out_att[a] = out_rep[a] = 0.0;
      for (const RowTerm& rt : row_terms) {
        // each row-local term is a_p * (p-side vector) - a_q * (q-side vector)
        const double* p_vec = nullptr;
        const double* q_vec = nullptr;
        double a_p = 1.0, a_q = 1.0;
        if (rt.kind == RowTermKind::Drift) {
          // DM mean shift V = V+ - V-, single normalization (THEORY.md §4.2, §6.2)
          p_vec = block.p_shift + i * d;
          q_vec = block.q_shift + i * d;
        } else if (rt.kind == RowTermKind::F) {
          // v = w(rho) (score_p - score_q), THEORY.md §5.2
          a_p = a_q = fDivergenceWeight(rt.divergence, rho, opt.alpha, opt.chi2);
          p_vec = block.p_score + i * d;
          q_vec = block.q_score + i * d;
        } else {
          // v = grad[(1/M) sum k(x, y) - (1/N') sum k(x, x')] = mu_p score_p - mu_q score_q, THEORY.md §5.3
          a_p = std::exp(log_p - log_m);
          a_q = log_q == kNegInf ? 0.0 : std::exp(log_q - log_q_count);
          p_vec = block.p_score + i * d;
          q_vec = block.q_score + i * d;
        }
        const double weight = rt.weight;
        double* term = want_terms ? out.per_term[rt.index].data() + e * d : nullptr;
        for (long a = 0; a < d; ++a) {
          const double att = a_p * p_vec[a], rep = -a_q * q_vec[a];
          out_att[a] += weight * att;
          out_rep[a] += weight * rep;
          if (term) term[a] = weight * (att + rep);
        }
      }
    }
  };
  if (opt.target == TargetKind::StandardGaussian) {
    // p = N(0, I) exactly: only the particles' rows are kernel sums (THEORY.md §11.4)
    const double log_z = logNormalizer(spec, int(d));
    DRIFTLAB_CHECK(std::isfinite(log_z), std::string("target gaussian: the ") + kernelName(spec.kind) +
                                             " kernel has no normalized density in " + std::to_string(d) +
                                             " dimensions, so q_hat / p is undefined");
    const kde::RowOutputs what{true, false};
    kde::RowSums q_rows;
    kde::kdeRows(opt.path, eval, exclude_q, particles, kernel, {}, what, q_rows);
    kde::consumeRowSums(standardGaussianRows(eval, data.cols(), log_z), q_rows, nullptr, what, rowLocal,
                        currentThreadPool());
    out.nan_rows_marked = true;
  } else if (need_score || need_shift) {
    kde::kdeRowBlocksPQ(opt.path, eval, exclude_q, data, particles, kernel, kde::RowOutputs{need_score, need_shift},
                        rowLocal);
    out.nan_rows_marked = true;  // whole-batch terms below only add to rows (NaN stays NaN)
  } else {
    out.attraction.setZero();
    if (!total_only) out.repulsion.setZero();
  }

  // whole-batch terms: their normalizations couple all rows
  for (std::size_t k = 0; k < terms.size(); ++k) {
    const Divergence t = terms[k];
    if (t != Divergence::DriftDouble && t != Divergence::Sinkhorn) continue;
    FieldParts parts;
    if (t == Divergence::DriftDouble) {
      // DM Alg. 2; its self-mask follows leave_one_out (off = item 3's unmasked matched batch)
      parts = driftDoubleField(opt.path, eval, self_index, particles, data, kernel, opt.leave_one_out);
    } else {  // Sinkhorn: Gaussian cost, eps = h^2 (the kernel kind is not used), THEORY.md §4.6
      parts = sinkhornDriftField(opt.path, eval, self_index, particles, data, h * h, opt.leave_one_out,
                                 opt.sinkhorn_iterations);
    }
    const double weight = opt.weights[t];
    if (total_only) {
      out.attraction += weight * (parts.attraction + parts.repulsion);
    } else {
      out.attraction += weight * parts.attraction;
      out.repulsion += weight * parts.repulsion;
    }
    if (want_terms) out.per_term[k] = weight * (parts.attraction + parts.repulsion);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] exact smoothed field at one bandwidth
// ---------------------------------------------------------------------------------------------------

// v(x) = (k_h * v_plugin)(x) / Z_k by quadrature: plug-in field (no leave-one-out) at the grid nodes, then
// kernel-smoothed to the evaluation points, THEORY.md §5.4 and §6.5
ScaleField smoothedField(const Points& eval, const Points& particles, const Points& data, const VelocityOptions& opt,
                         double h, bool want_terms) {
  const int d = int(data.rows());
  KernelSpec spec = opt.kernel;
  spec.h = h;
  checkSmoothedSupported(spec, d);
  const QuadratureGrid grid = smoothingGrid(particles, data, spec, opt.smoothed_grid);
  const Points nodes = gridNodes(grid);
  ScaleField at_nodes = plugInField(nodes, {}, particles, data, opt, h, want_terms);

  // stack attraction, repulsion and the per-term fields so that one pass smooths them all
  const long blocks = 2 + long(at_nodes.per_term.size());
  Points stacked(d * blocks, nodes.cols());
  stacked.topRows(d) = at_nodes.attraction;
  stacked.middleRows(d, d) = at_nodes.repulsion;
  for (std::size_t t = 0; t < at_nodes.per_term.size(); ++t) stacked.middleRows(d * (2 + long(t)), d) = at_nodes.per_term[t];
  const Points smooth = smoothOverGrid(eval, grid, nodes, stacked, KernelEvaluator(spec, d));

  ScaleField out;
  out.attraction = smooth.topRows(d);
  out.repulsion = smooth.middleRows(d, d);
  for (std::size_t t = 0; t < at_nodes.per_term.size(); ++t) out.per_term.push_back(smooth.middleRows(d * (2 + long(t)), d));
  return out;
}

ScaleField scaleField(const Points& eval, std::span<const int> self_index, const Points& particles, const Points& data,
                      const VelocityOptions& opt, double h, bool want_terms, bool total_only = false) {
  if (opt.mode == VelocityMode::ExactSmoothed) return smoothedField(eval, particles, data, opt, h, want_terms);
  return plugInField(eval, self_index, particles, data, opt, h, want_terms, total_only);
}

// ---------------------------------------------------------------------------------------------------
// [SECTION] multi-scale assembly and public entry points
// ---------------------------------------------------------------------------------------------------

std::vector<double> bandwidthsOf(const VelocityOptions& opt) {
  std::vector<double> hs{opt.kernel.h};
  hs.insert(hs.end(), opt.extra_bandwidths.begin(), opt.extra_bandwidths.end());
  return hs;
}

std::vector<int> identityIndex(long n) {
  std::vector<int> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  return idx;
}

// RMS over the particles, sqrt(mean_i |v_i|^2) (THEORY.md §3.6); 0 for no particles
double rmsOf(const Points& v) { return v.cols() == 0 ? 0.0 : std::sqrt(v.squaredNorm() / double(v.cols())); }

// true when eval is the particle set itself with self_index = 0..N-1 (then eval's field is the RMS input)
bool evalIsParticles(const Points& eval, std::span<const int> self_index, const Points& particles) {
  if (eval.cols() != particles.cols() || eval.rows() != particles.rows()) return false;
  if (self_index.size() != std::size_t(eval.cols())) return false;
  for (std::size_t e = 0; e < self_index.size(); ++e)
    if (self_index[e] != int(e)) return false;
  return eval == particles;
}

void checkInputs(const Points& eval, std::span<const int> self_index, const Points& particles, const Points& data) {
  DRIFTLAB_CHECK(data.cols() >= 1, "velocity: data is empty (need at least one point)");
  DRIFTLAB_CHECK(data.rows() >= 1, "velocity: dimension must be >= 1 (got 0)");
  DRIFTLAB_CHECK(eval.cols() == 0 || eval.rows() == data.rows(),
                 "velocity: evaluation points have dimension " + std::to_string(eval.rows()) + ", data " +
                     std::to_string(data.rows()));
  DRIFTLAB_CHECK(particles.cols() == 0 || particles.rows() == data.rows(),
                 "velocity: particles have dimension " + std::to_string(particles.rows()) + ", data " +
                     std::to_string(data.rows()));
  DRIFTLAB_CHECK(self_index.empty() || self_index.size() == std::size_t(eval.cols()),
                 "velocity: self_index has " + std::to_string(self_index.size()) + " entries for " +
                     std::to_string(eval.cols()) + " evaluation points");
  for (std::size_t e = 0; e < self_index.size(); ++e)
    DRIFTLAB_CHECK(self_index[e] >= -1 && self_index[e] < particles.cols(),
                   "velocity: self_index[" + std::to_string(e) + "] = " + std::to_string(self_index[e]) +
                       " is not a particle index or -1");
}

}  // namespace

const char* targetKindName(TargetKind t) { return t == TargetKind::StandardGaussian ? "gaussian" : "samples"; }

void validateVelocityOptions(const VelocityOptions& opt) {
  validateKernelSpec(opt.kernel);
  for (std::size_t s = 0; s < opt.extra_bandwidths.size(); ++s) {
    const double h = opt.extra_bandwidths[s];
    if (!(h > 0.0) || !std::isfinite(h))
      detail::throwInvalidArgument("extra_bandwidths[" + std::to_string(s) + "]: must be > 0 and finite (got " +
                                   fmtValue(h) + ")");
  }
  validateWeights(opt.weights);
  DRIFTLAB_CHECK(std::isfinite(opt.alpha), "alpha: must be finite (got " + fmtValue(opt.alpha) + ")");
  DRIFTLAB_CHECK(opt.ratio_min > 0.0 && std::isfinite(opt.ratio_min) && opt.ratio_min < opt.ratio_max,
                 "ratio_min: must be > 0 and < ratio_max (got " + fmtValue(opt.ratio_min) + ")");
  DRIFTLAB_CHECK(std::isfinite(opt.ratio_max),
                 "ratio_max: must be finite and > ratio_min (got " + fmtValue(opt.ratio_max) + ")");
  DRIFTLAB_CHECK(opt.mode == VelocityMode::PlugIn || opt.mode == VelocityMode::ExactSmoothed,
                 "velocity: unknown mode " + std::to_string(int(opt.mode)));
  DRIFTLAB_CHECK(opt.smoothed_grid >= 8 && opt.smoothed_grid <= 100000,
                 "smoothed_grid: must be in [8, 100000] (got " + std::to_string(opt.smoothed_grid) + ")");
  if (opt.target == TargetKind::StandardGaussian) {
    DRIFTLAB_CHECK(opt.mode == VelocityMode::PlugIn, "target gaussian: needs the plug-in velocity (not smoothed)");
    for (int i = 0; i < kNumDivergences; ++i) {
      const auto t = static_cast<Divergence>(i);
      DRIFTLAB_CHECK(!(opt.weights[t] > 0.0) || isFDivergence(t),
                     std::string("target gaussian: the ") + divergenceName(t) +
                         " field needs samples of p; use f-divergence weights");
    }
  }
  DRIFTLAB_CHECK(opt.sinkhorn_iterations >= 0 && opt.sinkhorn_iterations <= 100000,
                 "sinkhorn_iterations: must be in [0, 100000] (got " + std::to_string(opt.sinkhorn_iterations) +
                     ")");
}

FieldResult evaluateField(const Points& eval, std::span<const int> self_index, const Points& particles,
                          const Points& data, const VelocityOptions& opt, const FieldRequest& request,
                          std::span<const double> scale_norms) {
  validateVelocityOptions(opt);
  checkInputs(eval, self_index, particles, data);
  const long d = data.rows();
  const long num_eval = eval.cols();
  const std::vector<double> hs = bandwidthsOf(opt);
  const bool multi = hs.size() > 1;
  DRIFTLAB_CHECK(scale_norms.empty() || scale_norms.size() == hs.size(),
                 "velocity: scale_norms has " + std::to_string(scale_norms.size()) + " entries for " +
                     std::to_string(hs.size()) + " bandwidths");
  const bool eval_is_particles = multi && scale_norms.empty() && evalIsParticles(eval, self_index, particles);
  const std::vector<int> ident = (multi && scale_norms.empty() && !eval_is_particles)
                                     ? identityIndex(particles.cols()) : std::vector<int>();

  FieldResult res;
  bool have_total = false;       // res.v already holds the field (the scale computed the total only)
  bool nan_rows_marked = false;  // ... and its rows at non-finite positions are NaN
  if (request.breakdown) res.terms = activeTerms(opt.weights);
  if (multi) {
    res.attraction = Points::Zero(d, num_eval);
    res.repulsion = Points::Zero(d, num_eval);
    if (request.breakdown) res.per_term.assign(res.terms.size(), Points::Zero(d, num_eval));
  }
  for (std::size_t s = 0; s < hs.size(); ++s) {
    // one bandwidth and no breakdown: the total field alone
    ScaleField f = scaleField(eval, self_index, particles, data, opt, hs[s], request.breakdown,
                              !multi && !request.breakdown);
    if (f.total_only) {
      res.v = std::move(f.attraction);
      have_total = true;
      nan_rows_marked = f.nan_rows_marked;
      break;
    }
    if (!multi) {  // one bandwidth: the scale's field is the result (no copies at a million rows)
      res.attraction = std::move(f.attraction);
      res.repulsion = std::move(f.repulsion);
      res.per_term = std::move(f.per_term);
      break;
    }
    double factor = 1.0;
    if (multi) {
      // each scale's total field divided by its RMS over the particles (THEORY.md §3.6); RMS 0 -> contributes 0
      double rms = 0.0;
      if (!scale_norms.empty()) rms = scale_norms[s];
      else if (eval_is_particles) rms = rmsOf(f.attraction + f.repulsion);
      else {
        const ScaleField fp = scaleField(particles, ident, particles, data, opt, hs[s], false);
        rms = rmsOf(fp.attraction + fp.repulsion);
      }
      factor = (rms > 0.0 && std::isfinite(rms)) ? 1.0 / rms : 0.0;
    }
    res.attraction += factor * f.attraction;
    res.repulsion += factor * f.repulsion;
    for (std::size_t t = 0; t < f.per_term.size(); ++t) res.per_term[t] += factor * f.per_term[t];
  }
  // a non-finite evaluation point gets a NaN velocity (never a silent zero from an empty-looking kernel
  // row), so the engine's blow-up check sees it whatever path computed the sums
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!have_total) res.v.resize(d, num_eval);
  if (!nan_rows_marked) currentThreadPool().parallelFor(0, num_eval, [&](long lo, long hi, int) {
    // raw column pointers: runtime-sized Eigen column blocks cost more than the sum itself at d = 2
    const double* pos = eval.data();
    const double* att = res.attraction.data();
    const double* rep = res.repulsion.data();
    double* vel = res.v.data();
    for (long e = lo; e < hi; ++e) {
      bool finite = true;
      for (long k = 0; k < d; ++k) finite = finite && std::isfinite(pos[e * d + k]);
      if (finite) {
        if (!have_total)
          for (long k = 0; k < d; ++k) vel[e * d + k] = att[e * d + k] + rep[e * d + k];
        continue;
      }
      res.v.col(e).setConstant(nan);
      if (have_total) continue;  // no parts
      res.attraction.col(e).setConstant(nan);
      res.repulsion.col(e).setConstant(nan);
      for (Points& term : res.per_term) term.col(e).setConstant(nan);
    }
  }, 4096);
  if (!request.breakdown) {
    res.attraction.resize(0, 0);
    res.repulsion.resize(0, 0);
  }

  if (request.densities) {
    // normalized KDE log densities at the first bandwidth (leave-one-out per option), NaN if not integrable
    const KernelEvaluator kernel(opt.kernel, int(d));
    const double log_z =
        request.sphere_densities ? logSphereNormalizer(opt.kernel, int(d)) : logNormalizer(opt.kernel, int(d));
    const std::span<const int> exclude_q = opt.leave_one_out ? self_index : std::span<const int>();
    const KdeRowsPQ rows = kdeRowsPQ(opt.path, eval, exclude_q, particles, data, kernel, kde::RowOutputs{false, false});
    const double log_m = std::log(double(data.cols()));
    res.log_p.resize(num_eval);
    res.log_q.resize(num_eval);
    for (long e = 0; e < num_eval; ++e) {
      const bool ok = std::isfinite(log_z) && eval.col(e).allFinite();
      res.log_p[e] = !ok ? nan
                     : opt.target == TargetKind::StandardGaussian ? detail::logStandardNormal(eval.data() + e * d, d)
                                                                  : rows.p.log_sum[e] - log_m - log_z;
      res.log_q[e] = !ok ? nan
                     : rows.q.log_sum[e] == kNegInf ? kNegInf
                                                     : rows.q.log_sum[e] - rows.q_count.logOf(e) - log_z;
    }
  }
  return res;
}

Points particleVelocity(const Points& particles, const Points& data, const VelocityOptions& opt) {
  const std::vector<int> ident = identityIndex(particles.cols());
  return evaluateField(particles, ident, particles, data, opt).v;
}

std::vector<double> multiScaleNorms(const Points& particles, const Points& data, const VelocityOptions& opt) {
  validateVelocityOptions(opt);
  checkInputs(particles, {}, particles, data);
  const std::vector<int> ident = identityIndex(particles.cols());
  std::vector<double> norms;
  for (double h : bandwidthsOf(opt)) {
    const ScaleField f = scaleField(particles, ident, particles, data, opt, h, false);
    norms.push_back(rmsOf(f.attraction + f.repulsion));
  }
  return norms;
}

}  // namespace driftlab
