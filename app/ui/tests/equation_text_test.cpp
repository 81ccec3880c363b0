// Tests of app/ui/equation_text.cpp: the exact formula lines of the Equations window for four
// settings, and the probe values against core's evaluateField (THEORY.md §5.2, §5.3, §10.3).
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../equation_text.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/flow_params.hpp"

using namespace driftlab;
using namespace driftlab::app::ui;

namespace {

using Lines = std::vector<std::string>;

// a small fixed problem: 5 particles, 6 data points in the plane
Points smallParticles() {
  Points x(2, 5);
  x << 0.10, -0.20, 0.35, 0.05, -0.30,  //
      0.00, 0.15, -0.10, 0.40, -0.25;
  return x;
}
Points smallData() {
  Points y(2, 6);
  y << 0.50, 0.60, 0.45, -0.50, -0.55, -0.40,  //
      0.50, 0.40, 0.65, -0.50, -0.45, -0.60;
  return y;
}

double relErr(const Vec& a, const Vec& b) { return (a - b).norm() / std::max(1e-300, b.norm()); }

VelocityOptions optionsOf(const DivergenceWeights& w, KernelKind kind, double h) {
  VelocityOptions opt;
  opt.kernel.kind = kind;
  opt.kernel.h = h;
  opt.weights = w;
  opt.path = ComputePath::Exact64;
  return opt;
}

}  // namespace

TEST_CASE("formula lines: forward KL alone") {
  FlowParams p;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  const Lines expected = {
      "v(x) = λ w(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂",
      "forward_kl: λ = 1,  w(ρ) = 1",
      "kernel gaussian,  h = 0.1 (fixed)",
      "Gaussian kernel: h² ∇log(p̂/q̂)(x) = m_p(x) − m_q(x)  (Drifting Model)",
      "THEORY.md §4.3, §5.2",
  };
  CHECK(equationLines(p) == expected);
  CHECK(theorySections(p) == "THEORY.md §4.3, §5.2");
}

TEST_CASE("formula lines: reverse KL + chi2, 0.5 / 0.5") {
  FlowParams p;
  p.weights = DivergenceWeights::parseList("reverse_kl=0.5,chi2=0.5");
  p.kernel.kind = KernelKind::Laplacian;
  p.bandwidth.h = 0.25;
  const Lines expected = {
      "v(x) = Σ_k λ_k w_k(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂",
      "reverse_kl: λ = 0.5,  w(ρ) = 1/ρ = p̂/q̂",
      "chi2: λ = 0.5,  w(ρ) = 2ρ",
      "kernel laplacian,  h = 0.25 (fixed)",
      "THEORY.md §5.2",
  };
  CHECK(equationLines(p) == expected);
  p.chi2 = Chi2Convention::Half;
  CHECK(equationLines(p)[2] == "chi2: λ = 0.5,  w(ρ) = ρ  (chi2 = half)");
}

TEST_CASE("formula lines: MMD") {
  FlowParams p;
  p.weights = DivergenceWeights::single(Divergence::MMD);
  const Lines expected = {
      "v(x) = λ v_k(x)",
      "mmd: λ = 1,  v_k(x) = ∇(μ_p − μ_q)(x)",
      "  μ_p = (1/M) Σ_j k(x, y_j),  μ_q = (1/N) Σ_i k(x, x_i)",
      "kernel gaussian,  h = 0.1 (fixed)",
      "THEORY.md §5.3",
  };
  CHECK(equationLines(p) == expected);
}

TEST_CASE("formula lines: sphere geometry") {
  FlowParams p;  // the default mixture: reverse_kl = 1, chi2 = 0.5
  p.geometry = GeometryKind::Sphere;
  const Lines expected = {
      "v(x) = Σ_k λ_k w_k(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂",
      "reverse_kl: λ = 1,  w(ρ) = 1/ρ = p̂/q̂",
      "chi2: λ = 0.5,  w(ρ) = 2ρ",
      "kernel gaussian,  h = 0.1 (fixed)",
      "sphere S^(d−1): v ← P_x v,  P_x = I − x xᵀ",
      "  x ← Exp_x(η v)",
      "  Gaussian kernel on the sphere = von Mises–Fisher, κ = 1/h²",
      "THEORY.md §5.2, §10.2, §10.3",
  };
  CHECK(equationLines(p) == expected);
  p.geometry = GeometryKind::SphereRetraction;
  CHECK(equationLines(p)[5] == "  x ← (x + η v) / ‖x + η v‖");
}

