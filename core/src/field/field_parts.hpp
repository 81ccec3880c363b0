// INTERNAL: the two halves of a base field at a set of evaluation points (d x E each):
// attraction = the data (W+) part, repulsion = the particle (W-) part; the field is their sum.
#pragma once

#include "driftlab/base/types.hpp"

namespace driftlab {

struct FieldParts {
  Points attraction;
  Points repulsion;
};

}  // namespace driftlab
