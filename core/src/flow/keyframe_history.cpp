// KeyframeHistory: keyframes every K steps within a byte budget, and seek by replay
// (keyframe_history.hpp; why replay is exact: THEORY.md §6.6). Owner thread only.
#include "driftlab/flow/keyframe_history.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"

namespace driftlab {

namespace {
// rolled-back steps in a row before a replay gives up: each halves eta, so 200 of them mean the
// original run could not have taken the step either
constexpr int kMaxStalledSteps = 200;
}  // namespace

KeyframeHistory::KeyframeHistory(std::size_t budget_bytes, long interval)
    : budget_(budget_bytes), interval_(std::max<long>(1, interval)) {}

void KeyframeHistory::clear() {
  frames_.clear();
  change_steps_.clear();
  bytes_ = 0;
}

std::vector<long> KeyframeHistory::steps() const {
  std::vector<long> out;
  out.reserve(frames_.size());
  for (const Frame& f : frames_) out.push_back(f.state.step_index);
  return out;
}

void KeyframeHistory::thin() {
  const long next = 2 * interval_;
  std::vector<Frame> kept;
  kept.reserve(frames_.size());
  for (Frame& f : frames_) {
    if (f.pinned || f.state.step_index % next == 0) {
      kept.push_back(std::move(f));
    } else {
      bytes_ -= f.bytes;
    }
  }
  frames_ = std::move(kept);
  interval_ = next;
}

bool KeyframeHistory::add(const FlowEngine& engine, bool pinned) {
  const long step = engine.stepIndex();
  FlowState state = engine.capture();
  const std::size_t size = state.bytes();
  if (size > budget_) return false;  // one keyframe alone is over the budget: nothing can hold it
  while (bytes_ + size > budget_) {
    const bool thinnable =
        std::any_of(frames_.begin(), frames_.end(), [](const Frame& f) { return !f.pinned && f.state.step_index > 0; });
    if (thinnable) {
      thin();
      if (!pinned && step % interval_ != 0) return false;  // off the new grid: not kept either
    } else {
      bytes_ -= frames_.front().bytes;  // only pinned ones (and step 0) left: the oldest goes
      frames_.erase(frames_.begin());
    }
  }
  const auto at = std::upper_bound(frames_.begin(), frames_.end(), step,
                                   [](long s, const Frame& f) { return s < f.state.step_index; });
  frames_.insert(at, Frame{std::move(state), size, pinned});
  bytes_ += size;
  return true;
}

bool KeyframeHistory::record(const FlowEngine& engine) {
  const long step = engine.stepIndex();
  if (step % interval_ != 0) return false;
  if (!frames_.empty() && frames_.back().state.step_index >= step) return false;  // replayed past: already held
  return add(engine, false);
}

bool KeyframeHistory::recordChange(const FlowEngine& engine) {
  const long step = engine.stepIndex();
  while (!frames_.empty() && frames_.back().state.step_index >= step) {
    bytes_ -= frames_.back().bytes;
    frames_.pop_back();
  }
  std::erase_if(change_steps_, [&](long c) { return c >= step; });
  change_steps_.push_back(step);
  return add(engine, true);
}

bool KeyframeHistory::seek(FlowEngine& engine, long step) const {
  const auto after = std::upper_bound(frames_.begin(), frames_.end(), step,
                                      [](long s, const Frame& f) { return s < f.state.step_index; });
  if (after == frames_.begin()) return false;
  const FlowState& from = std::prev(after)->state;
  // a change after the keyframe whose own keyframe is gone: replaying would not see it
  for (long c : change_steps_)
    if (c > from.step_index && c <= step) return false;
  engine.restore(from);
  int stalled = 0;
  while (engine.stepIndex() < step) {
    const long before = engine.stepIndex();
    engine.step();
    stalled = engine.stepIndex() == before ? stalled + 1 : 0;
    DRIFTLAB_CHECK(stalled < kMaxStalledSteps, "seek: the replay from step " + std::to_string(from.step_index) +
                                                   " stopped at step " + std::to_string(before) + " before step " +
                                                   std::to_string(step));
  }
  return true;
}

}  // namespace driftlab
