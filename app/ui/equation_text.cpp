// The Equations window's text and probe values (equation_text.hpp). THEORY.md §4.2-§4.6, §5.2-§5.4,
// §6.2, §10.3, §11.4. Pure functions; any thread.
#include "equation_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <numbers>
#include <set>
#include <utility>

#include "driftlab/kde/bandwidth.hpp"
#include "driftlab/kde/kernel.hpp"

namespace driftlab::app::ui {

namespace {

// the active terms (weight > 0), in enum order, as evaluateField's breakdown lists them
std::vector<Divergence> activeOf(const DivergenceWeights& w) {
  std::vector<Divergence> out;
  for (int i = 0; i < kNumDivergences; ++i)
    if (w.w[static_cast<std::size_t>(i)] > 0) out.push_back(static_cast<Divergence>(i));
  return out;
}

// w(rho) as THEORY.md §5.2's table writes it
std::string weightText(Divergence d, const FlowParams& p) {
  switch (d) {
    case Divergence::ForwardKL: return "1";
    case Divergence::ReverseKL: return "1/ρ = p̂/q̂";
    case Divergence::Chi2: return p.chi2 == Chi2Convention::Full ? "2ρ" : "ρ  (chi2 = half)";
    case Divergence::Chi2Reverse: return "2/ρ²";
    case Divergence::Hellinger: return "½ ρ^(−1/2)";
    case Divergence::JS: return "1/(2(1 + ρ)) = ½ p̂/(p̂ + q̂)";
    case Divergence::Alpha: return "ρ^(α−1),  α = " + formatNumber(p.alpha);
    default: return "";
  }
}

std::string bandwidthText(const BandwidthSpec& b) {
  switch (b.rule) {
    case BandwidthRule::Fixed: return "h = " + formatNumber(b.h) + " (fixed)";
    case BandwidthRule::Silverman: return "h by Silverman's rule";
    case BandwidthRule::Median: return "h by the median heuristic";
    case BandwidthRule::Anneal:
      return "h(t) = max(" + formatNumber(b.h) + " e^(−" + formatNumber(b.anneal_rate) + " t), " + formatNumber(b.h_min) +
             ")";
    case BandwidthRule::MultiScale: {
      std::string s = "h ∈ {";
      for (std::size_t i = 0; i < b.scales.size(); ++i) s += (i ? ", " : "") + formatNumber(b.scales[i]);
      return s + "},  v = Σ_s v_(h_s) / RMS_s";
    }
  }
  return "";
}

std::string vecText(const Vec& v) {
  std::string s = "(";
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v[i]);
    s += (i ? ", " : "") + std::string(buf);
  }
  return s + ")";
}

