// Metrics of a particle set against the data with a fixed Gaussian reference kernel, so that
// curves stay comparable when the flow's kernel or bandwidth changes. THEORY.md §8.
// objectiveValue lives in objective.cpp. Pure functions; any thread.
#include "driftlab/field/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "base/rng.hpp"

namespace driftlab {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

// Per-row kernel and distance sums of the pairs (a_i, b_j), computed row by row (no |a| x |b|
// matrix). Every sum over a row uses log-sum-exp with the row maximum, so a point far from all
// others still gets a finite log-density (THEORY.md §4.1).
struct RowSums {
  Vec lse;           // log sum_j exp(-|a_i - b_j|^2 / 2h^2), all j
  Vec lse_loo;       // same without j = i (only when a and b are the same set)
  double dist = 0;   // sum over all pairs of |a_i - b_j|
};

struct RowRequest {
  bool same_set = false;  // a and b are the same set: also compute lse_loo
  bool kernel = true;     // lse (and lse_loo)
  bool dist = false;      // distance sum
  bool geodesic = false;  // the distance is the angle between unit vectors (THEORY.md §10.6)
};

// The angle between unit vectors a and b, arccos(clamp(a.b, -1, 1)) computed as
// 2 atan2(|a - b|, |a + b|): the same value, but without arccos's loss of half the digits near
// 0 and pi (a point and its rounded rotated copy would sit 1e-8 rad apart instead of 1e-16).
double angleBetween(double chord2, const double* a, const double* b, Eigen::Index d) {
  double sum2 = 0.0;
  for (Eigen::Index k = 0; k < d; ++k) sum2 += (a[k] + b[k]) * (a[k] + b[k]);
  return 2.0 * std::atan2(std::sqrt(chord2), std::sqrt(sum2));
}

// log sum exp of e; -inf for an empty or all -inf row. Also returns the shift m and the
// shifted sum s (lse = m + log s).
double logSumExp(const Eigen::ArrayXd& e, double* shift = nullptr, double* shifted_sum = nullptr) {
  if (e.size() == 0) return kNegInf;
  const double m = e.maxCoeff();
  if (m == kNegInf) return kNegInf;
  const double s = (e - m).exp().sum();
  if (shift != nullptr) *shift = m;
  if (shifted_sum != nullptr) *shifted_sum = s;
  return m + std::log(s);
}

// Below this leave-one-out share of the shifted row sum, s_full - self loses too many digits
// to rounding and the row is summed again without the self term.
constexpr double kLooResumBelow = 1e-3;

// The full-row kernel sum is computed by the same code whether or not a and b are the same set,
// so that for identical inputs the xx, yy and xy sums of mmd2Biased / energyDistance are
// bit-identical and the statistics come out exactly 0 (THEORY.md §13 item 14).
// Rows are independent and spread over the current thread pool; every reduction over rows is
// done afterwards in row order, so results do not depend on the number of threads.
RowSums rowSums(const Points& a, const Points& b, double h, const RowRequest& req) {
  const Eigen::Index na = a.cols(), nb = b.cols(), d = a.rows();
  RowSums out;
  if (req.kernel) {
    out.lse.resize(na);
    if (req.same_set) out.lse_loo.resize(na);
  }
  Vec dist_rows = Vec::Zero(req.dist ? na : 0);
  const double inv_2h2 = req.kernel ? 1.0 / (2.0 * h * h) : 0.0;
  auto rows = [&](long begin, long end, int) {
    Eigen::ArrayXd r2(nb), e(nb);
    for (Eigen::Index i = begin; i < end; ++i) {
      if (d == 2) {
        const double x0 = a(0, i), x1 = a(1, i);
        for (Eigen::Index j = 0; j < nb; ++j) {
          const double u0 = b(0, j) - x0, u1 = b(1, j) - x1;
          r2(j) = u0 * u0 + u1 * u1;
        }
      } else {
        r2 = (b.colwise() - a.col(i)).colwise().squaredNorm().transpose().array();
      }
      if (req.dist && req.geodesic) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < nb; ++j) sum += angleBetween(r2(j), a.col(i).data(), b.col(j).data(), d);
        dist_rows(i) = sum;
      } else if (req.dist) {
        dist_rows(i) = r2.sqrt().sum();
      }
      if (!req.kernel) continue;
      e = -r2 * inv_2h2;
      double m = 0.0, s = 0.0;
      out.lse(i) = logSumExp(e, &m, &s);
      if (!req.same_set) continue;
      // leave-one-out: drop the self term (exp(e_i - m)) from the shifted sum; an isolated
      // point whose other terms are tiny is summed again exactly
      const double s_loo = out.lse(i) == kNegInf ? 0.0 : s - std::exp(e(i) - m);
      if (s_loo > kLooResumBelow * s) {
        out.lse_loo(i) = m + std::log(s_loo);
      } else {
        e(i) = kNegInf;
        out.lse_loo(i) = logSumExp(e);
      }
    }
  };
  currentThreadPool().parallelFor(0, static_cast<long>(na), rows, 64);
  for (Eigen::Index i = 0; i < dist_rows.size(); ++i) out.dist += dist_rows(i);
  return out;
}

