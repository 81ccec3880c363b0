// GeneratorState: everything a GeneratorEngine needs to continue training exactly (fork and
// rewind for generator mode). Like the particle flow (flow/flow_state.hpp, THEORY.md §6.6) the
// engine keeps no random-number generator between steps: training step k draws its latent noise
// from (noise_seed, k) and its data batch from (data_seed, k), so the step count stands for every
// stream. Plain data; any thread.
#pragma once

#include <cstddef>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/generator/adam.hpp"
#include "driftlab/generator/generator.hpp"

namespace driftlab {

struct GeneratorState {
  GeneratorParams params;             // with the learning rate after any halvings
  std::vector<float> weights;         // Mlp::parameters() of the trained network
  std::vector<float> ema_weights;     // the weight average's (params.ema > 0; else a copy)
  long ema_updates = 0;
  Adam adam;                          // options, both moments and the update count
  Points csv_data;                    // dataset csv: the file's points (not read again)
  Points mode_centres;
  std::vector<double> mode_weights;
  Points batch, velocities, displacements, data_batch;  // the last step's, for the view
  long step = 0;
  double last_loss = 0.0;

  // memory held (what a keyframe budget would count)
  std::size_t bytes() const {
    const auto pts = [](const Points& m) { return static_cast<std::size_t>(m.size()) * sizeof(double); };
    return sizeof(GeneratorState) + (weights.size() + ema_weights.size()) * sizeof(float) +
           2 * static_cast<std::size_t>(adam.parameterCount()) * sizeof(double) + pts(csv_data) + pts(mode_centres) +
           mode_weights.size() * sizeof(double) + pts(batch) + pts(velocities) + pts(displacements) + pts(data_batch);
  }
};

}  // namespace driftlab
