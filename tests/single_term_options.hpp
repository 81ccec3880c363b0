// Test-only: the velocity options of one divergence term with one kernel, as several field and
// metric tests build them.
#pragma once

#include "driftlab/field/velocity.hpp"

namespace driftlab::testing {

inline VelocityOptions singleTerm(KernelKind kind, double h, Divergence t, bool loo) {
  VelocityOptions o;
  o.kernel.kind = kind;
  o.kernel.h = h;
  o.weights = DivergenceWeights::single(t);
  o.leave_one_out = loo;
  return o;
}

}  // namespace driftlab::testing
