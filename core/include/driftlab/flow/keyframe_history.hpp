// KeyframeHistory: a particle flow's past as FlowState keyframes every K steps within a memory
// budget, and seek by exact replay (base/keyframe_timeline.hpp has the rules: budget, thinning,
// pinned keyframes at changes; why replay is exact: THEORY.md §6.6).
// Thread: the engine's owner, between steps.
#pragma once

#include <cstddef>

#include "driftlab/base/keyframe_timeline.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/flow_state.hpp"

namespace driftlab {

inline long keyframeStep(const FlowState& s) { return s.step_index; }
inline std::size_t keyframeBytes(const FlowState& s) { return s.bytes(); }

using KeyframeHistory = KeyframeTimeline<FlowEngine>;

}  // namespace driftlab
