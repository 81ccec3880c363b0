// "Record from reset" (Shift+F9, --record-from-reset): the run is reset and the recording's first
// frame is its step-0 state, however fast the run goes. The shell sends Pause + Reset; the worker
// publishes the paused step-0 state; the first frame that shows it starts the recording; one step
// interval later (so step 0 stays on screen as long as any other step) the shell sends Resume if
// the run was running. This class is that sequence's bookkeeping, without waiting: the render
// thread asks it once per frame. GUI-free; render thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace driftlab::app::capture {

class RecordFromReset {
 public:
  using Clock = std::chrono::steady_clock;

  // asked for while the latest snapshot was `latest_snapshot_id`; was_running: resume afterwards;
  // hold: how long step 0 stays on screen before resuming (one step interval at the run's speed)
  void request(std::uint64_t latest_snapshot_id, bool was_running, Clock::duration hold, std::string path) {
    state_ = State::WaitingForReset;
    after_id_ = latest_snapshot_id;
    resume_ = was_running;
    hold_ = hold;
    path_ = std::move(path);
  }

  bool waiting() const { return state_ == State::WaitingForReset; }
  const std::string& path() const { return path_; }  // "" = a time-stamped file

  // true once, for the first snapshot after the request that shows the reset run paused at step 0:
  // start recording with this frame
  bool startsWith(std::uint64_t snapshot_id, long step, bool paused, Clock::time_point now) {
    if (state_ != State::WaitingForReset || snapshot_id <= after_id_ || step != 0 || !paused) return false;
    state_ = resume_ ? State::Holding : State::Idle;
    resume_at_ = now + hold_;
    return true;
  }

  // while step 0 is held before the resume, the run is shown as running (it was, and will be)
  bool holding() const { return state_ == State::Holding; }

  // true once, when the held step 0 has been shown long enough: send Resume now
  bool resumeDue(Clock::time_point now) {
    if (state_ != State::Holding || now < resume_at_) return false;
    state_ = State::Idle;
    return true;
  }

  // the user paused or resumed by hand: the recording still starts at step 0, but no Resume is sent
  void dropResume() {
    resume_ = false;
    if (state_ == State::Holding) state_ = State::Idle;
  }

  // a new run was loaded: forget the sequence
  void cancel() { state_ = State::Idle; }

 private:
  enum class State { Idle, WaitingForReset, Holding };
  State state_ = State::Idle;
  std::uint64_t after_id_ = 0;
  bool resume_ = false;
  Clock::duration hold_{};
  Clock::time_point resume_at_{};
  std::string path_;
};

}  // namespace driftlab::app::capture
