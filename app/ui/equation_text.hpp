// The Equations window's text (equations_panel.cpp), GUI-free so that the doctest suite checks it:
// the velocity formula of a run's field and divergence mixture as lines of Unicode maths, with each
// active term's weight written out as in THEORY.md §5.2 (f-divergences), §5.3 (MMD), §4.2-§4.6
// (drift fields) and §10.3 (the sphere); and the values of every term at one probe point, computed
// from the particles and data with core's kernel evaluator and checked against core's evaluateField.
// Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/field/divergence.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/flow_params.hpp"

namespace driftlab::app::ui {

// The formula lines for these settings, in display order: the general formula, one line per active
// term (its mixture weight lambda and its weight function or field), the kernel and bandwidth, the
// geometry and velocity-mode lines where they apply, and last the sections of THEORY.md they come
// from ("THEORY.md §5.2", "THEORY.md §5.2, §5.3, §10.3"). UTF-8.
std::vector<std::string> equationLines(const FlowParams& p);
// the last of equationLines: "THEORY.md §..." naming every section the lines use
std::string theorySections(const FlowParams& p);
// "1", "0.5", "1e-06": a compact number for the formula lines
std::string formatNumber(double x);

// One active term at the probe point.
struct ProbeTerm {
  Divergence term = Divergence::ForwardKL;
  double lambda = 0;     // its mixture weight
  bool is_f = false;     // an f-divergence: v_k = lambda w(rho) (grad log p_hat - grad log q_hat)
  double w = 0;          // w(rho) (f-divergences only)
  Vec v;                 // the term's weighted velocity lambda v_k(x)
};

// Every quantity of the formula at one point x that is not a particle (no leave-one-out):
// rho = q_hat / p_hat clamped to [ratio_min, ratio_max] (THEORY.md §6.2), the scores, the kernel
// means, each term's velocity and their sum; v_engine is core's evaluateField at x for comparison.
struct ProbeTerms {
  bool ok = false;
  std::string error;     // why ok is false
  // true for the single-scale plug-in field, whose terms are computed here from the formula; false
  // for multi-scale or exact smoothed velocities, whose terms come from evaluateField's breakdown
  bool from_formula = false;
  std::string note;      // what from_formula = false means, for the window
  Vec x;
  double log_rho = 0, rho = 0;  // rho after the clamp; log_rho before it
  bool rho_clamped = false;
  bool has_scores = false;      // the row sums were computed (not for multi-scale / smoothed)
  Vec score_p, score_q;         // grad log p_hat(x), grad log q_hat(x)
  Vec shift_p, shift_q;         // mean shifts m_p(x) - x, m_q(x) - x (drift)
  double mu_p = 0, mu_q = 0;    // (1/M) sum_j k(x, y_j), (1/N) sum_i k(x, x_i) (MMD)
  std::vector<ProbeTerm> terms;
  Vec v;                        // sum of the terms
  Vec v_engine;                 // evaluateField(x)
  double speed = 0;             // |v|
};

ProbeTerms evaluateProbeTerms(const Points& particles, const Points& data, const VelocityOptions& opt, const Vec& x);

// the values as lines of text: rho and w(rho) per f-divergence term, each term's velocity, v and
// |v|, and the relative difference to the engine's value
std::vector<std::string> probeLines(const ProbeTerms& t);

}  // namespace driftlab::app::ui