double sumExp(const Vec& lse) { return lse.array().exp().sum(); }

void checkPair(const Points& x, const Points& y, const char* what) {
  DRIFTLAB_CHECK(x.cols() >= 1 && y.cols() >= 1, std::string(what) + ": point sets must not be empty (got " +
                                                       std::to_string(x.cols()) + " and " +
                                                       std::to_string(y.cols()) + " points)");
  DRIFTLAB_CHECK(x.rows() == y.rows() && x.rows() >= 1,
                 std::string(what) + ": dimension mismatch (" + std::to_string(x.rows()) + " vs " +
                     std::to_string(y.rows()) + ")");
}

void checkBandwidth(double h, const char* what) {
  DRIFTLAB_CHECK(std::isfinite(h) && h > 0.0, std::string(what) + ": must be > 0 (got " + std::to_string(h) + ")");
}

// biased MMD^2 from the three full-row kernel sums: (1/N^2) Kxx + (1/M^2) Kyy - (2/NM) Kxy;
// a squared RKHS norm, so rounding below 0 is clamped
double mmdFromSums(double kxx, double kyy, double kxy, double n, double m) {
  const double v = kxx / (n * n) + kyy / (m * m) - 2.0 * kxy / (n * m);
  return std::max(v, 0.0);
}

double energyFromSums(double dxx, double dyy, double dxy, double n, double m) {
  const double v = 2.0 * dxy / (n * m) - dxx / (n * n) - dyy / (m * m);
  return std::max(v, 0.0);
}

// Quantile function of sorted values at level u with linear interpolation between order
// statistics placed at levels (k + 1/2) / n; flat beyond the first and last.
double quantile(const std::vector<double>& sorted, double u) {
  const auto n = static_cast<double>(sorted.size());
  const double p = std::clamp(u * n - 0.5, 0.0, n - 1.0);
  const auto lo = static_cast<std::size_t>(p);
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  const double frac = p - static_cast<double>(lo);
  return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

// the subsample of pts used by computeMetrics: all columns when there are few enough
Points subsample(const Points& pts, int max_points, std::uint64_t seed) {
  const std::vector<int> idx = seeded::sampleIndices(static_cast<int>(pts.cols()), max_points, seed);
  Points out(pts.rows(), static_cast<Eigen::Index>(idx.size()));
  for (std::size_t k = 0; k < idx.size(); ++k) out.col(static_cast<Eigen::Index>(k)) = pts.col(idx[k]);
  return out;
}

void appendValue(std::string& out, double v) {
  char buf[40];
  if (std::isnan(v)) {
    out += "nan";  // never "-nan"
  } else {
    std::snprintf(buf, sizeof buf, "%.10g", v);
    out += buf;
  }
}

}  // namespace

