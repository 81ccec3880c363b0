// A drift for mode dfm that the engine does not compute itself (THEORY.md §12.4): a network
// trained on bridge samples (generator/learned_dfm_drift.hpp makes one). The engine only reads it;
// once made it never changes, so captured states share it. Any thread may read one.
#pragma once

#include <cstdint>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/field/dfm_drift.hpp"

namespace driftlab {

// what a learned drift is trained for: the data, the bridge, where the sampler stops, how many
// training steps, and the seed of the network and its bridge samples
struct DfmDriftRequest {
  Points data;
  DfmBridge bridge;
  double epsilon = 1e-3;
  long steps = 0;
  std::uint64_t seed = 0;
};

class DfmDriftModel {
 public:
  virtual ~DfmDriftModel() = default;
  // b(t, x) at the columns of x (d x E), t in [0, 1)
  virtual Points drift(const Points& x, double t) const = 0;
  // made for exactly this request (else the engine asks for a new one)
  virtual bool fits(const DfmDriftRequest& request) const = 0;
  virtual const std::vector<float>& losses() const = 0;  // training loss, one per step
  virtual double trainSeconds() const = 0;
};

}  // namespace driftlab
