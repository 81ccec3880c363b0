// FlowState: everything a FlowEngine needs to continue a run exactly, as a plain value (fork and
// rewind: A/B runs from one state, keyframes of a run's history). THEORY.md §6.6 says
// what a restored engine reproduces bit for bit and why.
//
// What is here and why it is enough: the engine keeps no random-number generator between steps.
// Every draw is seeded from the parameters and a counter (DFM noise of sampler step k from
// init_seed and k; particles added from the KDE from init_seed and the edit counter), the
// bandwidth rule and its annealing are functions of (particles, data, flow time), and the
// geometry is stateless. So parameters, points, counters, flow time and the current step size
// (after rollback halvings) are the whole state. The grid path's data-side cache (kde/) is keyed
// on the bit-exact data and returns what a fresh build would, so it is not state.
// Plain data; any thread (a state is not tied to the engine it came from).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/flow/flow_params.hpp"
#include "driftlab/flow/dfm_drift_model.hpp"

namespace driftlab {

struct FlowState {
  FlowParams params;
  Points particles;                 // d x N
  Points data;                      // d x M (the data may have been edited: not rebuilt from the seeds)
  Points velocities;                // d x N, velocity at the start of the last step (display only)
  Points mode_centres;              // d x K
  std::vector<double> mode_weights;
  double time = 0.0;                // flow time
  double step_size = 0.0;           // eta after rollback halvings
  long step_index = 0;
  long dfm_step = 0;                // mode dfm: sampler steps since the particles left the source
  std::uint64_t edit_counter = 0;   // seeds the KDE draws of added particles
  // dfm.drift learned: the trained network (read-only, shared; null until trained). A function of
  // the data, the settings and the seed, kept so that a fork or a seek does not train again.
  std::shared_ptr<const DfmDriftModel> dfm_learned;

  // memory held: the points and weights plus the fixed part (what a keyframe budget counts)
  std::size_t bytes() const {
    const auto pts = [](const Points& m) { return static_cast<std::size_t>(m.size()) * sizeof(double); };
    return sizeof(FlowState) + pts(particles) + pts(data) + pts(velocities) + pts(mode_centres) +
           mode_weights.size() * sizeof(double) + params.data_csv.capacity() + params.data_labels.capacity() + params.init_csv.capacity() +
           params.dataset.capacity() + params.init.capacity();
  }
};

}  // namespace driftlab
