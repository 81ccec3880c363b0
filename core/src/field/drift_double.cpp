// INTERNAL: DM Algorithm 2 double normalization, streaming form. THEORY.md §4.4, §4.6. Any thread.
//
// A_is = k_is / sqrt(R_i C_s) (row mass R over positives and negatives, column mass C over particles), so
// with P_i = sum_{s in +} A_is, Q_i = sum_{s in -} A_is:
//   V_i = Q_i sum_+ A_is (y_s - x_i) - P_i sum_- A_is (x_s - x_i) = P_i Q_i (shift+_i - shift-_i),
// where shift+- are the mean shifts with per-column log weights -log(C_s)/2. Everything is in logs, so the
// gain P_i Q_i may underflow to 0 far from the data (DM's documented far-init freeze), never to NaN.
#include "field/drift_double.hpp"

#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "kde/kde_rows.hpp"

namespace driftlab {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

double logAddExp(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

std::vector<int> identityIndex(long n) {
  std::vector<int> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  return idx;
}

// per-column log weight -(a + b)/2 style helper: lw_s = -scale * v_s; a column with log mass -inf has no
// particle mass at all (only possible for N = 1 with the mask) and is dropped (weight -inf).
std::vector<double> columnLogWeights(const Vec& log_mass, double scale) {
  std::vector<double> lw(std::size_t(log_mass.size()));
  for (long s = 0; s < log_mass.size(); ++s)
    lw[std::size_t(s)] = log_mass[s] == kNegInf ? kNegInf : -scale * log_mass[s];
  return lw;
}

// true when the eval rows are the particle columns themselves under the same self mask
bool rowsAreColumns(const Points& eval, std::span<const int> row_mask, const Points& particles,
                    std::span<const int> col_mask) {
  if (eval.cols() != particles.cols() || eval.rows() != particles.rows()) return false;
  if (row_mask.size() != col_mask.size()) return false;
  for (std::size_t e = 0; e < row_mask.size(); ++e)
    if (row_mask[e] != col_mask[e]) return false;
  return eval.data() == particles.data() || eval == particles;
}

}  // namespace

FieldParts driftDoubleField(ComputePath path, const Points& eval, std::span<const int> self_index,
                            const Points& particles, const Points& data, const KernelEvaluator& kernel,
                            bool mask_self) {
  const long d = eval.rows();
  const long num_eval = eval.cols();
  FieldParts out{Points::Zero(d, num_eval), Points::Zero(d, num_eval)};
  if (particles.cols() == 0 || num_eval == 0) return out;  // no negatives: Q = 0, V = 0

  const std::vector<int> ident = identityIndex(particles.cols());
  const std::span<const int> col_mask = mask_self ? std::span<const int>(ident) : std::span<const int>();
  const std::span<const int> row_mask = mask_self ? self_index : std::span<const int>();
  kde::RowSums rows;
  const kde::RowOutputs none{false, false}, shift_only{false, true};

  // pass 1: column log masses over the generated axis (kernel symmetric: a column sum is a row sum)
  kde::kdeRows(path, data, {}, particles, kernel, {}, none, rows);
  const std::vector<double> lw_pos = columnLogWeights(rows.log_sum, 0.5);
  kde::kdeRows(path, particles, col_mask, particles, kernel, {}, none, rows);
  const Vec log_c_neg = rows.log_sum;
  const std::vector<double> lw_neg = columnLogWeights(log_c_neg, 0.5);

  // pass 2: row masses R_e over positives and (masked) negatives. When the rows are the particles
  // with the same mask (every training step of generator mode), the negative row masses are the
  // negative column masses of pass 1 (symmetric kernel), so that pass is not repeated.
  kde::kdeRows(path, eval, {}, data, kernel, {}, none, rows);
  const Vec log_r_pos = rows.log_sum;
  Vec log_r_neg;
  if (rowsAreColumns(eval, row_mask, particles, col_mask)) {
    log_r_neg = log_c_neg;
  } else {
    kde::kdeRows(path, eval, row_mask, particles, kernel, {}, none, rows);
    log_r_neg = rows.log_sum;
  }

  // pass 3: column-reweighted centroids and the masses P, Q
  kde::RowSums pos, neg;
  kde::kdeRows(path, eval, {}, data, kernel, lw_pos, shift_only, pos);
  kde::kdeRows(path, eval, row_mask, particles, kernel, lw_neg, shift_only, neg);
  for (long e = 0; e < num_eval; ++e) {
    const double log_r = logAddExp(log_r_pos[e], log_r_neg[e]);
    const double log_gain = (pos.log_sum[e] - 0.5 * log_r) + (neg.log_sum[e] - 0.5 * log_r);
    const double gain = (pos.log_sum[e] == kNegInf || neg.log_sum[e] == kNegInf) ? 0.0 : std::exp(log_gain);
    out.attraction.col(e) = gain * pos.shift.col(e);
    out.repulsion.col(e) = -gain * neg.shift.col(e);
  }
  return out;
}

Points balancedDriftAtParticles(ComputePath path, const Points& particles, const Points& data,
                                const KernelEvaluator& kernel, bool mask_self, int iterations) {
  const long n = particles.cols();
  const long m = data.cols();
  Points v = Points::Zero(particles.rows(), n);
  if (n == 0) return v;
  const std::vector<int> ident = identityIndex(n);
  const std::span<const int> mask = mask_self ? std::span<const int>(ident) : std::span<const int>();
  kde::RowSums r1, r2;
  const kde::RowOutputs none{false, false}, shift_only{false, true};

  // duals: L_is = l_is - a_i - b_s (a over particle rows; b over data then particle columns)
  std::vector<double> a(std::size_t(n), 0.0), b_pos(std::size_t(m), 0.0), b_neg(std::size_t(n), 0.0);
  auto negated = [](const std::vector<double>& x) {
    std::vector<double> y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) y[i] = -x[i];
    return y;
  };
  for (int it = 0; it < iterations; ++it) {
    // row lse of the current L (uses b), column lse of the current L (uses a): simultaneous update
    kde::kdeRows(path, particles, {}, data, kernel, negated(b_pos), none, r1);
    kde::kdeRows(path, particles, mask, particles, kernel, negated(b_neg), none, r2);
    std::vector<double> row_lse(static_cast<std::size_t>(n));
    for (long i = 0; i < n; ++i) row_lse[std::size_t(i)] = logAddExp(r1.log_sum[i], r2.log_sum[i]) - a[std::size_t(i)];
    const std::vector<double> neg_a = negated(a);
    kde::kdeRows(path, data, {}, particles, kernel, neg_a, none, r1);
    kde::kdeRows(path, particles, mask, particles, kernel, neg_a, none, r2);
    for (long i = 0; i < n; ++i) a[std::size_t(i)] += 0.5 * row_lse[std::size_t(i)];
    for (long s = 0; s < m; ++s) b_pos[std::size_t(s)] += 0.5 * (r1.log_sum[s] - b_pos[std::size_t(s)]);
    for (long s = 0; s < n; ++s) {
      // a column with no mass (N = 1 with the mask) keeps b = 0; it never carries weight anyway
      if (r2.log_sum[s] != kNegInf) b_neg[std::size_t(s)] += 0.5 * (r2.log_sum[s] - b_neg[std::size_t(s)]);
    }
  }
  // W+ = A+ Q, W- = A- P with A = exp(l - a - b)
  kde::RowSums pos, neg;
  kde::kdeRows(path, particles, {}, data, kernel, negated(b_pos), shift_only, pos);
  kde::kdeRows(path, particles, mask, particles, kernel, negated(b_neg), shift_only, neg);
  for (long i = 0; i < n; ++i) {
    if (pos.log_sum[i] == kNegInf || neg.log_sum[i] == kNegInf) continue;
    const double log_gain = pos.log_sum[i] + neg.log_sum[i] - 2.0 * a[std::size_t(i)];
    v.col(i) = std::exp(log_gain) * (pos.shift.col(i) - neg.shift.col(i));
  }
  return v;
}

}  // namespace driftlab
