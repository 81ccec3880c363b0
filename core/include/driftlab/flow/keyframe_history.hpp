// KeyframeHistory: a run's past as keyframes (flow_state.hpp) every K steps within a memory
// budget, and seek(step) = restore the nearest keyframe at or before the step and replay to it.
// Replay is exact because a restored engine steps bit for bit like the original (THEORY.md
// §6.6), so only every K-th state has to be kept.
//
// Budget: a keyframe that would push the held bytes over the budget first thins the history:
// every other keyframe off the K grid is dropped and K doubles (so seeks replay at most twice as
// many steps), until it fits; the held bytes never exceed the budget. Keyframes taken at a change
// (recordChange) are kept through thinning, since a replay cannot cross a change it did not see;
// only when they alone fill the budget do the oldest ones go.
//
// Thread: a plain object with no locking. Every function is called on the thread that owns the
// engine (the run's worker thread, the CLI's main thread, a test), between steps.
#pragma once

#include <cstddef>
#include <vector>

#include "driftlab/flow/flow_state.hpp"

namespace driftlab {

class FlowEngine;

class KeyframeHistory {
 public:
  // budget_bytes: the most the keyframes may hold together; interval: the first K (>= 1)
  explicit KeyframeHistory(std::size_t budget_bytes, long interval = 1);

  // after a step (and once at the start): keeps the engine's state when its step index is a
  // multiple of K and newer than the last keyframe; returns whether it was kept
  bool record(const FlowEngine& engine);
  // after a change between steps (setParams, an edit, a restore of another branch): keyframes at
  // or after the engine's step belong to a past that no longer leads here and are dropped, and
  // the state is kept as a pinned keyframe (kept through thinning). Returns whether it fitted.
  bool recordChange(const FlowEngine& engine);

  // engine <- the state at `step`: the nearest keyframe at or before it, replayed forward.
  // Returns false (engine untouched) when no keyframe is at or before the step, or when a change
  // lies between that keyframe and the step (its keyframe was dropped for the budget). Throws
  // InvalidArgument when the replay cannot reach the step (e.g. a DFM run that ended earlier).
  bool seek(FlowEngine& engine, long step) const;

  void clear();                                  // drops every keyframe (K stays)
  std::size_t bytes() const { return bytes_; }   // held now, <= budget()
  std::size_t budget() const { return budget_; }
  long interval() const { return interval_; }    // K now
  std::size_t size() const { return frames_.size(); }
  std::vector<long> steps() const;               // step indices of the keyframes, ascending

 private:
  struct Frame {
    FlowState state;
    std::size_t bytes = 0;
    bool pinned = false;
  };
  bool add(const FlowEngine& engine, bool pinned);
  void thin();  // drops the unpinned keyframes off the 2K grid, K <- 2K

  std::size_t budget_;
  long interval_;
  std::size_t bytes_ = 0;
  std::vector<Frame> frames_;      // ascending step index
  std::vector<long> change_steps_; // steps of every recordChange still in the history's range
};

}  // namespace driftlab