std::string numText(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

bool isGaussianIdentity(const FlowParams& p, const std::vector<Divergence>& terms) {
  if (p.kernel.kind != KernelKind::Gaussian || p.geometry != GeometryKind::Euclidean) return false;
  return std::any_of(terms.begin(), terms.end(),
                     [](Divergence d) { return d == Divergence::ForwardKL || d == Divergence::Drift; });
}

// the section numbers the lines use, as (major, minor) so that they sort numerically
std::vector<std::pair<int, int>> sectionsOf(const FlowParams& p) {
  std::set<std::pair<int, int>> s;
  const auto terms = activeOf(p.weights);
  for (Divergence d : terms) {
    if (isFDivergence(d)) s.insert({5, 2});
    else if (d == Divergence::MMD) s.insert({5, 3});
    else if (d == Divergence::Drift) s.insert({4, 2});
    else if (d == Divergence::DriftDouble) s.insert({4, 4});
    else if (d == Divergence::Sinkhorn) s.insert({4, 6});
  }
  if (isGaussianIdentity(p, terms)) s.insert({4, 3});
  if (p.bandwidth.rule == BandwidthRule::MultiScale) s.insert({3, 6});
  if (p.velocity_mode == VelocityMode::ExactSmoothed) s.insert({5, 4});
  if (p.target == TargetKind::StandardGaussian) s.insert({11, 4});
  if (p.geometry != GeometryKind::Euclidean) s.insert({10, 3});
  if (p.geometry != GeometryKind::Euclidean && p.kernel.kind == KernelKind::Gaussian) s.insert({10, 2});
  if (p.mode == FlowMode::Dfm) s.insert({12, 2});
  return {s.begin(), s.end()};
}

// log of sum_j k(x, src_j) by log-sum-exp, with the softmax-weighted score and mean shift
// (THEORY.md §4.1, §6.1); -inf and zero vectors for an empty source set
double kernelRow(const KernelEvaluator& k, const Points& src, const Vec& x, Vec& score, Vec& shift) {
  const Eigen::Index d = x.size(), n = src.cols();
  score = Vec::Zero(d);
  shift = Vec::Zero(d);
  if (n == 0) return -std::numeric_limits<double>::infinity();
  std::vector<double> logk(static_cast<std::size_t>(n)), r2(static_cast<std::size_t>(n));
  double mx = -std::numeric_limits<double>::infinity();
  for (Eigen::Index j = 0; j < n; ++j) {
    r2[j] = (src.col(j) - x).squaredNorm();
    logk[j] = k.logValue(r2[j]);
    mx = std::max(mx, logk[j]);
  }
  double sum = 0.0;
  for (Eigen::Index j = 0; j < n; ++j) sum += std::exp(logk[j] - mx);
  const double lse = mx + std::log(sum);
  for (Eigen::Index j = 0; j < n; ++j) {
    const double omega = std::exp(logk[j] - lse);
    const Vec u = src.col(j) - x;
    score += omega * k.scoreCoefficient(r2[j]) * u;
    shift += omega * u;
  }
  return lse;
}

}  // namespace

