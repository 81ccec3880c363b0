// Internal: a short human-readable summary of what changed between two FlowParams, used as the
// label of the FlowWorker's change markers ("kernel=laplacian, step=0.02"). Any thread (pure).
#pragma once

#include <string>

#include "driftlab/flow/flow_params.hpp"

namespace driftlab::detail {

// "" when nothing a run depends on changed; otherwise the changed fields as key=value, in the
// order of FlowParams, joined by ", " (scenario.hpp setting keys where one exists)
std::string describeParamsChange(const FlowParams& before, const FlowParams& after);

}  // namespace driftlab::detail
