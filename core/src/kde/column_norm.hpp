// INTERNAL: the largest column norm of a d x N array (the engine's max speed). Any thread (uses the
// current thread pool).
#pragma once

#include "driftlab/base/types.hpp"

namespace driftlab {

// max_i |v_i|, or NaN when an entry is not finite or |v_i|^2 overflows
double maxColumnNorm(const Points& v);

}  // namespace driftlab
