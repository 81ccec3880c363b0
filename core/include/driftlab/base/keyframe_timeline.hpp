// KeyframeTimeline<Engine>: a run's past as keyframes every K steps within a memory budget, and
// seek(step) = restore the nearest keyframe at or before the step and replay to it. Replay is
// exact because a restored engine steps bit for bit like the original (THEORY.md §6.6), so only
// every K-th state has to be kept.
//
// Engine is anything with capture() -> State, restore(const State&), step() and stepIndex();
// a State needs two free functions found by argument-dependent lookup:
//   long keyframeStep(const State&)          the step index it was captured at
//   std::size_t keyframeBytes(const State&)  the memory it holds
// The particle flow (flow/keyframe_history.hpp, State = FlowState) and the run loop
// (run/run.hpp, State = a shared immutable RunCheckpoint of any mode) use it.
//
// Budget: a keyframe that would push the held bytes over the budget first thins the history:
// every other keyframe off the K grid is dropped and K doubles (so seeks replay at most twice as
// many steps), until it fits; the held bytes never exceed the budget. Keyframes taken at a change
// (recordChange) are kept through thinning, since a replay cannot cross a change it did not see;
// only when they alone fill the budget do the oldest ones go.
//
// Thread: a plain object with no locking. Every function is called on the thread that owns the
// engine (the run's worker thread, the CLI's main thread, a test), between steps. A copy is an
// independent history (a fork's side B starts with a copy of side A's).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "driftlab/base/error.hpp"

namespace driftlab {

template <class Engine>
class KeyframeTimeline {
 public:
  using State = std::decay_t<decltype(std::declval<const Engine&>().capture())>;

  // budget_bytes: the most the keyframes may hold together; interval: the first K (>= 1)
  explicit KeyframeTimeline(std::size_t budget_bytes, long interval = 1)
      : budget_(budget_bytes), interval_(std::max<long>(1, interval)) {}

  // after a step (and once at the start): keeps the engine's state when its step index is a
  // multiple of K and newer than the last keyframe; returns whether it was kept
  bool record(const Engine& engine) {
    const long step = engine.stepIndex();
    if (step % interval_ != 0) return false;
    if (!frames_.empty() && keyframeStep(frames_.back().state) >= step) return false;  // replayed past: held
    return add(engine, false);
  }

  // after a change between steps (new parameters, an edit, a branch): keyframes at or after the
  // engine's step belong to a past that no longer leads here and are dropped, and the state is
  // kept as a pinned keyframe (kept through thinning). Returns whether it fitted.
  bool recordChange(const Engine& engine) {
    const long step = engine.stepIndex();
    while (!frames_.empty() && keyframeStep(frames_.back().state) >= step) {
      bytes_ -= frames_.back().bytes;
      frames_.pop_back();
    }
    std::erase_if(change_steps_, [&](long c) { return c >= step; });
    change_steps_.push_back(step);
    return add(engine, true);
  }

  // engine <- the state at `step`: the nearest keyframe at or before it, replayed forward.
  // Returns false (engine untouched) when no keyframe is at or before the step, or when a change
  // lies between that keyframe and the step (its keyframe was dropped for the budget). Throws
  // InvalidArgument when the replay cannot reach the step (e.g. a DFM run that ended earlier).
  bool seek(Engine& engine, long step) const {
    const auto after = std::upper_bound(frames_.begin(), frames_.end(), step,
                                        [](long s, const Frame& f) { return s < keyframeStep(f.state); });
    if (after == frames_.begin()) return false;
    const State& from = std::prev(after)->state;
    const long from_step = keyframeStep(from);
    // a change after the keyframe whose own keyframe is gone: replaying would not see it
    for (long c : change_steps_)
      if (c > from_step && c <= step) return false;
    engine.restore(from);
    int stalled = 0;
    while (engine.stepIndex() < step) {
      const long before = engine.stepIndex();
      engine.step();
      stalled = engine.stepIndex() == before ? stalled + 1 : 0;
      DRIFTLAB_CHECK(stalled < kMaxStalledSteps, "seek: the replay from step " + std::to_string(from_step) +
                                                     " stopped at step " + std::to_string(before) + " before step " +
                                                     std::to_string(step));
    }
    return true;
  }

  void clear() {  // drops every keyframe (K stays)
    frames_.clear();
    change_steps_.clear();
    bytes_ = 0;
  }
  std::size_t bytes() const { return bytes_; }  // held now, <= budget()
  std::size_t budget() const { return budget_; }
  long interval() const { return interval_; }   // K now
  std::size_t size() const { return frames_.size(); }
  std::vector<long> steps() const {             // step indices of the keyframes, ascending
    std::vector<long> out;
    out.reserve(frames_.size());
    for (const Frame& f : frames_) out.push_back(keyframeStep(f.state));
    return out;
  }
  long firstStep() const { return frames_.empty() ? -1 : keyframeStep(frames_.front().state); }

 private:
  // rolled-back steps in a row before a replay gives up: each halves eta, so 200 of them mean
  // the original run could not have taken the step either
  static constexpr int kMaxStalledSteps = 200;

  struct Frame {
    State state;
    std::size_t bytes = 0;
    bool pinned = false;
  };

  bool add(const Engine& engine, bool pinned) {
    const long step = engine.stepIndex();
    State state = engine.capture();
    const std::size_t size = keyframeBytes(state);
    if (size > budget_) return false;  // one keyframe alone is over the budget: nothing can hold it
    while (bytes_ + size > budget_) {
      const bool thinnable = std::any_of(frames_.begin(), frames_.end(),
                                         [](const Frame& f) { return !f.pinned && keyframeStep(f.state) > 0; });
      if (thinnable) {
        thin();
        if (!pinned && step % interval_ != 0) return false;  // off the new grid: not kept either
      } else {
        bytes_ -= frames_.front().bytes;  // only pinned ones (and step 0) left: the oldest goes
        frames_.erase(frames_.begin());
      }
    }
    const auto at = std::upper_bound(frames_.begin(), frames_.end(), step,
                                     [](long s, const Frame& f) { return s < keyframeStep(f.state); });
    frames_.insert(at, Frame{std::move(state), size, pinned});
    bytes_ += size;
    return true;
  }

  void thin() {  // drops the unpinned keyframes off the 2K grid, K <- 2K
    const long next = 2 * interval_;
    std::vector<Frame> kept;
    kept.reserve(frames_.size());
    for (Frame& f : frames_) {
      if (f.pinned || keyframeStep(f.state) % next == 0) {
        kept.push_back(std::move(f));
      } else {
        bytes_ -= f.bytes;
      }
    }
    frames_ = std::move(kept);
    interval_ = next;
  }

  std::size_t budget_;
  long interval_;
  std::size_t bytes_ = 0;
  std::vector<Frame> frames_;       // ascending step index
  std::vector<long> change_steps_;  // steps of every recordChange still in the history's range
};

}  // namespace driftlab