TEST_CASE("formula lines: mixtures with drift fields and every f weight") {
  FlowParams p;
  p.weights = DivergenceWeights::parseList("drift=1,hellinger=2,js=1,alpha=1,chi2_reverse=1");
  p.alpha = 0.25;
  const Lines l = equationLines(p);
  REQUIRE(l.size() == 10);
  CHECK(l[0] == "v(x) = Σ_k λ_k v_k(x)");
  CHECK(l[1] == "  f-divergence terms: v_k = w_k(ρ(x)) ∇log(p̂/q̂)(x),  ρ = q̂/p̂");
  CHECK(l[2] == "drift: λ = 1,  v_k(x) = m_p(x) − m_q(x),  m_p(x) = Σ_j ω_j(x) y_j");
  CHECK(l[3] == "chi2_reverse: λ = 1,  w(ρ) = 2/ρ²");
  CHECK(l[4] == "hellinger: λ = 2,  w(ρ) = ½ ρ^(−1/2)");
  CHECK(l[5] == "js: λ = 1,  w(ρ) = 1/(2(1 + ρ)) = ½ p̂/(p̂ + q̂)");
  CHECK(l[6] == "alpha: λ = 1,  w(ρ) = ρ^(α−1),  α = 0.25");
  CHECK(l[7] == "kernel gaussian,  h = 0.1 (fixed)");
  CHECK(l[8] == "Gaussian kernel: h² ∇log(p̂/q̂)(x) = m_p(x) − m_q(x)  (Drifting Model)");
  CHECK(l[9] == "THEORY.md §4.2, §4.3, §5.2");
}

TEST_CASE("probe terms: v = sum_k lambda_k w_k(rho) grad log(p_hat / q_hat), against core") {
  const Points particles = smallParticles(), data = smallData();
  Vec x(2);
  x << 0.2, 0.1;
  DivergenceWeights w = DivergenceWeights::parseList("reverse_kl=0.5,chi2=0.5,hellinger=0.25");
  const VelocityOptions opt = optionsOf(w, KernelKind::Gaussian, 0.3);
  const ProbeTerms t = evaluateProbeTerms(particles, data, opt, x);
  REQUIRE(t.ok);
  REQUIRE(t.from_formula);
  REQUIRE(t.terms.size() == 3);

  Points eval(2, 1);
  eval.col(0) = x;
  FieldRequest req;
  req.densities = true;
  // rho = q_hat / p_hat from core's normalized KDEs (Gaussian: integrable, same Z_k on both sides)
  const FieldResult dens = evaluateField(eval, {}, particles, data, opt, req);
  const double rho_core = std::exp(dens.log_q[0] - dens.log_p[0]);
  CHECK(std::abs(t.rho - rho_core) <= 1e-9 * rho_core);
  // grad log(p_hat / q_hat) from core: the forward-KL field (w = 1)
  const Vec grad_core =
      evaluateField(eval, {}, particles, data, optionsOf(DivergenceWeights::single(Divergence::ForwardKL),
                                                          KernelKind::Gaussian, 0.3)).v.col(0);
  CHECK(relErr(t.score_p - t.score_q, grad_core) <= 1e-9);
  // each term and the sum
  Vec sum = Vec::Zero(2);
  for (const ProbeTerm& term : t.terms) {
    CHECK(term.is_f);
    const double w_core = fDivergenceWeight(term.term, rho_core, opt.alpha, opt.chi2);
    CHECK(std::abs(term.w - w_core) <= 1e-9 * w_core);
    CHECK(relErr(term.v, term.lambda * w_core * grad_core) <= 1e-9);
    sum += term.lambda * w_core * grad_core;
  }
  const Vec v_core = evaluateField(eval, {}, particles, data, opt).v.col(0);
  CHECK(relErr(sum, v_core) <= 1e-9);
  CHECK(relErr(t.v, v_core) <= 1e-9);
  CHECK(relErr(t.v_engine, v_core) <= 1e-12);
  CHECK(t.speed == doctest::Approx(v_core.norm()).epsilon(1e-9));
  // the weights written out: reverse_kl 1/rho, chi2 2 rho, hellinger 1/(2 sqrt rho)
  CHECK(t.terms[0].w == doctest::Approx(1.0 / rho_core).epsilon(1e-12));
  CHECK(t.terms[1].w == doctest::Approx(2.0 * rho_core).epsilon(1e-12));
  CHECK(t.terms[2].w == doctest::Approx(0.5 / std::sqrt(rho_core)).epsilon(1e-12));

  const Lines lines = probeLines(t);
  REQUIRE(lines.size() == 9);  // x, rho, the two scores, their difference, 3 terms, v, engine
  CHECK(lines[0] == "x = (0.2, 0.1)");
  CHECK(lines[1].rfind("ρ = q̂/p̂ = ", 0) == 0);
  CHECK(lines[4].rfind("reverse_kl: w(ρ) = ", 0) == 0);
  CHECK(lines[8].rfind("engine (evaluateField): |v − v_engine| / |v_engine| = ", 0) == 0);
}