double mmd2Biased(const Points& x, const Points& y, double h) {
  checkPair(x, y, "mmd2Biased");
  checkBandwidth(h, "mmd2Biased: bandwidth");
  const RowRequest req{false, true, false};
  const double kxx = sumExp(rowSums(x, x, h, req).lse);
  const double kyy = sumExp(rowSums(y, y, h, req).lse);
  const double kxy = sumExp(rowSums(x, y, h, req).lse);
  return mmdFromSums(kxx, kyy, kxy, static_cast<double>(x.cols()), static_cast<double>(y.cols()));
}

double energyDistance(const Points& x, const Points& y, bool geodesic) {
  checkPair(x, y, "energyDistance");
  const RowRequest req{false, false, true, geodesic};
  const double dxx = rowSums(x, x, 1.0, req).dist;
  const double dyy = rowSums(y, y, 1.0, req).dist;
  const double dxy = rowSums(x, y, 1.0, req).dist;
  return energyFromSums(dxx, dyy, dxy, static_cast<double>(x.cols()), static_cast<double>(y.cols()));
}

double mmd2Vmf(const Points& x, const Points& y, double kappa) {
  DRIFTLAB_CHECK(std::isfinite(kappa) && kappa > 0.0, "mmd2Vmf: kappa must be > 0 (got " + std::to_string(kappa) + ")");
  // e^{kappa (x.y - 1)} = e^{-|x - y|^2 / 2h^2} on unit vectors with h = 1/sqrt(kappa); the chord
  // form keeps the digits of nearby pairs that 1 - x.y would cancel (THEORY.md §10.6)
  return mmd2Biased(x, y, 1.0 / std::sqrt(kappa));
}

double slicedW2(const Points& x, const Points& y, int slices, std::uint64_t seed) {
  checkPair(x, y, "slicedW2");
  DRIFTLAB_CHECK(slices >= 1, "slicedW2: slices must be >= 1 (got " + std::to_string(slices) + ")");
  const Eigen::Index d = x.rows();
  const auto n = static_cast<std::size_t>(x.cols()), m = static_cast<std::size_t>(y.cols());
  const std::size_t grid = std::max(n, m);
  // all directions are drawn first, in order, so the slices can then run on any thread
  seeded::Rng rng(seeded::mixSeed(seed, 0x534c494345ULL));
  Points theta(d, slices);
  for (int l = 0; l < slices; ++l) {
    // uniform direction on the unit sphere: a normalized standard normal vector
    double norm = 0.0;
    do {
      for (Eigen::Index r = 0; r < d; ++r) theta(r, l) = rng.normal();
      norm = theta.col(l).norm();
    } while (norm == 0.0);
    theta.col(l) /= norm;
  }
  Vec w2(slices);
  auto run = [&](long begin, long end, int) {
    std::vector<double> px(n), py(m);
    for (long l = begin; l < end; ++l) {
      const auto col = static_cast<Eigen::Index>(l);
      for (std::size_t i = 0; i < n; ++i) px[i] = theta.col(col).dot(x.col(static_cast<Eigen::Index>(i)));
      for (std::size_t j = 0; j < m; ++j) py[j] = theta.col(col).dot(y.col(static_cast<Eigen::Index>(j)));
      std::sort(px.begin(), px.end());
      std::sort(py.begin(), py.end());
      // 1-D W2^2 = int_0^1 (Qx(u) - Qy(u))^2 du on the midpoint grid of max(N, M) levels; for
      // N == M this is exactly the matching of sorted projections
      double sum = 0.0;
      for (std::size_t k = 0; k < grid; ++k) {
        const double u = (static_cast<double>(k) + 0.5) / static_cast<double>(grid);
        const double diff = quantile(px, u) - quantile(py, u);
        sum += diff * diff;
      }
      w2(col) = sum / static_cast<double>(grid);
    }
  };
  currentThreadPool().parallelFor(0, slices, run, 1);
  double total = 0.0;
  for (int l = 0; l < slices; ++l) total += w2(l);  // in slice order: thread-count independent
  return std::sqrt(total / slices);
}

