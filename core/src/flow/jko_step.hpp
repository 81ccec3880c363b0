// One JKO (proximal) step on particles, THEORY.md §11.2: minimize
//   Phi(X) = F(X) + (1 / (2 tau N)) sum_i |x_i - x_i^k|^2
// over the particle positions X (identity coupling), given the flow's velocity v(X) = -N grad F(X).
// Its stationary point is the implicit Euler step x_i = x_i^k + tau v_i(X). Private to the flow
// layer; any thread (the field callback runs on the calling thread).
#pragma once

#include <functional>

#include "driftlab/base/types.hpp"

namespace driftlab::detail {

struct JkoOptions {
  double tau = 0.1;         // the proximal step (flow time per outer step)
  int max_iterations = 50;  // inner iterations at most
  double tol = 1e-6;        // stop when the residual is below tol times the explicit step's RMS length
  // true: v is exactly -N grad F (the exact smoothed velocity and its functional), so steps are
  // accepted when Phi does not rise, and F can only fall from one outer step to the next.
  // false (plug-in velocities, which are not the gradient of any sample objective): the step
  // solves x = x^k + tau v(x) as an equation, accepting steps that do not raise the residual
  bool v_is_gradient = true;
};

struct JkoResult {
  Points x;              // the new positions
  int iterations = 0;    // inner iterations used (each one velocity and objective evaluation)
  double residual = 0;   // RMS_i |x_i - x_i^k - tau v_i(X)| at the result, position units
  bool converged = false;
  // no inner step kept the merit down, not even the first (x is x^k): with plug-in velocities,
  // which are not the gradient of Phi, the residual can rise along every step tried
  bool stalled = false;
  bool finite = true;    // false: a velocity or position was not finite (the caller rolls back)
};

// field(X, v) fills v with the velocity at X and returns F(X), or NaN when F has no value there
// (then the step sizes are taken without checking that Phi decreases)
using JkoField = std::function<double(const Points& x, Points& v)>;

// Barzilai-Borwein steps along -N grad Phi = v(X) - (X - X^k) / tau, the first from X^k with step
// tau (the explicit Euler point), each one halved until the merit (Phi, or the squared residual
// when v is not a gradient) does not exceed the largest of its last five values: a non-monotone
// line search, as BB steps may raise the merit for one iteration and still converge)
JkoResult jkoStep(const Points& x_prev, const JkoOptions& opt, const JkoField& field);

}  // namespace driftlab::detail