TEST_CASE("probe terms: MMD, drift, Laplacian kernel and a clamped ratio agree with core") {
  const Points particles = smallParticles(), data = smallData();
  Vec x(2);
  x << -0.1, 0.3;
  for (const char* list : {"mmd=1", "drift=1", "mmd=0.5,forward_kl=2,drift=1", "drift_double=1,reverse_kl=1"}) {
    for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
      CAPTURE(list);
      const VelocityOptions opt = optionsOf(DivergenceWeights::parseList(list), kind, 0.2);
      const ProbeTerms t = evaluateProbeTerms(particles, data, opt, x);
      REQUIRE(t.ok);
      const Vec v_core = evaluateField(Points(x), {}, particles, data, opt).v.col(0);
      CHECK(relErr(t.v, v_core) <= 1e-9);
    }
  }
  // far from the particles, near the data: rho hits ratio_min = 1e-6 and is reported clamped
  Vec far(2);
  far << 3.0, 3.0;
  Points data_far = smallData();
  data_far.col(0) << 3.0, 3.0;
  const VelocityOptions opt = optionsOf(DivergenceWeights::single(Divergence::ReverseKL), KernelKind::Gaussian, 0.1);
  const ProbeTerms t = evaluateProbeTerms(particles, data_far, opt, far);
  REQUIRE(t.ok);
  CHECK(t.rho_clamped);
  CHECK(t.rho == doctest::Approx(1e-6));
  const Vec v_core = evaluateField(Points(far), {}, particles, data_far, opt).v.col(0);
  CHECK(relErr(t.v, v_core) <= 1e-9);
}

TEST_CASE("probe terms: multi-scale takes the terms from core and says so") {
  const Points particles = smallParticles(), data = smallData();
  Vec x(2);
  x << 0.0, 0.0;
  VelocityOptions opt = optionsOf(DivergenceWeights::mixedDefault(), KernelKind::Gaussian, 0.1);
  opt.extra_bandwidths = {0.3};
  const ProbeTerms t = evaluateProbeTerms(particles, data, opt, x);
  REQUIRE(t.ok);
  CHECK_FALSE(t.from_formula);
  CHECK_FALSE(t.note.empty());
  CHECK(relErr(t.v, t.v_engine) <= 1e-12);
  // a wrong dimension is an error, not a crash
  Vec x3 = Vec::Zero(3);
  CHECK_FALSE(evaluateProbeTerms(particles, data, opt, x3).ok);
}