namespace {

// particles per mode, each particle counted for its nearest centre (THEORY.md §8.3)
std::vector<long long> nearestCentreCounts(const Points& particles, const Points& centres,
                                           const std::vector<double>& weights, const char* what) {
  DRIFTLAB_CHECK(static_cast<std::size_t>(centres.cols()) == weights.size(),
                 std::string(what) + ": " + std::to_string(centres.cols()) + " centres but " +
                     std::to_string(weights.size()) + " weights");
  DRIFTLAB_CHECK(centres.rows() == particles.rows(), std::string(what) + ": centres have dimension " +
                                                         std::to_string(centres.rows()) + ", particles " +
                                                         std::to_string(particles.rows()));
  for (double w : weights) {
    DRIFTLAB_CHECK(std::isfinite(w) && w >= 0.0, std::string(what) + ": weights must be finite and >= 0 (got " +
                                                     std::to_string(w) + ")");
  }
  std::vector<long long> count(weights.size(), 0);
  for (Eigen::Index i = 0; i < particles.cols(); ++i) {
    Eigen::Index best = 0;
    (centres.colwise() - particles.col(i)).colwise().squaredNorm().minCoeff(&best);
    ++count[static_cast<std::size_t>(best)];
  }
  return count;
}

}  // namespace

int modesCovered(const Points& particles, const Points& centres, const std::vector<double>& weights) {
  if (centres.cols() == 0 && weights.empty()) return -1;
  const std::vector<long long> count = nearestCentreCounts(particles, centres, weights, "modesCovered");
  // a mode is covered when it holds at least half of its share of the particles (THEORY.md §8.3)
  const auto n = static_cast<double>(particles.cols());
  int covered = 0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    if (static_cast<double>(count[k]) >= 0.5 * weights[k] * n) ++covered;
  }
  return covered;
}

ModeMass modeMass(const Points& particles, const Points& centres, const std::vector<double>& weights) {
  ModeMass out;
  if (centres.cols() == 0 && weights.empty()) return out;
  const std::vector<long long> count = nearestCentreCounts(particles, centres, weights, "modeMass");
  double wsum = 0.0;
  for (double w : weights) wsum += w;
  DRIFTLAB_CHECK(wsum > 0.0, "modeMass: the weights sum to 0");
  const auto n = static_cast<double>(particles.cols());
  out.share.resize(weights.size(), 0.0);
  out.weight.resize(weights.size(), 0.0);
  double l1 = 0.0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    out.share[k] = n > 0 ? static_cast<double>(count[k]) / n : 0.0;
    out.weight[k] = weights[k] / wsum;
    l1 += std::abs(out.share[k] - out.weight[k]);
  }
  // TV of two laws on the K modes; with no particles there is no law q, so no distance
  out.tv = n > 0 ? 0.5 * l1 : std::numeric_limits<double>::quiet_NaN();
  return out;
}

