// The analytic target p = N(0, I) (THEORY.md §11.4), for the fields and the objective. Any thread.
#pragma once

#include <cmath>
#include <numbers>

namespace driftlab::detail {

// log N(x; 0, I) of the d coordinates at x
inline double logStandardNormal(const double* x, long d) {
  double r2 = 0.0;
  for (long a = 0; a < d; ++a) r2 += x[a] * x[a];
  return -0.5 * r2 - 0.5 * double(d) * std::log(2.0 * std::numbers::pi);
}

}  // namespace driftlab::detail
