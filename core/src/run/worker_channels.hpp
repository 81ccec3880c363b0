// The two hand-off points of the run loop (run_worker.cpp, STYLE.md L3, L4): a command queue
// drained between steps, and the slot holding the latest immutable Snapshot; plus the rule applied
// to a drained batch. Internal to core/.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <new>
#include <stop_token>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/run/commands.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab::detail {

class CommandQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // thread: any
  void push(Command c) {
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(std::move(c));
    }
    cv_.notify_one();
  }

  // thread: the worker. Takes every pending command. With `idle` true and nothing pending, first
  // sleeps until a command arrives, stop is requested, or `wake_at` passes (when has_wake_at) —
  // a paused worker waits here instead of spinning.
  std::vector<Command> take(std::stop_token st, bool idle, bool has_wake_at, Clock::time_point wake_at) {
    std::vector<Command> batch;
    std::unique_lock lock(mutex_);
    if (idle && pending_.empty()) {
      const auto has_command = [&] { return !pending_.empty(); };
      if (has_wake_at) {
        cv_.wait_until(lock, st, wake_at, has_command);
      } else {
        cv_.wait(lock, st, has_command);
      }
    }
    batch.swap(pending_);
    return batch;
  }

  // thread: any (the owner's destructor, after request_stop)
  void wakeAll() { cv_.notify_all(); }

 private:
  std::mutex mutex_;
  std::condition_variable_any cv_;
  std::vector<Command> pending_;  // guarded by mutex_
};

// thread: the worker. Applies a drained batch in order through apply(const Command&);
// consecutive SetParams collapse to the last one (a slider drag sends one per frame). Returns the
// last rejection of the batch (the snapshot's error), or "" when every command was taken.
template <class ApplyOne>
std::string applyCommandBatch(const std::vector<Command>& batch, ApplyOne&& apply) {
  std::string batch_error;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    // a slider dragged faster than the worker answers: only the newest parameters or seek count
    const bool superseded = i + 1 < batch.size() &&
                            ((std::holds_alternative<cmd::SetParams>(batch[i]) &&
                              std::holds_alternative<cmd::SetParams>(batch[i + 1])) ||
                             (std::holds_alternative<cmd::Seek>(batch[i]) && std::holds_alternative<cmd::Seek>(batch[i + 1])));
    if (superseded) continue;
    try {
      apply(batch[i]);
    } catch (const InvalidArgument& e) {
      batch_error = e.what();
    } catch (const std::bad_alloc&) {
      batch_error = "command rejected: not enough memory";
    }
  }
  return batch_error;
}

class SnapshotSlot {
 public:
  // thread: the worker. The critical section is one pointer swap; the previous snapshot is
  // released after the lock.
  void publish(std::shared_ptr<const Snapshot> s) {
    std::shared_ptr<const Snapshot> old;
    {
      std::lock_guard lock(mutex_);
      old = std::exchange(latest_, std::move(s));
    }
  }
  // thread: any; never waits for a step
  std::shared_ptr<const Snapshot> latest() const {
    std::lock_guard lock(mutex_);
    return latest_;
  }

 private:
  mutable std::mutex mutex_;  // guards only latest_
  std::shared_ptr<const Snapshot> latest_;
};

}  // namespace driftlab::detail