Metrics computeMetrics(const Points& particles, const Points& data, const Points& mode_centres,
                       const std::vector<double>& mode_weights, const VelocityOptions& flow,
                       const MetricsOptions& opt) {
  checkPair(particles, data, "metrics");
  checkBandwidth(opt.reference_h, "metrics.reference_h");
  DRIFTLAB_CHECK(opt.max_points >= 2,
                 "metrics.max_points: must be >= 2 (got " + std::to_string(opt.max_points) + ")");
  DRIFTLAB_CHECK(opt.slices >= 1, "metrics.slices: must be >= 1 (got " + std::to_string(opt.slices) + ")");

  // deterministic subsamples: the same seed picks the same points on every call
  const bool sub_x = particles.cols() > opt.max_points, sub_y = data.cols() > opt.max_points;
  const Points xs_store = sub_x ? subsample(particles, opt.max_points, seeded::mixSeed(opt.seed, 1)) : Points();
  const Points ys_store = sub_y ? subsample(data, opt.max_points, seeded::mixSeed(opt.seed, 2)) : Points();
  const Points& xs = sub_x ? xs_store : particles;
  const Points& ys = sub_y ? ys_store : data;
  const auto n = static_cast<double>(xs.cols()), m = static_cast<double>(ys.cols());
  const double h = opt.reference_h;

  // on the sphere the energy distance is geodesic; the Gaussian reference kernel is unchanged,
  // since on unit vectors it is the vMF kernel e^{kappa (x.y - 1)}, kappa = 1/h^2 (THEORY.md §10.6)
  const bool geo = opt.sphere;
  const RowSums xx = rowSums(xs, xs, h, {true, true, true, geo});
  const RowSums yy = rowSums(ys, ys, h, {true, true, true, geo});
  const RowSums xy = rowSums(xs, ys, h, {false, true, true, geo});
  const RowSums yx = rowSums(ys, xs, h, {false, true, false});

  Metrics out;
  out.mmd2 = mmdFromSums(sumExp(xx.lse), sumExp(yy.lse), sumExp(xy.lse), n, m);
  out.energy = energyFromSums(xx.dist, yy.dist, xy.dist, n, m);
  out.sliced_w2 = slicedW2(xs, ys, opt.slices, opt.seed);

  // KDE estimates (THEORY.md §8.2) with the normalized Gaussian reference kernel; Z_k cancels in
  // every difference of logs and every ratio (on the sphere too, where the kernel is vMF). Leave-one-out needs 2 points; a single point
  // falls back to the full sum.
  const Vec log_q_at_x = xs.cols() >= 2 ? Vec(xx.lse_loo.array() - std::log(n - 1.0)) : Vec(xx.lse.array() - std::log(n));
  const Vec log_p_at_x = xy.lse.array() - std::log(m);
  const Vec log_p_at_y = ys.cols() >= 2 ? Vec(yy.lse_loo.array() - std::log(m - 1.0)) : Vec(yy.lse.array() - std::log(m));
  const Vec log_q_at_y = yx.lse.array() - std::log(n);
  out.kl_qp = (log_q_at_x - log_p_at_x).mean();
  out.kl_pq = (log_p_at_y - log_q_at_y).mean();
  // chi2 = mean_i q/p - 1, the mean taken in log space so that it only overflows when the
  // true value exceeds the double range (then +inf)
  const Eigen::ArrayXd log_ratio = (log_q_at_x - log_p_at_x).array();
  out.chi2 = std::exp(logSumExp(log_ratio) - std::log(n)) - 1.0;

  // modes: the nearest centre by chord distance is the nearest by angle on the sphere (the chord
  // 2 sin(theta/2) increases with theta), so the assignment needs no sphere branch
  out.modes_total = static_cast<int>(mode_centres.cols());
  out.modes_covered = modesCovered(particles, mode_centres, mode_weights);
  ModeMass mass = modeMass(particles, mode_centres, mode_weights);
  out.mode_share = std::move(mass.share);
  out.mode_weight = std::move(mass.weight);
  out.mode_tv = mass.tv;
  out.objective = objectiveValue(xs, ys, flow, opt.sphere);
  return out;
}

std::vector<std::string> metricsColumns() {
  return {"step", "time", "mmd2", "energy", "sliced_w2", "kl_qp", "kl_pq", "chi2", "modes_covered", "objective"};
}

std::string formatMetricsRow(const Metrics& m) {
  std::string out = std::to_string(m.step);
  for (double v : {m.time, m.mmd2, m.energy, m.sliced_w2, m.kl_qp, m.kl_pq, m.chi2}) {
    out += ',';
    appendValue(out, v);
  }
  out += ',' + std::to_string(m.modes_covered) + ',';
  appendValue(out, m.objective);
  return out;
}

std::vector<std::string> modeMassColumns(int mode_count) {
  std::vector<std::string> cols{"mode_tv"};
  for (int k = 0; k < mode_count; ++k) cols.push_back("mode_share_" + std::to_string(k));
  return cols;
}

std::string formatModeMassCells(const Metrics& m) {
  std::string out;
  out += ',';
  appendValue(out, m.mode_tv);
  for (double v : m.mode_share) {
    out += ',';
    appendValue(out, v);
  }
  return out;
}

}  // namespace driftlab
