// Internal: FlowParams compared setting by setting through the parameter table: the label of the
// run loop's change markers ("kernel gaussian→laplacian, eta 0.01→0.02") and equality.
// Any thread (pure).
#pragma once

#include <string>

#include "driftlab/flow/flow_params.hpp"

namespace driftlab::detail {

// "" when nothing a run depends on changed; otherwise each changed setting as "label old→new",
// in the table's order, joined by ", "
std::string describeParamsChange(const FlowParams& before, const FlowParams& after);
// every setting of the table equal
bool sameParams(const FlowParams& a, const FlowParams& b);

}  // namespace driftlab::detail