std::string formatNumber(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string theorySections(const FlowParams& p) {
  std::string s = "THEORY.md ";
  const auto secs = sectionsOf(p);
  for (std::size_t i = 0; i < secs.size(); ++i)
    s += (i ? ", §" : "§") + std::to_string(secs[i].first) + "." + std::to_string(secs[i].second);
  return s;
}

std::vector<std::string> equationLines(const FlowParams& p) {
  std::vector<std::string> out;
  const auto terms = activeOf(p.weights);
  const bool all_f = !terms.empty() && std::all_of(terms.begin(), terms.end(), isFDivergence);
  const bool any_f = std::any_of(terms.begin(), terms.end(), isFDivergence);
  // the general formula
  if (all_f) {
    out.push_back(terms.size() == 1 ? "v(x) = λ w(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂"
                                    : "v(x) = Σ_k λ_k w_k(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂");
  } else {
    out.push_back(terms.size() == 1 ? "v(x) = λ v_k(x)" : "v(x) = Σ_k λ_k v_k(x)");
    if (any_f) out.push_back("  f-divergence terms: v_k = w_k(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂");
  }
  // one line per active term
  for (Divergence d : terms) {
    const std::string head = std::string(divergenceName(d)) + ": λ = " + formatNumber(p.weights[d]) + ",  ";
    if (isFDivergence(d)) {
      out.push_back(head + "w(ρ) = " + weightText(d, p));
    } else if (d == Divergence::MMD) {
      out.push_back(head + "v_k(x) = ∇(μ_p − μ_q)(x)");
      out.push_back("  μ_p = (1/M) Σ_j k(x, y_j),  μ_q = (1/N) Σ_i k(x, x_i)");
    } else if (d == Divergence::Drift) {
      out.push_back(head + "v_k(x) = m_p(x) − m_q(x),  m_p(x) = Σ_j ω_j(x) y_j");
    } else if (d == Divergence::DriftDouble) {
      out.push_back(head + "v_k = W⁺y⁺ − W⁻y⁻  (DM Algorithm 2)");
    } else if (d == Divergence::Sinkhorn) {
      out.push_back(head + "v_k(x) = T^qp(x) − T^qq(x),  ε = h²");
    }
  }
  // kernel and bandwidth
  out.push_back(std::string("kernel ") + kernelName(p.kernel.kind) + ",  " + bandwidthText(p.bandwidth));
  if (isGaussianIdentity(p, terms)) out.push_back("Gaussian kernel: h² ∇log(p̂/q̂)(x) = m_p(x) − m_q(x)  (Drifting Model)");
  if (p.target == TargetKind::StandardGaussian) out.push_back("p = N(0, I):  ∇log p(x) = −x");
  if (p.velocity_mode == VelocityMode::ExactSmoothed)
    out.push_back("exact smoothed: dx_i/dt = (k_h ∗ v)(x_i) / Z_k");
  if (p.geometry != GeometryKind::Euclidean) {
    out.push_back("sphere S^(d−1): v ← P_x v,  P_x = I − x xᵀ");
    out.push_back(p.geometry == GeometryKind::Sphere ? "  x ← Exp_x(η v)" : "  x ← (x + η v) / ‖x + η v‖");
    if (p.kernel.kind == KernelKind::Gaussian) out.push_back("  Gaussian kernel on the sphere = von Mises–Fisher, κ = 1/h²");
  }
  if (p.mode == FlowMode::Dfm) out.push_back("mode dfm: the particles follow the Diffusion Flow Matching drift");
  out.push_back(theorySections(p));
  return out;
}

ProbeTerms evaluateProbeTerms(const Points& particles, const Points& data, const VelocityOptions& opt, const Vec& x) {
  ProbeTerms t;
  t.x = x;
  try {
    const Eigen::Index d = x.size();
    if (d < 1 || data.rows() != d || (particles.cols() > 0 && particles.rows() != d)) {
      t.error = "the probe point's dimension does not match the run's";
      return t;
    }
    Points eval(d, 1);
    eval.col(0) = x;
    FieldRequest req;
    req.breakdown = true;
    const FieldResult r = evaluateField(eval, {}, particles, data, opt, req);
    t.v_engine = r.v.col(0);
    t.from_formula = opt.extra_bandwidths.empty() && opt.mode == VelocityMode::PlugIn;
    if (!t.from_formula) {
      t.note = opt.mode == VelocityMode::ExactSmoothed ? "exact smoothed velocity: the terms are k_h ∗ v_k (§5.4)"
                                                       : "multi-scale: the terms are sums over the scales (§3.6)";
      t.v = Vec::Zero(d);
      for (std::size_t k = 0; k < r.terms.size(); ++k) {
        ProbeTerm term;
        term.term = r.terms[k];
        term.lambda = opt.weights[r.terms[k]];
        term.v = r.per_term[k].col(0);
        t.v += term.v;
        t.terms.push_back(term);
      }
      t.speed = t.v.norm();
      t.ok = true;
      return t;
    }
    // THEORY.md §6.1-§6.2 at one point that is not a particle: log-sum-exp kernel rows of both sets
    const KernelEvaluator k(opt.kernel, static_cast<int>(d));
    const double log_m = std::log(double(data.cols()));
    const double log_n = particles.cols() > 0 ? std::log(double(particles.cols())) : 0.0;
    double log_p = 0.0;
    if (opt.target == TargetKind::StandardGaussian) {  // THEORY.md §11.4: p = N(0, I), score -x
      const double log_z = logNormalizer(opt.kernel, static_cast<int>(d));
      log_p = -0.5 * x.squaredNorm() - 0.5 * double(d) * std::log(2.0 * std::numbers::pi) + log_m + log_z;
      t.score_p = -x;
      t.shift_p = -x;
    } else {
      log_p = kernelRow(k, data, x, t.score_p, t.shift_p);
    }
    const double log_q = kernelRow(k, particles, x, t.score_q, t.shift_q);
    t.has_scores = true;
    const double neg_inf = -std::numeric_limits<double>::infinity();
    t.log_rho = log_q == neg_inf ? neg_inf : (log_q - log_n) - (log_p - log_m);
    const double lo = std::log(opt.ratio_min), hi = std::log(opt.ratio_max);
    const double clamped = std::isnan(t.log_rho) ? 0.0 : std::clamp(t.log_rho, lo, hi);
    t.rho_clamped = !(clamped == t.log_rho);
    t.rho = std::exp(clamped);
    t.mu_p = std::exp(log_p - log_m);
    t.mu_q = log_q == neg_inf ? 0.0 : std::exp(log_q - log_n);
    t.v = Vec::Zero(d);
    for (std::size_t i = 0; i < r.terms.size(); ++i) {
      ProbeTerm term;
      term.term = r.terms[i];
      term.lambda = opt.weights[term.term];
      if (isFDivergence(term.term)) {  // §5.2: lambda w(rho) (grad log p_hat - grad log q_hat)
        term.is_f = true;
        term.w = fDivergenceWeight(term.term, t.rho, opt.alpha, opt.chi2);
        term.v = term.lambda * term.w * (t.score_p - t.score_q);
      } else if (term.term == Divergence::MMD) {  // §5.3: mu_p grad log mu_p - mu_q grad log mu_q
        term.v = term.lambda * (t.mu_p * t.score_p - t.mu_q * t.score_q);
      } else if (term.term == Divergence::Drift) {  // §4.2: (m_p - x) - (m_q - x)
        term.v = term.lambda * (t.shift_p - t.shift_q);
      } else {  // drift_double, sinkhorn: the whole batch's normalization (§4.4, §4.6), from core
        term.v = r.per_term[i].col(0);
      }
      t.v += term.v;
      t.terms.push_back(term);
    }
    t.speed = t.v.norm();
    t.ok = true;
  } catch (const std::exception& e) {
    t.error = e.what();
  }
  return t;
}

std::vector<std::string> probeLines(const ProbeTerms& t) {
  std::vector<std::string> out;
  if (!t.ok) {
    out.push_back("no value: " + t.error);
    return out;
  }
  out.push_back("x = " + vecText(t.x));
  if (t.has_scores) {
    std::string rho = "ρ = q̂/p̂ = " + numText(t.rho);
    if (t.rho_clamped) rho += "  (clamped; log ρ = " + numText(t.log_rho) + ")";
    out.push_back(rho);
    out.push_back("∇log p̂ = " + vecText(t.score_p) + ",  ∇log q̂ = " + vecText(t.score_q));
    out.push_back("∇log(p̂/q̂) = " + vecText(t.score_p - t.score_q));
    const bool mmd = std::any_of(t.terms.begin(), t.terms.end(), [](const ProbeTerm& p) { return p.term == Divergence::MMD; });
    if (mmd) out.push_back("μ_p = " + numText(t.mu_p) + ",  μ_q = " + numText(t.mu_q));
  }
  if (!t.note.empty()) out.push_back(t.note);
  for (const ProbeTerm& p : t.terms) {
    std::string s = std::string(divergenceName(p.term)) + ": ";
    if (p.is_f) s += "w(ρ) = " + numText(p.w) + ",  λ w ∇log(p̂/q̂) = ";
    else s += "λ v_k = ";
    out.push_back(s + vecText(p.v));
  }
  out.push_back("v = " + vecText(t.v) + ",  |v| = " + numText(t.speed));
  if (t.v_engine.size() == t.v.size()) {
    const double diff = (t.v - t.v_engine).norm(), scale = t.v_engine.norm();
    out.push_back(scale > 0 ? "engine (evaluateField): |v − v_engine| / |v_engine| = " + numText(diff / scale)
                            : "engine (evaluateField): |v − v_engine| = " + numText(diff));
  }
  return out;
}

}  // namespace driftlab::app::ui
